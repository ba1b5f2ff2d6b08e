"""AppContext: everything a command or the GUI needs, opened from one data dir.

Meta keys of the local store (table `meta`) defined here:

- "device_id": this installation's id (uuid4), generated on the first open, never changed; the
  server registers it to one desa (the sync part may replace it with the server-issued id).
- "operator_name": who is entering data (audit "who"); falls back to the OS login name.
- "desa_code": the desa this device serves (10 digits). Unset on a fresh data dir; then entries
  are checked against their own desa code.
- "default_programme": programme code used when an entry/row names none.
- "created_at": ISO UTC time the store was first opened.

Other parts add their own keys (sync cursor, server url, ...) through get_meta/set_meta.
"""

from __future__ import annotations

import getpass
import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine

from desktop_app import paths
from desktop_app.services.entries import EntryService
from desktop_app.store_key import PassphraseProvider, StoreLocked, unlock
from domain import regions
from domain.programmes import Catalogue
from local_db import cipher
from local_db import repository as repo
from local_db.engine import StoreError, close_store, open_store

log = logging.getLogger(__name__)


class MetaKey:
    DEVICE_ID = "device_id"
    OPERATOR_NAME = "operator_name"
    DESA_CODE = "desa_code"
    DEFAULT_PROGRAMME = "default_programme"
    CREATED_AT = "created_at"


class ConfigError(StoreError):
    """A bad settings file in the data dir; `message` is Indonesian."""

    @classmethod
    def default_message(cls) -> str:
        return "Berkas pengaturan di folder data tidak bisa dibaca. Hubungi petugas IT."


def load_catalogue(data_dir: Path) -> Catalogue:
    path = paths.programmes_file(data_dir)
    try:
        return Catalogue.from_file(path)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"Berkas {path.name} di folder data tidak bisa dibaca: {exc}") from exc


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account, odd env): not worth failing over
        return "operator"


@dataclass
class AppContext:
    data_dir: Path
    db_path: Path
    engine: Engine
    device_id: str
    operator_name: str
    desa_code: str | None
    catalogue: Catalogue
    default_programme: str | None = None
    store_key: bytes | None = field(default=None, repr=False)
    # The recovery key of a store key made by this open: show it once (first run, provisioning).
    new_recovery_code: str | None = field(default=None, repr=False)
    _closed: bool = field(default=False, repr=False)

    @classmethod
    def open(
        cls, data_dir: str | Path | None = None, *, passphrase: PassphraseProvider | None = None,
        recovery: str | None = None,
    ) -> AppContext:
        """Open (creating if needed) the data dir and its encrypted store. Raises StoreError subclasses
        (StoreLocked when the key is missing or wrong: design.md §5)."""
        ddir = paths.resolve_data_dir(data_dir)
        try:
            ddir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Folder data {ddir} tidak bisa dibuat: {exc.strerror}.") from exc
        catalogue = load_catalogue(ddir)
        db = paths.db_path(ddir)
        unlocked = unlock(db, passphrase=passphrase, recovery=recovery)
        try:
            engine = open_store(db, backup_dir=paths.backups_dir(ddir), key=unlocked.key)
        except cipher.WrongKey as exc:
            raise StoreLocked(exc.message) from exc
        encrypt_plain_backups(paths.backups_dir(ddir), unlocked.key)
        try:
            with repo.session_scope(engine) as s:
                meta = repo.all_meta(s)
            device_id = meta.get(MetaKey.DEVICE_ID) or ""
            if not device_id:
                # Only a new store takes the write lock here, so opening never waits on an import.
                with repo.session_scope(engine, write=True) as s:
                    device_id = repo.get_meta(s, MetaKey.DEVICE_ID) or ""
                    if not device_id:  # still none under the write lock: this open makes it
                        device_id = str(uuid.uuid4())
                        repo.set_meta(s, MetaKey.DEVICE_ID, device_id)
                        repo.set_meta(s, MetaKey.CREATED_AT, datetime.now(UTC).isoformat())
                        log.info("new local store, device id %s", device_id)
        except Exception:
            close_store(engine)
            raise
        return cls(
            data_dir=ddir, db_path=db, engine=engine, device_id=device_id,
            operator_name=meta.get(MetaKey.OPERATOR_NAME) or _os_user(),
            desa_code=meta.get(MetaKey.DESA_CODE) or None, catalogue=catalogue,
            default_programme=meta.get(MetaKey.DEFAULT_PROGRAMME) or None,
            store_key=unlocked.key, new_recovery_code=unlocked.recovery_code,
        )

    def entry_service(self, *, desa_code: str | None = None) -> EntryService:
        return EntryService(
            self.engine, operator=self.operator_name, device_id=self.device_id,
            desa_code=desa_code or self.desa_code, catalogue=self.catalogue,
            default_programme=self.default_programme,
        )

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with repo.session_scope(self.engine) as s:
            return repo.get_meta(s, key, default)

    def set_meta(self, key: str, value: str) -> None:
        with repo.session_scope(self.engine, write=True) as s:
            repo.set_meta(s, key, value)

    def configure(self, *, desa_code: str | None = None, operator_name: str | None = None,
                  default_programme: str | None = None) -> None:
        """Store settings (raises ValueError with an Indonesian message on a bad value)."""
        if desa_code is not None:
            code = regions.digits_of(desa_code)
            if not regions.is_desa(code):
                raise ValueError(f"Kode desa {desa_code} tidak ada di daftar desa/kelurahan Kemendagri.")
            self.set_meta(MetaKey.DESA_CODE, code)
            self.desa_code = code
        if operator_name is not None:
            self.set_meta(MetaKey.OPERATOR_NAME, operator_name.strip())
            self.operator_name = operator_name.strip() or _os_user()
        if default_programme is not None:
            code = self.catalogue.resolve(default_programme).code  # UnknownProgramme is a ValueError
            self.set_meta(MetaKey.DEFAULT_PROGRAMME, code)
            self.default_programme = code

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            close_store(self.engine)

    def __enter__(self) -> AppContext:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def encrypt_plain_backups(backup_dir: Path, key: bytes) -> int:
    """Encrypt, in place and with the store's key, any plain copy an older release left in `backup_dir`."""
    done = 0
    if not backup_dir.is_dir():
        return done
    for p in sorted(backup_dir.iterdir()):
        if p.is_file() and p.suffix == ".sqlite3" and cipher.is_plain(p):
            try:
                cipher.encrypt_in_place(p, key)
                done += 1
            except (cipher.EncryptFailed, OSError) as exc:  # the store itself is fine: log and go on
                log.warning("could not encrypt old backup %s: %s", p.name, exc)
    if done:
        log.info("encrypted %d plain backup(s) left by an older release", done)
    return done


def programmes_config_example() -> str:
    """A sample programmes.json (documentation and `bansos doctor`)."""
    return json.dumps([{"code": "BANSOS-BABEL", "name": "Bansos Provinsi Babel", "level": "provinsi",
                        "multiple_per_kk": False}], indent=2)
