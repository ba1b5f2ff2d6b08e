"""Sealed files: what leaves a PC on a USB stick is encrypted for its recipient and signed by its sender.

The format the batch files of issue 17 travel in (design.md §4, §5: "the same batches travel as a
file"), shared by the desktop app (writes batch files, reads replies) and the server (reads batch
files, writes replies) — hence here, beside the other rules both sides share. Only standard
constructions from `cryptography`, nothing home-made:

- encryption: HPKE base mode (RFC 9180) with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
  ChaCha20-Poly1305, to the recipient's X25519 public key; the header is the HPKE `info`, so a
  header moved onto another body does not decrypt;
- signature: Ed25519 by the sender over every byte before it (magic, header, ciphertext).

Layout: MAGIC | u32 header length | header (JSON) | u32 body length | HPKE enc||ciphertext | 64-byte
signature. The header names the kind ("batches" or "reply"), the sender and recipient ids, the desa
and a file id; the body is gzip'd JSON.

Opening checks, in this order, and refuses with an Indonesian message (SealedFileRefused.reason says
which): the shape (not a sealed file / truncated), the kind, the recipient, the sender (known, of the
same desa), the signature, the decryption. Nothing is returned unless every check passed.
"""

from __future__ import annotations

import base64
import gzip
import json
import struct
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from domain.errors import KnownError

MAGIC = b"BANSOS-SEALED\x00\x01"
SIGNATURE_BYTES = 64
_INFO = b"bansos-sealed-v1|"
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
_U32 = struct.Struct(">I")
MAX_HEADER = 64 * 1024


class FileKind(StrEnum):
    BATCHES = "batches"  # device -> server: pending batches
    REPLY = "reply"  # server -> device: batch results and pull pages


class Refusal(StrEnum):
    NOT_A_FILE = "not_a_file"
    TRUNCATED = "truncated"
    WRONG_KIND = "wrong_kind"
    WRONG_RECIPIENT = "wrong_recipient"
    UNKNOWN_SENDER = "unknown_sender"
    OTHER_DESA = "other_desa"
    TAMPERED = "tampered"


_MESSAGES = {
    Refusal.NOT_A_FILE: "Berkas {name} bukan berkas sinkronisasi Bansos Desa.",
    Refusal.TRUNCATED: "Berkas {name} terpotong (tidak lengkap); salin ulang dari sumbernya. Tidak ada data yang "
                       "diterapkan.",
    Refusal.WRONG_KIND: "Berkas {name} bukan {want}; pilih berkas yang benar.",
    Refusal.WRONG_RECIPIENT: "Berkas {name} ditujukan ke penerima lain, bukan ke sini. Tidak ada data yang diterapkan.",
    Refusal.UNKNOWN_SENDER: "Berkas {name} dari perangkat yang tidak terdaftar di server. Tidak ada data yang "
                            "diterapkan.",
    Refusal.OTHER_DESA: "Berkas {name} dari perangkat desa lain. Tidak ada data yang diterapkan.",
    Refusal.TAMPERED: "Berkas {name} rusak atau telah diubah (tanda tangan/enkripsi tidak cocok). Tidak ada data "
                      "yang diterapkan.",
}
_KIND_LABEL = {FileKind.BATCHES: "berkas kiriman desa", FileKind.REPLY: "berkas balasan server"}


class SealedFileRefused(KnownError):
    """A sealed file that is not opened; `reason` says why, `message` says it in Indonesian."""

    def __init__(self, reason: Refusal, name: str = "ini", want: FileKind | None = None) -> None:
        super().__init__(_MESSAGES[reason].format(name=name, want=_KIND_LABEL.get(want, "") if want else ""))
        self.reason = reason


@dataclass(frozen=True, slots=True)
class PublicKeys:
    """A party's public keys: Ed25519 to check its signatures, X25519 to seal files for it."""

    sign: bytes
    box: bytes

    def to_text(self) -> str:
        return f"ed25519:{base64.b64encode(self.sign).decode()};x25519:{base64.b64encode(self.box).decode()}"

    @classmethod
    def from_text(cls, text: str) -> PublicKeys:
        parts = dict(p.split(":", 1) for p in text.strip().split(";") if ":" in p)
        sign, box = base64.b64decode(parts["ed25519"]), base64.b64decode(parts["x25519"])
        if len(sign) != 32 or len(box) != 32:
            raise ValueError("public keys must be 32 bytes each")
        return cls(sign, box)


