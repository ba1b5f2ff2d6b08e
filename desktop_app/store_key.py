"""The store key: where the local store's 256-bit SQLCipher key lives, and how IT gets it back.

Scheme (docs/decisions/0008-encrypted-store.md):

- Each store gets a random 256-bit key K (`secrets`) and a random store id. The id and a key check
  (HMAC-SHA256(K, "bansos-store-key-check"), first 16 bytes) are kept in `<db>.kunci.json` beside the
  store; that file holds no secret. K itself is kept in the OS keyring (Windows Credential Manager),
  service "bansos-desa-store", account = the store id.
- Recovery key: K itself, written as 56 base32 characters (K + the first 3 bytes of SHA-256(K),
  grouped by 4). Shown once when the key is made (first run / `bansos provision`) for the IT
  officer's sheet. With it, `bansos buka-kunci` opens the store (or any of its backups) on another
  PC or Windows account and saves K in that keyring. The checksum catches a mistyped character
  before any decryption is tried.
- No keyring backend (headless Linux): the operator picks a passphrase at first start; a key
  encryption key is derived from it with argon2id (salt and cost in the header file) and wraps K
  with AES-256-GCM (`cryptography`); the header keeps only that wrapped copy. K is never written to
  a plain file. Scripts give the passphrase in BANSOS_STORE_PASSPHRASE; when that variable is set
  as the key is made or recovered, the wrapped copy is kept even if the keyring works too.

Every expected failure is a StoreLocked (a StoreError and a KnownError) with an Indonesian message
that starts "Data terkunci".
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from keyring.errors import KeyringError

from desktop_app.credentials import keyring_usable
from domain.errors import KnownError
from local_db import cipher
from local_db.engine import StoreError

log = logging.getLogger(__name__)

SERVICE = "bansos-desa-store"
HEADER_SUFFIX = ".kunci.json"
PASSPHRASE_ENV = "BANSOS_STORE_PASSPHRASE"
RECOVERY_ENV = "BANSOS_RECOVERY_KEY"
MIN_PASSPHRASE = 10
# argon2id cost (RFC 9106's second recommended option, 64 MiB): ~0.3 s once per start.
ARGON2 = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4}
_CHECK_LABEL = b"bansos-store-key-check"

# Asked for a passphrase: (new) -> passphrase, or None when nobody can answer (then StoreLocked).
PassphraseProvider = Callable[[bool], str | None]


class StoreLocked(StoreError, KnownError):
    """The store's key is not available or does not fit; message starts "Data terkunci"."""

    def __init__(self, message: str = "") -> None:
        KnownError.__init__(self, message)

    @classmethod
    def default_message(cls) -> str:
        return LOCKED_NO_KEY


LOCKED_NO_KEY = (
    "Data terkunci: kunci basis data tidak ditemukan di komputer atau akun Windows ini. Minta petugas IT "
    "membuka kunci dengan kunci pemulihan (bansos buka-kunci), atau jalankan di akun tempat data dibuat."
)


LOCKED_UNKNOWN = (
    "Data terkunci atau rusak: file basis data bukan SQLite biasa dan catatan kuncinya tidak ada di folder "
    "data ini. Bila data ini dari komputer lain, petugas IT membukanya dengan kunci pemulihan (bansos "
    "buka-kunci); bila tidak, pulihkan dari cadangan (bansos restore)."
)


@dataclass(frozen=True, slots=True)
class Unlocked:
    key: bytes
    recovery_code: str | None = None  # set only when the key was just made: show it once
    where: str = "keyring"  # "keyring" or "passphrase"


