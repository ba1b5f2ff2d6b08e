"""The local store's engine: one SQLite file on the local disk (design.md §5).

`make_engine` only builds an engine (no I/O until first use); `open_store` also creates or
migrates the schema and checks the file after an unclean shutdown. Nothing here runs at import
time, so tests can point the store anywhere.

Transactions: pysqlite's own implicit-transaction handling is switched off and SQLAlchemy's
"begin" event emits BEGIN itself, so a transaction covers reads too. A write that first checks
(duplicate search) and then inserts should use `write=True` in `repository.session_scope`,
which emits BEGIN IMMEDIATE: the write lock is taken before the check, so no other writer can
slip in between.

Unclean shutdown: every open store drops a marker file in `<db>.open/`, holds an OS lock on it
while open, and `close_store` removes it. A marker nobody holds locked means some process died
with the store open, and the next open runs `PRAGMA quick_check` before anything else.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from local_db.errors import StoreError as StoreError  # re-exported: callers import it from here

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
PRAGMAS: tuple[str, ...] = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
)
BEGIN_OPTION = "sqlite_begin"  # execution option: "" (deferred) or "IMMEDIATE"


class StoreDamaged(StoreError):
    pass


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    # Take transaction control away from pysqlite; the "begin" listener emits BEGIN.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        for pragma in PRAGMAS:
            cur.execute(pragma)
    finally:
        cur.close()


def _on_begin(conn: Any) -> None:
    mode = str(conn.get_execution_options().get(BEGIN_OPTION, "") or "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def make_engine(path: Path) -> Engine:
    """An engine on the SQLite file `path` with the store's PRAGMAs on every connection."""
    engine = create_engine(
        f"sqlite:///{Path(path)}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def db_path_of(engine: Engine) -> Path:
    database = engine.url.database
    if not database:
        raise ValueError("engine is not on a SQLite file")
    return Path(database)


def backup_database(src: Path, dest: Path) -> Path:
    """Copy a live SQLite file with the backup API (consistent even while others write)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    if tmp.exists():
        tmp.unlink()
    s = sqlite3.connect(src)
    d = sqlite3.connect(tmp)
    try:
        s.backup(d)
    finally:
        d.close()
        s.close()
    os.replace(tmp, dest)  # a half-written backup never carries the final name
    return dest


def restore_database(backup: Path, dest: Path) -> None:
    """Overwrite `dest`'s content with `backup`'s, through the backup API (keeps WAL consistent)."""
    b = sqlite3.connect(backup)
    d = sqlite3.connect(dest)
    try:
        b.backup(d)
    finally:
        d.close()
        b.close()


def quick_check(engine: Engine) -> list[str]:
    """`PRAGMA quick_check` lines; ['ok'] for a healthy file (a file SQLite cannot read is not)."""
    try:
        with engine.connect() as conn:
            return [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
    except DBAPIError as exc:
        return [f"error: {exc.orig}"]


_DAMAGED = ("Basis data lokal rusak{when}. Jangan hapus file apa pun; pulihkan dari cadangan "
            "(bansos restore) atau hubungi petugas IT.")


def _marker_dir(path: Path) -> Path:
    return path.with_name(path.name + ".open")


def _try_lock(f: IO[bytes]) -> bool:
    """Non-blocking exclusive lock on an open marker file; False when a live process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _take_stale_markers(path: Path) -> int:
    """Remove markers whose process is gone (their OS lock died with it); return how many."""
    d = _marker_dir(path)
    if not d.is_dir():
        return 0
    stale = 0
    for m in sorted(d.iterdir()):
        try:
            f = open(m, "r+b")  # noqa: SIM115 - closed below, lock must outlive a with-block check
        except OSError:
            continue
        try:
            if not _try_lock(f):
                continue  # a live process holds the store open
            stale += 1
        finally:
            f.close()
        m.unlink(missing_ok=True)
    return stale


_MARKERS: dict[int, tuple[Path, IO[bytes]]] = {}  # id(engine) -> this process's locked marker


def open_store(
    path: Path,
    *,
    backup_dir: Path | None = None,
    steps: Sequence[Any] | None = None,
) -> Engine:
    """Open (create or migrate) the local store at `path` and return its engine.

    Runs `quick_check` first when a previous process did not close the store cleanly; then the
    migrations (local_db.migrations), with a backup into `backup_dir` (default: `backups/` beside
    the file) when there is an existing schema to migrate. Raises StoreDamaged or
    migrations.MigrationFailed with an Indonesian message.
    """
    from local_db import migrations

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    stale = _take_stale_markers(path)
    if stale and path.exists():
        log.warning("store was not closed cleanly (%d marker(s)); running quick_check", stale)
        result = quick_check(engine)
        if result != ["ok"]:
            engine.dispose()
            log.error("quick_check failed: %s", result[:5])
            raise StoreDamaged(_DAMAGED.format(when=" setelah aplikasi berhenti mendadak"))
    try:
        migrations.migrate(engine, backup_dir=backup_dir or path.parent / "backups", steps=steps,
                           backup=backup_database, restore=restore_database)
    except DBAPIError as exc:
        engine.dispose()
        log.error("store unreadable: %s", exc.orig)
        raise StoreDamaged(_DAMAGED.format(when=" atau bukan basis data Bansos Desa")) from exc
    except BaseException:
        engine.dispose()
        raise
    marker_dir = _marker_dir(path)
    marker_dir.mkdir(exist_ok=True)
    marker = marker_dir / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    f = open(marker, "w+b")  # noqa: SIM115 - held open (and locked) until close_store
    f.write(datetime.now(UTC).isoformat().encode())
    f.flush()
    _try_lock(f)
    _MARKERS[id(engine)] = (marker, f)
    return engine


def close_store(engine: Engine) -> None:
    """Release the engine's connections and record a clean shutdown."""
    engine.dispose()
    held = _MARKERS.pop(id(engine), None)
    if held is not None:
        marker, f = held
        f.close()
        marker.unlink(missing_ok=True)
        try:
            marker.parent.rmdir()
        except OSError:
            pass  # another process still has the store open
