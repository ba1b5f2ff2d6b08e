"""States shared by client and server (stored and sent as these strings)."""

from __future__ import annotations

from enum import StrEnum


class SyncState(StrEnum):
    NEW = "NEW"  # saved locally, never sent
    DIRTY = "DIRTY"  # edited since the last accepted version
    UPLOADING = "UPLOADING"  # in a batch whose answer has not arrived
    SYNCED = "SYNCED"
    INVALID = "INVALID"  # the server refused it; the operator must fix it
    CONFLICT = "CONFLICT"  # the server holds a different version; someone must choose


class ReviewState(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    RETURNED = "RETURNED"  # returned for revision


class OpKind(StrEnum):
    UPSERT = "UPSERT"
    DELETE = "DELETE"


class OpStatus(StrEnum):
    ACCEPTED = "ACCEPTED"
    DUPLICATE = "DUPLICATE"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"


class Role(StrEnum):
    OPERATOR = "operator"  # one desa
    REVIEWER = "reviewer"  # one kecamatan
    SUPERVISOR = "supervisor"  # one kab/kota
    ADMIN = "admin"
    PSM = "psm"  # field verifier, one desa (issue 16: citizens' reports only)
    TKSK = "tksk"  # field verifier, one kecamatan


# A role as the app names it to its users.
ROLE_LABELS = {Role.OPERATOR: "petugas desa", Role.REVIEWER: "peninjau kecamatan",
               Role.SUPERVISOR: "supervisor kabupaten", Role.ADMIN: "admin"}


def role_label(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return role


# Operator-facing words for each state (the list column and the status bar).
SYNC_LABELS = {
    SyncState.NEW: "Draf, belum dikirim",
    SyncState.DIRTY: "Menunggu dikirim",
    SyncState.UPLOADING: "Belum dipastikan terkirim",  # its batch awaits an answer; resent if none comes
    SyncState.SYNCED: "Terkirim",
    SyncState.INVALID: "Ditolak server, perlu diperbaiki",
    SyncState.CONFLICT: "Konflik",
}
REVIEW_LABELS = {
    ReviewState.PENDING: "Menunggu verifikasi",
    ReviewState.APPROVED: "Disetujui",
    ReviewState.REJECTED: "Ditolak",
    ReviewState.RETURNED: "Dikembalikan untuk perbaikan",
}