@dataclass(frozen=True, slots=True)
class KeyPair:
    """A party's private keys (raw 32 bytes each). Kept in the encrypted store / the server's secret store."""

    sign: bytes
    box: bytes

    @classmethod
    def generate(cls) -> KeyPair:
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

        raw = (Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return cls(Ed25519PrivateKey.generate().private_bytes(*raw), X25519PrivateKey.generate().private_bytes(*raw))

    def public(self) -> PublicKeys:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        raw = (Encoding.Raw, PublicFormat.Raw)
        return PublicKeys(Ed25519PrivateKey.from_private_bytes(self.sign).public_key().public_bytes(*raw),
                          X25519PrivateKey.from_private_bytes(self.box).public_key().public_bytes(*raw))


@dataclass(frozen=True, slots=True)
class Opened:
    header: dict[str, str]
    body: Any


def seal(body: Any, *, kind: FileKind, sender: str, sender_keys: KeyPair, recipient: str,
         recipient_keys: PublicKeys, desa_code: str) -> bytes:
    """The sealed file of `body` (JSON-able) from `sender` to `recipient`."""
    header = json.dumps({"kind": str(kind), "sender": sender, "recipient": recipient, "desa_code": desa_code,
                         "file_id": str(uuid.uuid4()), "created_at": datetime.now(UTC).isoformat()},
                        sort_keys=True).encode()
    plain = gzip.compress(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0)
    sealed = _SUITE.encrypt(plain, X25519PublicKey.from_public_bytes(recipient_keys.box), info=_INFO + header)
    signed = MAGIC + _U32.pack(len(header)) + header + _U32.pack(len(sealed)) + sealed
    return signed + Ed25519PrivateKey.from_private_bytes(sender_keys.sign).sign(signed)


def open_sealed(data: bytes, *, kind: FileKind, recipient: str, recipient_keys: KeyPair,
                sender_of: Callable[[str], tuple[PublicKeys, str] | None], name: str = "ini") -> Opened:
    """Check and open a sealed file (see the module docstring); SealedFileRefused otherwise.

    `sender_of(sender_id)` returns the sender's public keys and desa, or None for an unknown sender.
    """
    if not data.startswith(MAGIC):
        raise SealedFileRefused(Refusal.TRUNCATED if MAGIC.startswith(data[: len(MAGIC)]) and data else
                                Refusal.NOT_A_FILE, name)
    pos = len(MAGIC)
    header_bytes, pos = _chunk(data, pos, name, limit=MAX_HEADER)
    sealed, pos = _chunk(data, pos, name)
    if len(data) - pos < SIGNATURE_BYTES:
        raise SealedFileRefused(Refusal.TRUNCATED, name)
    if len(data) - pos > SIGNATURE_BYTES:
        raise SealedFileRefused(Refusal.TAMPERED, name)
    try:
        header = json.loads(header_bytes)
        if not isinstance(header, dict) or not all(isinstance(header.get(k), str) for k in
                                                   ("kind", "sender", "recipient", "desa_code")):
            raise ValueError("bad header")
    except ValueError as exc:
        raise SealedFileRefused(Refusal.TAMPERED, name) from exc
    if header["kind"] != str(kind):
        raise SealedFileRefused(Refusal.WRONG_KIND, name, kind)
    if header["recipient"] != recipient:
        raise SealedFileRefused(Refusal.WRONG_RECIPIENT, name)
    known = sender_of(header["sender"])
    if known is None:
        raise SealedFileRefused(Refusal.UNKNOWN_SENDER, name)
    sender_keys, sender_desa = known
    try:
        Ed25519PublicKey.from_public_bytes(sender_keys.sign).verify(data[pos:], data[:pos])
    except InvalidSignature as exc:
        raise SealedFileRefused(Refusal.TAMPERED, name) from exc
    if sender_desa and header["desa_code"] != sender_desa:
        raise SealedFileRefused(Refusal.OTHER_DESA, name)
    try:
        plain = _SUITE.decrypt(sealed, X25519PrivateKey.from_private_bytes(recipient_keys.box),
                               info=_INFO + header_bytes)
        body = json.loads(gzip.decompress(plain))
    except (InvalidTag, ValueError, OSError, EOFError) as exc:
        raise SealedFileRefused(Refusal.TAMPERED, name) from exc
    return Opened(header, body)


def _chunk(data: bytes, pos: int, name: str, *, limit: int | None = None) -> tuple[bytes, int]:
    if len(data) < pos + _U32.size:
        raise SealedFileRefused(Refusal.TRUNCATED, name)
    (n,) = _U32.unpack_from(data, pos)
    pos += _U32.size
    if limit is not None and n > limit:
        raise SealedFileRefused(Refusal.TAMPERED, name)
    if len(data) < pos + n:
        raise SealedFileRefused(Refusal.TRUNCATED, name)
    return data[pos : pos + n], pos + n
