"""Backups of the local store: on demand (`bansos backup`), daily on start, and restore.

All copies go through the SQLite backup API (local_db.engine.backup_database), so a backup is
consistent even while the app writes. Every copy is SQLCipher-encrypted with the store's own key
(desktop_app.store_key) and created 0600; a plain backup of an older release is encrypted before
it is restored. A restore checks the file first — a real store, not from a
newer app, from this desa — and keeps a safety copy of the current store before overwriting it;
an older backup is migrated on the next open like any old store.
"""

from __future__ import annotations

import logging
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from domain import regions
from domain.errors import KnownError
from local_db import cipher
from local_db.engine import backup_database, restore_database
from local_db.migrations import SCHEMA_VERSION

log = logging.getLogger(__name__)

DAILY_PREFIX = "bansos-harian-"
DAILY_KEEP = 7  # daily copies kept; older ones are deleted
SAFETY_INFIX = "sebelum-restore"
_DAILY_RE = re.compile(rf"^{DAILY_PREFIX}(\d{{4}}-\d{{2}}-\d{{2}})\.sqlite3$")


class BackupError(KnownError):
    """An expected problem with a backup or restore; `message` is Indonesian, for the operator."""

    @classmethod
    def default_message(cls) -> str:
        return "Pencadangan atau pemulihan gagal. Periksa file dan foldernya, lalu coba lagi."


@dataclass(frozen=True, slots=True)
class StoreSummary:
    """What a store file holds, in counts only (no personal data)."""

    schema_version: int
    desa_code: str
    households: int  # active (not deleted) records of each table
    members: int
    proposals: int
    audit_rows: int
    outbox: int
    outbox_by_type: dict[str, int] = field(default_factory=dict)  # record_type -> unsent changes

    def describe(self) -> str:
        return (
            f"desa {desa_label(self.desa_code)}, skema {self.schema_version}, {self.households} keluarga, "
            f"{self.members} anggota, {self.proposals} usulan, {self.audit_rows} jejak perubahan, "
            f"{self.outbox} perubahan belum terkirim"
        )


def desa_label(code: str) -> str:
    if not code:
        return "(belum ditetapkan)"
    name = regions.name_of(code)
    return f"{name} ({regions.dotted(code)})" if name else regions.dotted(code)


def _store_key(store_path: Path, key: bytes | None) -> bytes | None:
    """`key`, or the store's own key from this PC when the store is encrypted (StoreLocked if absent)."""
    from desktop_app import store_key

    if key is not None or not (cipher.is_encrypted(store_path) or store_key.header_path(store_path).is_file()):
        return key

    return store_key.unlock(store_path, passphrase=store_key.env_passphrase, create=False).key


