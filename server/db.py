"""Engine factory (never at import time) and schema setup."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlmodel import Session, create_engine

from server import models

SEQ = "change_seq"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def create_all(engine: Engine) -> None:
    """Tables straight from the models (unit tests); `init` uses the alembic migrations."""
    from server.metadata import server_metadata

    server_metadata().create_all(engine)
    seed(engine)


def seed(engine: Engine) -> None:
    with Session(engine) as s:
        if s.get(models.Counter, SEQ) is None:
            s.add(models.Counter(name=SEQ, value=0))
            s.commit()


_SQLITE_WRITER = threading.RLock()


@contextmanager
def serialised(session: Session) -> Iterator[None]:
    """Writers wait here, in order, instead of in SQLite's busy handler (whose sleeps grow to 100 ms
    and make concurrent batches slow). PostgreSQL queues on the counter row lock instead."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    with _SQLITE_WRITER:
        yield


def lock_seq(session: Session) -> int:
    """Take the writer lock (the counter row) and return the current change_seq."""
    session.execute(text("UPDATE srv_counter SET value = value WHERE name = :n"), {"n": SEQ})
    return int(session.execute(text("SELECT value FROM srv_counter WHERE name = :n"), {"n": SEQ}).scalar_one())


def store_seq(session: Session, value: int) -> None:
    session.execute(text("UPDATE srv_counter SET value = :v WHERE name = :n"), {"v": value, "n": SEQ})


def sessions(engine: Engine) -> Iterator[Session]:
    with Session(engine) as s:
        yield s
