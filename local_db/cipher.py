"""SQLCipher files of the local store: connect with a raw key, encrypt a plain file in place, copy.

The store is encrypted with SQLCipher 4 (AES-256, HMAC-SHA512 per page, WAL pages too). The key is
a raw 256-bit key given as `PRAGMA key = "x'<hex>'"`: no passphrase KDF on open, so opening costs
nothing; the key's origin (OS keyring, passphrase, recovery key) is desktop_app.store_key's job.

`key=None` means a plain SQLite file (tests of the schema alone, and reading an old plain store
before it is encrypted). Every store connection goes through `connect`, the one SQLite library
(sqlcipher3) the store uses, so two copies of SQLite never hold POSIX locks on the same file.

Encrypting an existing plain store (`encrypt_in_place`): the plain file is checkpointed out of WAL,
exported with `sqlcipher_export` into `<db>.encrypting`, the copy is verified (integrity_check, the
row count of every table, user_version), then swapped in by two renames; the plain original stays
as `<db>.plain-old` until the swap is done and is then overwritten and unlinked (best effort: an SSD
may keep old blocks). A crash at any point leaves either the plain store or the verified encrypted
one under the store's name; `recover_interrupted` finishes or undoes a half-done swap on next open.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlcipher3 import dbapi2

from domain.errors import KnownError

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
KEY_BYTES = 32
dbapi = dbapi2  # the DB-API module SQLAlchemy is given (exception classes)
DatabaseError = dbapi2.DatabaseError


class WrongKey(KnownError):
    """The key does not open this file (or the file is not a store at all)."""

    @classmethod
    def default_message(cls) -> str:
        return ("Data terkunci: kunci basis data tidak cocok dengan file ini. Masukkan kunci pemulihan "
                "dari petugas IT (bansos buka-kunci) atau pulihkan cadangan yang benar.")


class EncryptFailed(KnownError):
    """Encrypting a plain store failed; the plain store was left as it was."""

    @classmethod
    def default_message(cls) -> str:
        return ("Basis data belum bisa dienkripsi; data lama tetap utuh dan tidak berubah. "
                "Pastikan ruang disk cukup, lalu buka aplikasi lagi.")


def _pragma_key(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("store key must be 32 bytes")
    return f"\"x'{key.hex()}'\""


def create_private(path: Path) -> None:
    """Create `path` empty with mode 0600 (POSIX) unless it exists; SQLite's -wal/-shm copy the mode."""
    path = Path(path)
    if path.exists():
        return
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, flags, 0o600))


def restrict(path: Path) -> None:
    """chmod 0600 on POSIX (Windows: the profile folder's ACL already limits it to the user)."""
    if sys.platform != "win32":
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)


def connect(path: Path | str, key: bytes | None, **kwargs: Any) -> Any:
    """A sqlcipher3 connection on `path`; with `key`, keyed before any other statement."""
    conn = sqlcipher3.connect(str(path), **kwargs)
    # SQLCipher writes decrypt failures to stderr by default; a wrong key is reported by us instead.
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        conn.execute(f"PRAGMA key = {_pragma_key(key)}")
    return conn


def is_plain(path: Path) -> bool:
    """True when `path` is a non-empty plain SQLite file (its first 16 bytes are SQLite's header)."""
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def is_encrypted(path: Path) -> bool:
    """True for a non-empty file that is not plain SQLite (what an SQLCipher file looks like)."""
    try:
        return Path(path).stat().st_size > 0 and not is_plain(path)
    except OSError:
        return False


