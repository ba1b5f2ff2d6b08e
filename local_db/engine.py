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
import sys
import uuid
import weakref
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from local_db import cipher
from local_db.errors import StoreError as StoreError  # re-exported: callers import it from here

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 16 * 1024
PRAGMAS: tuple[str, ...] = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    # 16 MiB page cache per connection (SQLite's default is 2 MiB): an SQLCipher page is decrypted and
    # its HMAC checked on every cache miss, so hot index pages should stay decrypted in memory.
    f"PRAGMA cache_size=-{CACHE_KIB}",
)
# Encrypted stores only (issue 17's bench: NIK check p99 and bulk import): every page read from the file
# is decrypted and HMAC-checked, every page written encrypted, so a bigger cache (64 MiB, grown only as
# used) keeps more of the hot index pages decrypted and avoids spilling a long import's dirty pages
# to the WAL before commit; temp tables and sorts stay in memory (in a file they are encrypted too).
# cipher_memory_security is already OFF in sqlcipher 4.5+; kdf_iter does not apply to a raw key.
ENCRYPTED_CACHE_KIB = 64 * 1024
ENCRYPTED_PRAGMAS: tuple[str, ...] = (f"PRAGMA cache_size=-{ENCRYPTED_CACHE_KIB}", "PRAGMA temp_store=MEMORY")
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


def _on_connect_encrypted(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    try:
        for pragma in ENCRYPTED_PRAGMAS:
            cur.execute(pragma)
    finally:
        cur.close()


def _on_begin(conn: Any) -> None:
    mode = str(conn.get_execution_options().get(BEGIN_OPTION, "") or "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


_KEYS: weakref.WeakKeyDictionary[Engine, bytes | None] = weakref.WeakKeyDictionary()


def make_engine(path: Path, key: bytes | None = None) -> Engine:
    """An engine on the store file `path` with the store's PRAGMAs on every connection.

    With `key` the file is SQLCipher-encrypted (local_db.cipher); every connection is keyed first.
    """
    path = Path(path)

    def connect() -> object:
        return cipher.connect(path, key, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)

    engine = create_engine(f"sqlite:///{path}", module=cipher.dbapi, creator=connect)
    event.listen(engine, "connect", _on_connect)
    if key is not None:
        event.listen(engine, "connect", _on_connect_encrypted)  # after _on_connect: its cache_size wins
    event.listen(engine, "begin", _on_begin)
    _KEYS[engine] = key
    return engine


def key_of(engine: Engine) -> bytes | None:
    """The store key an engine was made with (None: a plain file)."""
    return _KEYS.get(engine)


def db_path_of(engine: Engine) -> Path:
    database = engine.url.database
    if not database:
        raise ValueError("engine is not on a SQLite file")
    return Path(database)


def backup_database(src: Path, dest: Path, key: bytes | None = None) -> Path:
    """Copy a live store file with the backup API (consistent even while others write), same key."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    if tmp.exists():
        tmp.unlink()
    cipher.backup(src, tmp, key)
    os.replace(tmp, dest)  # a half-written backup never carries the final name
    return dest


def restore_database(backup: Path, dest: Path, key: bytes | None = None) -> None:
    """Overwrite `dest`'s content with `backup`'s, through the backup API (keeps WAL consistent)."""
    cipher.restore(backup, dest, key)


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
    key: bytes | None = None,
) -> Engine:
    """Open (create or migrate) the local store at `path` and return its engine.

    Runs `quick_check` first when a previous process did not close the store cleanly; then the
    migrations (local_db.migrations), with a backup into `backup_dir` (default: `backups/` beside
    the file) when there is an existing schema to migrate. Raises StoreDamaged or
    migrations.MigrationFailed with an Indonesian message.

    With `key`, the store is SQLCipher-encrypted: a plain store (an older release's) is encrypted in
    place first (local_db.cipher.encrypt_in_place), and a key that does not open the file raises
    cipher.WrongKey.
    """
    from local_db import migrations

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if key is not None:
        cipher.recover_interrupted(path)
        if cipher.is_plain(path):
            cipher.encrypt_in_place(path, key)
        cipher.check_key(path, key)
    cipher.create_private(path)
    engine = make_engine(path, key)
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
                           backup=lambda src, dest: backup_database(src, dest, key),
                           restore=lambda copy, dest: restore_database(copy, dest, key))
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
