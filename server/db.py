"""Engine factory (never at import time) and schema setup."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine


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
    """Rows every database starts with (none since the per-area feeds; kept for `init`)."""


_SQLITE_WRITER = threading.RLock()


@contextmanager
def serialised(session: Session) -> Iterator[None]:
    """Writers wait here, in order, instead of in SQLite's busy handler (whose sleeps grow to 100 ms
    and make concurrent batches slow). PostgreSQL queues on the feed row locks instead (server.services.seq)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    with _SQLITE_WRITER:
        yield


def lock_feed(session: Session, feed: str) -> int:
    """Lock a feed's row in srv_area_seq (created on first use) until commit; return its last value."""
    upd = text("UPDATE srv_area_seq SET value = value WHERE area = :a RETURNING value")
    row = session.execute(upd, {"a": feed}).first()
    if row is None:
        # Two first writers of a new area: the second waits on the first one's row, then finds it.
        session.execute(text("INSERT INTO srv_area_seq (area, value) VALUES (:a, 0) ON CONFLICT (area) DO NOTHING"),
                        {"a": feed})
        row = session.execute(upd, {"a": feed}).one()
    return int(row[0])


def store_feed(session: Session, feed: str, value: int) -> None:
    session.execute(text("UPDATE srv_area_seq SET value = :v WHERE area = :a"), {"v": value, "a": feed})


_RETRYABLE = {"40P01", "40001"}  # deadlock detected, serialization failure


def is_retryable(exc: BaseException) -> bool:
    """A transaction PostgreSQL aborted so that another could go on (two multi-area writers)."""
    orig = getattr(exc, "orig", None)
    return isinstance(exc, DBAPIError) and getattr(orig, "sqlstate", None) in _RETRYABLE


RETRIES = 3


def sessions(engine: Engine) -> Iterator[Session]:
    with Session(engine) as s:
        yield s
