"""What a sync run tells its caller: progress while it runs, a report when it ends."""

from __future__ import annotations

from dataclasses import dataclass, field

from sync.client import AuthError, DeviceRejected, Offline, OldClient, OldServer, Rejected, SyncError


@dataclass(slots=True)
class SyncProgress:
    phase: str = ""  # "push", "pull"
    sent: int = 0
    total: int = 0
    pages: int = 0


@dataclass(slots=True)
class SyncReport:
    batches: int = 0
    accepted: int = 0
    duplicate: int = 0
    conflict: int = 0
    invalid: int = 0
    pulled: int = 0
    references: int = 0
    skew_seconds: float | None = None
    error: str | None = None
    error_kind: str | None = None  # offline, auth, device, rejected, server, old_server, old_client
    invalid_records: list[str] = field(default_factory=list)
    conflict_records: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


def error_kind(exc: SyncError) -> str:
    if isinstance(exc, OldServer):
        return "old_server"
    if isinstance(exc, OldClient):
        return "old_client"
    if isinstance(exc, Offline):
        return "offline"
    if isinstance(exc, DeviceRejected):
        return "device"
    if isinstance(exc, AuthError):
        return "auth"
    if isinstance(exc, Rejected):
        return "rejected"
    return "server"
