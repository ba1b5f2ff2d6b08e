"""What a pulled change does to a local row (design.md §4): the one rule, as a pure function.

Server data overwrites only SYNCED rows with nothing waiting to go out; any other row (an edit
waiting or in flight, a record the server refused, a conflict still open) takes only the
server-owned columns (version seen, review outcome, flags). A conflict the server no longer holds
was settled by a reviewer: its outcome is taken whole, unless the village still has a newer op
waiting or the conflict is a deletion the operator must decide. A change older than what the row
already knows (a replayed page) is skipped; a record the store does not hold is inserted.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.states import SyncState

DELETED_CONFLICT = "deleted"  # conflict_data["kind"] of a server deletion met by a village edit


class PullAction(StrEnum):
    INSERT = "insert"
    OVERWRITE = "overwrite"
    SERVER_OWNED_ONLY = "server_owned_only"
    SKIP = "skip"


# Not frozen: one of each is built per pulled record, and a frozen dataclass costs more to build.
@dataclass(slots=True)
class LocalRow:
    """What the rule reads of the stored row."""

    sync_state: SyncState
    server_version: int | None
    base_version: int | None
    deleted: bool
    waiting: bool  # an op of this record is still in the outbox
    same_values: bool  # the operator's fields already equal the server's payload
    conflict_kind: str | None = None  # for CONFLICT: conflict_data["kind"]


@dataclass(slots=True)
class PulledChange:
    """What the rule reads of the server's copy."""

    version: int
    deleted: bool  # deleted in the village or voided on the server
    conflict_open: bool  # the server still holds a village edit beside its values


def pull_action(local: LocalRow | None, change: PulledChange) -> PullAction:
    if local is None:
        return PullAction.INSERT
    if local.server_version is not None and change.version < local.server_version:
        return PullAction.SKIP  # an older page replayed: nothing newer to learn
    if local.waiting:
        return PullAction.SERVER_OWNED_ONLY
    if local.sync_state == SyncState.CONFLICT:
        settled = not change.conflict_open and local.conflict_kind != DELETED_CONFLICT
        return PullAction.OVERWRITE if settled else PullAction.SERVER_OWNED_ONLY
    if local.sync_state == SyncState.SYNCED:
        unchanged = (local.deleted == change.deleted and local.base_version == change.version
                     and local.same_values)
        return PullAction.SERVER_OWNED_ONLY if unchanged else PullAction.OVERWRITE
    return PullAction.SERVER_OWNED_ONLY