def key_opens(path: Path, key: bytes | None) -> bool:
    """Whether `key` reads `path` (an empty or missing file opens with any key)."""
    conn = connect(path, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except DatabaseError:
        return False
    finally:
        conn.close()


def check_key(path: Path, key: bytes | None) -> None:
    """Raise WrongKey when `key` does not open an existing non-empty file."""
    if Path(path).is_file() and Path(path).stat().st_size > 0 and not key_opens(path, key):
        raise WrongKey()


def _tables(conn: Any, schema: str = "main") -> list[str]:
    rows = conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    return sorted(str(r[0]) for r in rows.fetchall())


def _counts(conn: Any, tables: list[str], schema: str = "main") -> dict[str, int]:
    return {t: int(conn.execute(f'SELECT count(*) FROM {schema}."{t}"').fetchone()[0]) for t in tables}


def secure_delete(path: Path) -> None:
    """Overwrite a file with zeros, flush it to disk, then unlink it (best effort)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        return
    try:
        with open(path, "r+b", buffering=0) as f:
            chunk = b"\x00" * (1 << 20)
            left = size
            while left > 0:
                n = f.write(chunk[: min(left, len(chunk))]) or 0
                left -= n
            os.fsync(f.fileno())
    except OSError:
        log.warning("could not overwrite %s before removing it", path.name)
    with contextlib.suppress(OSError):
        path.unlink()


def _fsync_dir(d: Path) -> None:
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(d, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def recover_interrupted(path: Path) -> None:
    """Finish or undo an `encrypt_in_place` that a crash cut short (see the module docstring)."""
    path = Path(path)
    old, tmp = _side(path, ".plain-old"), _side(path, ".encrypting")
    if old.exists():
        if path.exists() and is_encrypted(path):
            log.info("finishing an interrupted encryption: removing the plain copy")
            secure_delete(old)
        elif not path.exists():
            log.warning("undoing an interrupted encryption: the plain store goes back in place")
            os.replace(old, path)
    if tmp.exists():
        tmp.unlink()


def encrypt_in_place(path: Path, key: bytes) -> dict[str, int]:
    """Encrypt the plain SQLite file `path` with `key` (see the module docstring); return the row counts.

    Raises EncryptFailed (the plain file untouched, no encrypted copy left) when the copy cannot be made
    or verified.
    """
    path = Path(path)
    tmp, old = _side(path, ".encrypting"), _side(path, ".plain-old")
    tmp.unlink(missing_ok=True)
    try:
        src = connect(path, None, isolation_level=None)
        try:
            # Everything into the main file, and out of WAL mode, so no plain -wal outlives the swap.
            src.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            src.execute("PRAGMA journal_mode=DELETE").fetchall()
            version = int(src.execute("PRAGMA user_version").fetchone()[0])
            tables = _tables(src)
            before = _counts(src, tables)
            create_private(tmp)
            src.execute(f"ATTACH DATABASE ? AS enc KEY {_pragma_key(key)}", (str(tmp),))
            src.execute("SELECT sqlcipher_export('enc')").fetchall()
            src.execute(f"PRAGMA enc.user_version = {version}")  # sqlcipher_export does not copy it
            src.execute("DETACH DATABASE enc")
        finally:
            src.close()
        dst = connect(tmp, key)
        try:
            check = [str(r[0]) for r in dst.execute("PRAGMA integrity_check").fetchall()]
            after = _counts(dst, _tables(dst))
            version_after = int(dst.execute("PRAGMA user_version").fetchone()[0])
        finally:
            dst.close()
        if check != ["ok"] or after != before or version_after != version:
            raise EncryptFailed(
                "Enkripsi basis data lokal gagal diperiksa (isi salinan terenkripsi tidak sama); data lama "
                "tetap utuh dan belum dienkripsi. Hubungi petugas IT."
            )
        if _side(path, "-wal").exists() and _side(path, "-wal").stat().st_size > 0:
            raise EncryptFailed("Basis data lokal sedang dipakai program lain; tutup aplikasi lain lalu ulangi.")
    except DatabaseError as exc:
        tmp.unlink(missing_ok=True)
        log.error("encrypting the store failed: %s", exc)
        raise EncryptFailed(
            "Enkripsi basis data lokal gagal; data lama tetap utuh dan belum dienkripsi. Hubungi petugas IT."
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    restrict(tmp)
    os.replace(path, old)
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    secure_delete(_side(path, "-wal"))
    secure_delete(_side(path, "-journal"))
    _side(path, "-shm").unlink(missing_ok=True)  # an index of the WAL, no row data
    secure_delete(old)
    log.info("store encrypted in place (%d tables, %d rows)", len(before), sum(before.values()))
    return before


def backup(src: Path, dest: Path, key: bytes | None) -> None:
    """Copy a live store into `dest` (created 0600) with the SQLite backup API, under the same key."""
    create_private(dest)
    s = connect(src, key)
    try:
        d = connect(dest, key)
        try:
            s.backup(d)
        finally:
            d.close()
    finally:
        s.close()
    restrict(dest)


def restore(backup_file: Path, dest: Path, key: bytes | None) -> None:
    """Overwrite `dest`'s content with `backup_file`'s through the backup API (keeps WAL consistent)."""
    backup(backup_file, dest, key)  # the same copy, the other way round