# ------------------------------------------------------------------ recovery key text
def recovery_code(key: bytes) -> str:
    raw = key + hashlib.sha256(key).digest()[:3]
    text = base64.b32encode(raw).decode("ascii")  # 35 bytes -> 56 characters, no padding
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def key_from_recovery(text: str) -> bytes:
    """K from its recovery text; StoreLocked when it is mistyped (checksum) or malformed."""
    clean = "".join(ch for ch in text.upper() if ch.isalnum())
    clean = clean.translate(str.maketrans("018", "OIB"))  # letters base32 lacks
    try:
        raw = base64.b32decode(clean)
    except (ValueError, base64.binascii.Error) as exc:  # type: ignore[attr-defined]
        raise StoreLocked("Kunci pemulihan tidak sah: periksa lagi setiap huruf dan angkanya (56 karakter).") from exc
    key, check = raw[:-3], raw[-3:]
    if len(key) != cipher.KEY_BYTES or hashlib.sha256(key).digest()[:3] != check:
        raise StoreLocked("Kunci pemulihan salah ketik: periksa lagi setiap huruf dan angkanya (56 karakter).")
    return key


def key_check(key: bytes) -> str:
    return hmac.new(key, _CHECK_LABEL, hashlib.sha256).hexdigest()[:32]


# ------------------------------------------------------------------ header file
def header_path(db: Path) -> Path:
    return Path(db).with_name(Path(db).name + HEADER_SUFFIX)


def _load_header(db: Path) -> dict[str, Any] | None:
    p = header_path(db)
    if not p.is_file():
        return None
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("store_id"), str):
            return data
    except (OSError, ValueError):
        pass
    log.warning("store key header %s unreadable; treated as missing", p.name)
    return None


def _save_header(db: Path, header: dict[str, Any]) -> None:
    p = header_path(db)
    tmp = p.with_name(p.name + ".tmp")
    tmp.unlink(missing_ok=True)
    cipher.create_private(tmp)
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(header, f, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, p)