def backup_dir_of(store_path: Path) -> Path:
    """Where automatic and safety copies go: `backups/` beside the store (as migrations use)."""
    return Path(store_path).parent / "backups"


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def summarize(path: Path, key: bytes | None = None) -> StoreSummary:
    """Read a store file's schema version, desa and row counts; BackupError if it is not a store.

    An encrypted file is read with `key`; a plain one (an older release's) without.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"File {path} tidak ditemukan.")
    plain = cipher.is_plain(path)
    try:
        # Not mode=ro: a WAL-mode file without its -shm cannot be opened read-only. Nothing is written.
        conn = cipher.connect(path, None if plain else key)
    except cipher.DatabaseError as e:
        raise BackupError(f"File {path.name} tidak bisa dibuka: {e}.") from e
    try:
        try:
            check = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except cipher.DatabaseError as e:
            if not plain and cipher.is_encrypted(path):
                raise BackupError(
                    f"Data terkunci: file {path.name} terenkripsi dengan kunci basis data lain (bukan milik komputer "
                    "ini) atau rusak, jadi ditolak. Buka dulu dengan kunci pemulihannya (bansos buka-kunci)."
                ) from e
            raise BackupError(f"File {path.name} bukan basis data Bansos Desa (bukan file SQLite yang utuh).") from e
        if check != ["ok"]:
            raise BackupError(f"File {path.name} rusak (pemeriksaan SQLite gagal); pakai cadangan lain.")
        if version == 0 or not {"meta", "outbox", "auditlog"} <= tables:
            raise BackupError(f"File {path.name} bukan cadangan basis data Bansos Desa.")
        row = conn.execute("SELECT value FROM meta WHERE key='desa_code'").fetchone()

        def count(table: str, where: str = "") -> int:
            if table not in tables:  # a backup older than the household tables: the restore migrates it
                return 0
            return int(conn.execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0])

        by_type: dict[str, int] = {}
        if "record_type" in {str(r[1]) for r in conn.execute("PRAGMA table_info(outbox)")}:
            by_type = {str(t or "entry"): int(n) for t, n in
                       conn.execute("SELECT record_type, count(*) FROM outbox GROUP BY record_type ORDER BY 1")}
        return StoreSummary(
            schema_version=version,
            desa_code=str(row[0]) if row and row[0] else "",
            households=count("households", " WHERE deleted = 0"),
            members=count("members", " WHERE deleted = 0"),
            proposals=count("proposals", " WHERE deleted = 0"),
            audit_rows=count("auditlog"),
            outbox=count("outbox"),
            outbox_by_type=by_type,
        )
    finally:
        conn.close()


def make_backup(store_path: Path, dest: Path, key: bytes | None = None) -> tuple[Path, StoreSummary]:
    """Copy the store to `dest` (a file, or a folder to put a dated file in); never overwrites."""
    store_path, dest = Path(store_path), Path(dest)
    if not store_path.is_file():
        raise BackupError("Belum ada basis data lokal untuk dicadangkan.")
    key = _store_key(store_path, key)
    current = summarize(store_path, key)
    if dest.is_dir():
        dest = dest / f"bansos-{current.desa_code or 'desa'}-{_stamp()}.sqlite3"
    if dest.exists():
        raise BackupError(f"File {dest} sudah ada; pilih nama file lain agar cadangan lama tidak tertimpa.")
    if not dest.parent.is_dir():
        raise BackupError(f"Folder {dest.parent} tidak ada.")
    try:
        backup_database(store_path, dest, key)
    except (cipher.DatabaseError, OSError) as e:
        raise BackupError(f"Cadangan ke {dest} gagal: {e}.") from e
    copied = summarize(dest, key)  # proves the copy opens and is whole
    log.info("backup written: %s (%d households, %d members, %d proposals, %d outbox)", dest.name,
             copied.households, copied.members, copied.proposals, copied.outbox)
    return dest, copied


def check_restorable(store_path: Path, backup: Path, key: bytes | None = None) -> StoreSummary:
    """Refuse a backup that is not a store, comes from a newer app, or from another desa."""
    key = _store_key(store_path, key)
    incoming = summarize(backup, key)
    if incoming.schema_version > SCHEMA_VERSION:
        raise BackupError(
            f"Cadangan {Path(backup).name} dibuat oleh versi aplikasi yang lebih baru (skema "
            f"{incoming.schema_version}, aplikasi ini sampai skema {SCHEMA_VERSION}). Pasang versi aplikasi "
            "terbaru dulu, lalu pulihkan lagi."
        )
    if Path(store_path).is_file():
        current = summarize(store_path, key)
        if current.desa_code and incoming.desa_code != current.desa_code:
            raise BackupError(
                f"Cadangan {Path(backup).name} milik desa {desa_label(incoming.desa_code)}, sedangkan komputer "
                f"ini terdaftar untuk desa {desa_label(current.desa_code)}. Pemulihan ditolak."
            )
    return incoming


def store_in_use(store_path: Path) -> bool:
    """True when a running app holds the store open (its marker in `<db>.open/` is locked).

    Mirrors local_db.engine's unclean-shutdown markers without removing stale ones, so the next
    open still runs its quick_check.
    """
    marker_dir = Path(store_path).with_name(Path(store_path).name + ".open")
    if not marker_dir.is_dir():
        return False
    for marker in marker_dir.iterdir():
        try:
            f = open(marker, "r+b")  # noqa: SIM115 - the lock must be taken on this handle
        except OSError:
            continue
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
                msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(f.fileno(), fcntl.LOCK_UN)
        except OSError:
            return True
        finally:
            f.close()
    return False


def restore_backup(store_path: Path, backup: Path, key: bytes | None = None) -> tuple[StoreSummary, Path | None]:
    """Replace the store's content with `backup`'s; return its summary and the safety copy path.

    The app must be closed. The current store is first copied to `backups/...-sebelum-restore-...`.
    """
    store_path, backup = Path(store_path), Path(backup)
    if backup.resolve() == store_path.resolve():
        raise BackupError("File cadangan sama dengan basis data yang sedang dipakai.")
    key = _store_key(store_path, key)
    incoming = check_restorable(store_path, backup, key)
    if store_in_use(store_path):
        raise BackupError("Aplikasi Bansos Desa masih terbuka. Tutup aplikasi dulu, lalu ulangi pemulihan.")
    safety: Path | None = None
    if store_path.is_file():
        safety = backup_dir_of(store_path) / f"{store_path.stem}-{SAFETY_INFIX}-{_stamp()}{store_path.suffix}"
        try:
            backup_database(store_path, safety, key)
        except (cipher.DatabaseError, OSError) as e:
            raise BackupError(f"Salinan pengaman basis data sekarang gagal dibuat ({e}); pemulihan dibatalkan.") from e
    store_path.parent.mkdir(parents=True, exist_ok=True)
    source, encrypted_copy = backup, None
    try:
        if key is not None and cipher.is_plain(backup):
            # An older release's plain backup: encrypt a copy first (the backup API cannot mix the two).
            encrypted_copy = backup_dir_of(store_path) / f"{store_path.stem}-pulihkan-{_stamp()}{store_path.suffix}"
            encrypted_copy.parent.mkdir(parents=True, exist_ok=True)
            cipher.create_private(encrypted_copy)
            shutil.copyfile(backup, encrypted_copy)
            cipher.encrypt_in_place(encrypted_copy, key)
            source = encrypted_copy
        restore_database(source, store_path, key)
    except (cipher.DatabaseError, cipher.EncryptFailed, OSError) as e:
        where = f" Data sebelumnya tersimpan di {safety}." if safety else ""
        raise BackupError(f"Pemulihan gagal: {e}.{where}") from e
    finally:
        if encrypted_copy is not None:
            encrypted_copy.unlink(missing_ok=True)
    log.info("restored store from %s (safety copy %s)", backup.name, safety.name if safety else "-")
    return incoming, safety


def daily_backups(backup_dir: Path) -> list[tuple[date, Path]]:
    """The automatic daily copies in `backup_dir`, oldest first."""
    found: list[tuple[date, Path]] = []
    if not backup_dir.is_dir():
        return found
    for p in backup_dir.iterdir():
        m = _DAILY_RE.match(p.name)
        if m:
            try:
                found.append((date.fromisoformat(m.group(1)), p))
            except ValueError:
                continue
    return sorted(found)


def daily_backup(
    store_path: Path, *, backup_dir: Path | None = None, keep: int = DAILY_KEEP, today: date | None = None,
    key: bytes | None = None,
) -> Path | None:
    """Take today's automatic copy unless one exists, then keep only the `keep` newest.

    Called by the app on start; returns the new copy's path, or None when there was nothing to do.
    Never raises for an expected problem (a failed daily copy must not stop the operator): it logs.
    """
    store_path = Path(store_path)
    if not store_path.is_file():
        return None
    backup_dir = backup_dir or backup_dir_of(store_path)
    today = today or datetime.now().date()  # the operator's calendar day
    dest = backup_dir / f"{DAILY_PREFIX}{today.isoformat()}.sqlite3"
    made: Path | None = None
    if not dest.exists():
        try:
            made = backup_database(store_path, dest, _store_key(store_path, key))
            log.info("daily backup written: %s", dest.name)
        except (cipher.DatabaseError, OSError, KnownError):
            log.exception("daily backup failed")
            return None
    for _day, old in daily_backups(backup_dir)[: -max(keep, 1)]:
        try:
            old.unlink()
            log.info("daily backup rotated out: %s", old.name)
        except OSError:
            log.warning("could not delete old daily backup %s", old.name)
    return made
