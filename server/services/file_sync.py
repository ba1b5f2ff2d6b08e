"""Batch files from villages without network (issue 17; design.md §4-§5): open, ingest, reply.

A batch file (domain.sealed_file, kind "batches") is checked (sender registered, same desa,
signature, decryption) before anything is read; its batches then go through ingest_batch, the
same function and idempotency record as POST /sync/batches, so importing a file twice, or a file
whose batches later come again over HTTP, changes nothing. The reply holds each batch's answer
(or its refusal) and the desa's change pages since the cursor the device sent, sealed for the
device and signed by the server.

Server keys: derived from BANSOS_SECRET_KEY with HKDF (one secret to keep, none in a plain file);
rotating the secret changes them, and the villages then need the new public keys. Devices' public
keys (not secret) are registered by IT into data_dir/file-sync/devices.json.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session

from domain.errors import KnownError
from domain.programmes import Catalogue
from domain.sealed_file import FileKind, KeyPair, PublicKeys, open_sealed, seal
from server.models import Device, User
from server.services.changes import changes_page_json
from server.services.ingest import BatchRejected, ingest_batch
from server.settings import Settings
from sync.protocol import RecordBatchRequest

log = logging.getLogger("bansos.server.file_sync")

SERVER_ID = "server"  # sync.file_sync.SERVER_ID
PAGE_LIMIT = 1000


class FileImportError(KnownError):
    """A batch file that cannot be imported (beyond the sealed-file refusals)."""

    @classmethod
    def default_message(cls) -> str:
        return "Berkas kiriman desa tidak bisa diimpor; tidak ada data yang diterapkan."


def server_keys(settings: Settings) -> KeyPair:
    secret = settings.secret_key.get_secret_value().encode()

    def derive(label: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"bansos-file-sync", info=label).derive(secret)

    return KeyPair(derive(b"ed25519"), derive(b"x25519"))


def _registry(settings: Settings) -> Path:
    return settings.data_dir / "file-sync" / "devices.json"


def registered_keys(settings: Settings) -> dict[str, str]:
    path = _registry(settings)
    return json.loads(path.read_text()) if path.exists() else {}


def register_device_key(engine: Engine, settings: Settings, device_id: str, keys_text: str) -> None:
    """Record a device's public keys (IT, after checking the device with its operator)."""
    try:
        keys = PublicKeys.from_text(keys_text)
    except (KeyError, ValueError) as e:
        raise FileImportError("Kunci publik perangkat tidak sah (bentuknya ed25519:…;x25519:…).") from e
    with Session(engine) as s:
        if s.get(Device, device_id) is None:
            raise FileImportError(f"Perangkat {device_id} tidak terdaftar di server; perangkat harus login "
                                  "sekali (atau didaftarkan saat provisioning) sebelum kirim lewat berkas.")
    reg = registered_keys(settings)
    reg[device_id] = keys.to_text()
    path = _registry(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(reg, indent=1, sort_keys=True))
    tmp.replace(path)


@dataclass(frozen=True, slots=True)
class ImportResult:
    device_id: str
    batches: int
    refused: int
    changes_pages: int


def import_file(engine: Engine, settings: Settings, catalogue: Catalogue, path: Path, reply: Path) -> ImportResult:
    """Open a batch file, ingest its batches, write the sealed reply. SealedFileRefused otherwise."""
    reg = registered_keys(settings)
    devices: dict[str, tuple[PublicKeys, str]] = {}

    def sender_of(device_id: str) -> tuple[PublicKeys, str] | None:
        if device_id not in reg:
            return None
        with Session(engine) as s:
            dev = s.get(Device, device_id)
        if dev is None:
            return None
        devices[device_id] = (PublicKeys.from_text(reg[device_id]), dev.desa_code)
        return devices[device_id]

    keys = server_keys(settings)
    opened = open_sealed(path.read_bytes(), kind=FileKind.BATCHES, recipient=SERVER_ID, recipient_keys=keys,
                         sender_of=sender_of, name=path.name)
    device_id = opened.header["sender"]
    body: dict[str, Any] = opened.body
    if body.get("device_id") != device_id:
        raise FileImportError(f"Berkas {path.name} tidak konsisten (perangkat di dalamnya berbeda). "
                              "Tidak ada data yang diterapkan.")
    results: list[dict[str, Any]] = []
    refused = 0
    with Session(engine) as s:
        dev = s.get(Device, device_id)
        assert dev is not None
        user = s.get(User, dev.user_id)
        if user is None or not user.active:
            raise FileImportError(f"Akun pemilik perangkat {device_id} tidak aktif; berkas tidak diimpor.")
        desa = dev.desa_code
        for b in body.get("batches", []):
            batch_id = str(b["batch_id"])
            try:
                req = RecordBatchRequest.model_validate(b["request"])
                results.append({"batch_id": batch_id, "response": json.loads(ingest_batch(
                    s, settings=settings, catalogue=catalogue, user=user, batch_id=batch_id, req=req))})
            except ValidationError as e:
                refused += 1
                results.append({"batch_id": batch_id, "status": 422, "message": str(e.errors()[:1])})
            except BatchRejected as e:
                refused += 1
                log.info("file batch %s refused: %s", batch_id, e.status_code)
                results.append({"batch_id": batch_id, "status": e.status_code, "message": e.message})
        pages: list[dict[str, Any]] = []
        since = int(body.get("since", 0))
        while True:
            page = json.loads(changes_page_json(s, desa=desa, since=since, limit=PAGE_LIMIT))
            page["since"] = since
            pages.append(page)
            if not page["has_more"] or page["next_cursor"] <= since:
                break
            since = page["next_cursor"]
    device_keys = devices[device_id][0]
    data = seal({"format": 1, "results": results, "pages": pages}, kind=FileKind.REPLY, sender=SERVER_ID,
                sender_keys=keys, recipient=device_id, recipient_keys=device_keys, desa_code=desa)
    tmp = reply.with_name(reply.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(reply)
    log.info("batch file from device %s: %d batches (%d refused), reply with %d pages",
             device_id, len(results), refused, len(pages))
    return ImportResult(device_id, len(results), refused, len(pages))
