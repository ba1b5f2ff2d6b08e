"""Attachment bytes in the local store, keyed by sha256: the same file twice is one row (the
`attachments` table of local_db.meeting_migration). Checked by domain.attachment_check first."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from domain.attachment_check import media_type


@dataclass(frozen=True, slots=True)
class Attachment:
    sha256: str
    size: int
    media_type: str
    filename: str


def put(s: Session, filename: str, data: bytes) -> Attachment:
    """Store the file (once per content); AttachmentRefused for a wrong type or size."""
    kind = media_type(filename, data)
    digest = hashlib.sha256(data).hexdigest()
    s.connection().exec_driver_sql(
        "INSERT OR IGNORE INTO attachments (sha256, size, media_type, filename, data, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (digest, len(data), kind, filename, data, datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")))
    return Attachment(digest, len(data), kind, filename)


def info(s: Session, sha256: str) -> Attachment | None:
    row = s.connection().exec_driver_sql(
        "SELECT sha256, size, media_type, filename FROM attachments WHERE sha256 = ?", (sha256,)).first()
    return None if row is None else Attachment(row[0], row[1], row[2], row[3])


def data(s: Session, sha256: str) -> bytes | None:
    row = s.connection().exec_driver_sql("SELECT data FROM attachments WHERE sha256 = ?", (sha256,)).first()
    return None if row is None else bytes(row[0])