# ------------------------------------------------------------------ passphrase wrap
def _kek(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    return hash_secret_raw(passphrase.encode("utf-8"), salt, hash_len=32, type=Type.ID, **params)


def _wrap(key: bytes, passphrase: str, store_id: str) -> dict[str, Any]:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapped = AESGCM(_kek(passphrase, salt, ARGON2)).encrypt(nonce, key, store_id.encode())
    return {"kdf": "argon2id", **ARGON2, "salt": salt.hex(), "nonce": nonce.hex(), "wrapped": wrapped.hex()}


def _unwrap(header: dict[str, Any], passphrase: str) -> bytes:
    w = header["passphrase"]
    params = {k: int(w[k]) for k in ("time_cost", "memory_cost", "parallelism")}
    try:
        return AESGCM(_kek(passphrase, bytes.fromhex(w["salt"]), params)).decrypt(
            bytes.fromhex(w["nonce"]), bytes.fromhex(w["wrapped"]), str(header["store_id"]).encode()
        )
    except InvalidTag as exc:
        raise StoreLocked("Data terkunci: kata sandi basis data salah. Coba lagi.") from exc


# ------------------------------------------------------------------ keyring
def _keyring_get(store_id: str) -> bytes | None:
    if not keyring_usable():
        return None
    try:
        value = keyring.get_password(SERVICE, store_id)
    except KeyringError as exc:
        log.warning("keyring could not be read (%s)", type(exc).__name__)
        return None
    if not value:
        return None
    try:
        key = bytes.fromhex(value)
    except ValueError:
        return None
    return key if len(key) == cipher.KEY_BYTES else None


def _keyring_put(store_id: str, key: bytes) -> bool:
    if not keyring_usable():
        return False
    try:
        keyring.set_password(SERVICE, store_id, key.hex())
        return _keyring_get(store_id) == key  # some backends accept and drop silently
    except KeyringError as exc:
        log.warning("keyring refused the store key (%s)", type(exc).__name__)
        return False


def env_passphrase(_new: bool) -> str | None:
    """Passphrase provider for scripts: BANSOS_STORE_PASSPHRASE or nothing."""
    return os.environ.get(PASSPHRASE_ENV) or None


def _ask(provider: PassphraseProvider | None, new: bool) -> str:
    value = provider(new) if provider is not None else None
    if value is None:
        value = env_passphrase(new)
    if not value:
        raise StoreLocked(
            "Data terkunci: komputer ini tidak punya penyimpan kunci sistem, jadi basis data dibuka dengan "
            f"kata sandi. Jalankan aplikasi dan masukkan kata sandinya (skrip: variabel {PASSPHRASE_ENV})."
        )
    if new and len(value) < MIN_PASSPHRASE:
        raise StoreLocked(f"Kata sandi basis data terlalu pendek: minimal {MIN_PASSPHRASE} karakter.")
    return value


def _keep(db: Path, header: dict[str, Any], key: bytes, provider: PassphraseProvider | None) -> str:
    """Keep K on this PC: keyring when it works, else wrapped under a new passphrase. Saves the header."""
    header = {k: v for k, v in header.items() if k != "passphrase"}
    if _keyring_put(header["store_id"], key):
        where = "keyring"
        scripted = os.environ.get(PASSPHRASE_ENV)
        if scripted and len(scripted) >= MIN_PASSPHRASE:
            # A script set a passphrase: the store also opens with it where the keyring is out of reach
            # (a service account, a headless session on the same PC).
            header["passphrase"] = _wrap(key, scripted, header["store_id"])
    else:
        header["passphrase"] = _wrap(key, _ask(provider, True), header["store_id"])
        where = "passphrase"
    _save_header(db, header)
    return where


def _new_header(key: bytes) -> dict[str, Any]:
    return {"format": 1, "cipher": "sqlcipher4", "store_id": str(uuid.uuid4()), "key_check": key_check(key)}


# ------------------------------------------------------------------ the entry points
def unlock(
    db: Path, *, passphrase: PassphraseProvider | None = None, recovery: str | None = None, create: bool = True
) -> Unlocked:
    """The key of the store at `db`; made (with a recovery code to show once) for a store not yet encrypted.

    `recovery`: a recovery key typed by IT (also BANSOS_RECOVERY_KEY); it is checked and then kept on
    this PC, so the next start needs nothing. Raises StoreLocked.
    """
    db = Path(db)
    recovery = recovery or os.environ.get(RECOVERY_ENV) or None
    header = _load_header(db)
    encrypted = cipher.is_encrypted(db) or cipher.is_encrypted(db.with_name(db.name + ".plain-old"))
    if recovery:
        key = key_from_recovery(recovery)
        if encrypted and not cipher.key_opens(db, key):
            raise StoreLocked("Data terkunci: kunci pemulihan ini milik basis data lain; basis data ini tidak terbuka.")
        same = header is not None and hmac.compare_digest(str(header.get("key_check", "")), key_check(key))
        # No store yet (a restore onto a new PC): the recovered key becomes this data dir's key.
        where = _keep(db, header if header is not None and same else _new_header(key), key, passphrase)
        log.info("store key restored from the recovery key (kept in %s)", where)
        return Unlocked(key, None, where)
    if header is not None:
        kept = _keyring_get(header["store_id"])
        if kept is not None:
            return Unlocked(kept, None, "keyring")
        if isinstance(header.get("passphrase"), dict):
            return Unlocked(_unwrap(header, _ask(passphrase, False)), None, "passphrase")
    if encrypted and header is None:
        # No key record at all: a store from another PC, or not a store (a damaged file).
        raise StoreLocked(LOCKED_UNKNOWN)
    if encrypted or not create:
        raise StoreLocked(LOCKED_NO_KEY)
    key = secrets.token_bytes(cipher.KEY_BYTES)
    where = _keep(db, _new_header(key), key, passphrase)
    log.info("new store key made (kept in %s)", where)
    return Unlocked(key, recovery_code(key), where)


def forget(db: Path) -> None:
    """Remove this PC's keyring copy of the key (tests of a "new PC", and decommissioning)."""
    header = _load_header(db)
    if header is not None and keyring_usable():
        with contextlib.suppress(KeyringError):
            keyring.delete_password(SERVICE, header["store_id"])
