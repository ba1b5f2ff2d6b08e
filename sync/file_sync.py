"""Sync by file (design.md §4, §5; issue 17): the same batches as HTTP, carried on a USB stick.

Export: every pending batch goes into one sealed file for the server: the batches saved but not
answered yet (same batch id, same ops, same bytes as HTTP would re-send) and new batches built by
sync.engine's batching and saved in local_db.outbox exactly as before an HTTP send. A later HTTP
run therefore re-sends the same batch ids and the server answers from its idempotency record.

Reply: the server's answers to those batches and the desa's changes since the cursor the export
carried. The answers go through SyncEngine._apply_results and the pages through the engine's pull,
through a client that reads them from the reply instead of the network: the same code as an
HTTP run, guarded the same way (answers already applied are skipped; a page applies only at the
cursor it was fetched from), so a reply read twice changes nothing.

Keys: the device's key pair lives in the (encrypted) store's meta; the server's public keys arrive
with the provisioning data or `bansos sync --server-keys`; the device's public keys are registered
on the server by IT (`bansos-server register-device-key`).
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from domain.errors import KnownError
from domain.sealed_file import FileKind, KeyPair, PublicKeys, open_sealed, seal
from local_db import outbox
from local_db.repository import get_meta, session_scope, set_meta
from sync.client import Offline, Rejected
from sync.engine import META_CURSOR, SyncEngine
from sync.protocol import BatchResponse, RecordChangesPage
from sync.report import SyncReport
from sync.wire import WireOp, encode_texts

log = logging.getLogger(__name__)

SERVER_ID = "server"  # the recipient/sender id of the server in sealed headers
META_DEVICE_KEYS = "filesync.device_keys"
META_SERVER_KEYS = "filesync.server_keys"
META_LAST_REPLY_AT = "filesync.last_reply_at"
META_REPLIES = "filesync.replies"  # file ids of replies read, newest last
META_DESA = "desa_code"
META_DEVICE_ID = "device_id"
FORMAT = 1


class FileSyncError(KnownError):
    """A file sync that cannot go ahead; the message says why, in Indonesian."""

    @classmethod
    def default_message(cls) -> str:
        return "Sinkronisasi lewat berkas tidak bisa dilanjutkan; tidak ada data yang diubah."


class ReplyAlreadyRead(FileSyncError):
    @classmethod
    def default_message(cls) -> str:
        return "Berkas balasan ini sudah pernah dibaca; tidak ada yang berubah."


class ReplyOutdated(FileSyncError):
    @classmethod
    def default_message(cls) -> str:
        return ("Berkas balasan ini lebih lama daripada balasan yang sudah dibaca; pakai balasan terbaru dari "
                "server. Tidak ada data yang diterapkan.")


# ----------------------------------------------------------------------------- keys


def _keypair_text(k: KeyPair) -> str:
    return f"{base64.b64encode(k.sign).decode()};{base64.b64encode(k.box).decode()}"


def device_keys(db: Engine) -> KeyPair:
    """The device's key pair, made on first use and kept in the store's meta (encrypted store)."""
    with session_scope(db, write=True) as s:
        text = get_meta(s, META_DEVICE_KEYS, "") or ""
        if text:
            sign, box = text.split(";")
            return KeyPair(base64.b64decode(sign), base64.b64decode(box))
        keys = KeyPair.generate()
        set_meta(s, META_DEVICE_KEYS, _keypair_text(keys))
        return keys


def set_server_keys(db: Engine, text: str) -> PublicKeys:
    try:
        keys = PublicKeys.from_text(text)
    except (KeyError, ValueError) as e:
        raise FileSyncError("Kunci publik server tidak sah; salin ulang dari petugas TI "
                            "(bentuknya ed25519:…;x25519:…).") from e
    with session_scope(db, write=True) as s:
        set_meta(s, META_SERVER_KEYS, keys.to_text())
    return keys


def _identity(db: Engine) -> tuple[str, str, PublicKeys]:
    with session_scope(db) as s:
        device_id = get_meta(s, META_DEVICE_ID, "") or ""
        desa = get_meta(s, META_DESA, "") or ""
        server = get_meta(s, META_SERVER_KEYS, "") or ""
    if not device_id or not desa:
        raise FileSyncError("Perangkat ini belum terdaftar ke desa; daftarkan dulu (login sekali atau "
                            "berkas provisioning dari petugas TI).")
    if not server:
        raise FileSyncError("Kunci publik server belum diatur; minta ke petugas TI lalu jalankan "
                            "'bansos sync --server-keys \"ed25519:…;x25519:…\"'.")
    return device_id, desa, PublicKeys.from_text(server)


# ----------------------------------------------------------------------------- export


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    batches: int
    ops: int


def export_file(db: Engine, path: Path, *, actor: str = "") -> ExportResult:
    """Write every pending batch into one sealed file for the server (see the module docstring)."""
    device_id, desa, server_keys = _identity(db)
    keys = device_keys(db)
    engine = SyncEngine(db, _NoNetwork(), device_id, actor=actor)  # type: ignore[arg-type]
    batches: list[dict[str, Any]] = []
    in_flight: set[tuple[str, str]] = set()
    with engine._write() as s:
        for saved in outbox.unanswered_batches(s, engine.clock()):
            rows = [WireOp.of(r) for r in saved.ops]
            batches.append(_batch_entry(device_id, saved.batch_id, rows))
            in_flight.update((r.record_type, r.record_id) for r in rows)
    report = SyncReport()
    while True:
        built = engine._build_batch(engine.cap, report)
        if built is None:
            break
        batch_id, rows = built
        keys_of = {(r.record_type, r.record_id) for r in rows}
        if keys_of & in_flight:
            # A later op of a record whose earlier op is in this file: it needs that op's answer
            # (its base version) first, as over HTTP. It waits for the next file.
            with engine._write() as s:
                outbox.release_batch(s, batch_id, list(keys_of))
                outbox.close_batch(s, batch_id, engine.clock(), "menunggu balasan berkas sebelumnya")
            break
        in_flight |= keys_of
        batches.append(_batch_entry(device_id, batch_id, rows))
    with session_scope(db) as s:
        cursor = int(get_meta(s, META_CURSOR, "0") or 0)
    body = {"format": FORMAT, "device_id": device_id, "since": cursor, "batches": batches}
    data = seal(body, kind=FileKind.BATCHES, sender=device_id, sender_keys=keys, recipient=SERVER_ID,
                recipient_keys=server_keys, desa_code=desa)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    ops = sum(len(b["request"]["ops"]) for b in batches)
    log.info("batch file written: %d batches, %d ops", len(batches), ops)
    return ExportResult(path, len(batches), ops)


def _batch_entry(device_id: str, batch_id: str, rows: list[WireOp]) -> dict[str, Any]:
    # The exact request body HTTP sends (sync.wire.encode_texts), so the server's hash matches a resend.
    return {"batch_id": batch_id, "request": json.loads(encode_texts(device_id, [r.text for r in rows]))}


class _NoNetwork:
    """Export builds batches only; any network call would be a bug."""

    last_server_time = None

    def __getattr__(self, name: str) -> Any:
        raise Offline()


# ----------------------------------------------------------------------------- reply


def read_reply(db: Engine, path: Path, *, actor: str = "") -> SyncReport:
    """Apply a reply file exactly like an HTTP run applies answers and pages; SealedFileRefused,
    ReplyAlreadyRead or ReplyOutdated otherwise, with nothing applied."""
    device_id, desa, server_keys = _identity(db)
    keys = device_keys(db)
    opened = open_sealed(path.read_bytes(), kind=FileKind.REPLY, recipient=device_id, recipient_keys=keys,
                         sender_of=lambda sid: (server_keys, desa) if sid == SERVER_ID else None, name=path.name)
    file_id, created = opened.header.get("file_id", ""), opened.header.get("created_at", "")
    with session_scope(db) as s:
        seen = json.loads(get_meta(s, META_REPLIES, "[]") or "[]")
        last = get_meta(s, META_LAST_REPLY_AT, "") or ""
    if file_id in seen:
        raise ReplyAlreadyRead(f"Berkas balasan {path.name} sudah pernah dibaca; tidak ada yang berubah.")
    if last and datetime.fromisoformat(created) < datetime.fromisoformat(last):
        raise ReplyOutdated(f"Berkas balasan {path.name} lebih lama daripada balasan yang sudah dibaca; "
                            "pakai balasan terbaru dari server. Tidak ada data yang diterapkan.")
    body = opened.body
    client = _ReplyClient(body)
    engine = SyncEngine(db, client, device_id, actor=actor, max_attempts=1)  # type: ignore[arg-type]
    report = SyncReport()
    answered = {r["batch_id"] for r in body.get("results", [])}
    while True:
        pending = _next_answered(engine, answered)
        if pending is None:
            break
        batch_id, rows = pending
        answered.discard(batch_id)
        entry = client.result(batch_id)
        if "response" in entry:
            engine._apply_results(batch_id, rows, BatchResponse.model_validate(entry["response"]), report)
            report.batches += 1
        else:
            engine._on_rejected(batch_id, rows, Rejected(int(entry["status"]), str(entry["message"])),
                                engine.cap, report)
    engine._protocol_checked = True
    engine.pull(report)
    with engine._write() as s:
        seen = [*json.loads(get_meta(s, META_REPLIES, "[]") or "[]"), file_id][-50:]
        set_meta(s, META_REPLIES, json.dumps(seen))
        set_meta(s, META_LAST_REPLY_AT, created)
    log.info("reply %s applied: %d batches, %d changes", file_id, report.batches, report.pulled)
    return report


def _next_answered(engine: SyncEngine, answered: set[str]) -> tuple[str, list[WireOp]] | None:
    with engine._write() as s:
        for saved in outbox.unanswered_batches(s, engine.clock()):
            if saved.batch_id in answered:
                return saved.batch_id, [WireOp.of(r) for r in saved.ops]
    return None


class _ReplyClient:
    """The pull half of SyncClient, read from a reply: pages in the order the server wrote them."""

    carries_reports = False  # citizens' reports travel over HTTP only (SyncEngine.pull skips them)

    def __init__(self, body: dict[str, Any]) -> None:
        self._results = {r["batch_id"]: r for r in body.get("results", [])}
        self._pages = [RecordChangesPage.model_validate(p) for p in body.get("pages", [])]
        self._since = [int(p.get("since", 0)) for p in body.get("pages", [])]
        self.last_server_time: datetime | None = None

    def result(self, batch_id: str) -> dict[str, Any]:
        return self._results[batch_id]

    def get_changes(self, since: int, limit: int, device_id: str) -> RecordChangesPage:
        for start, page in zip(self._since, self._pages, strict=True):
            if start == since:
                self.last_server_time = page.server_time
                return page
        # Nothing from this cursor in the reply (already applied, or a newer HTTP pull went past it).
        return RecordChangesPage(changes=[], next_cursor=since, has_more=False,
                                 server_time=self._pages[-1].server_time if self._pages else datetime.now())
