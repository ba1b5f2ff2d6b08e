"""What a pulled change does to a local row: every combination of the row's state and the change.

One table, one line per case: (case, local row or None, server change, expected action). The last
test walks the whole cross product of the inputs and checks each result against the rule as
design.md §4 words it, so no combination is left out of the table by accident.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from domain.states import SyncState
from sync.pull_rule import LocalRow, PullAction, PulledChange, pull_action

INSERT, OVERWRITE, OWNED, SKIP = (PullAction.INSERT, PullAction.OVERWRITE, PullAction.SERVER_OWNED_ONLY,
                                  PullAction.SKIP)


def row(state: SyncState, *, server: int | None = 3, base: int | None = 3, deleted: bool = False,
        waiting: bool = False, same: bool = True, kind: str | None = None) -> LocalRow:
    return LocalRow(sync_state=state, server_version=server, base_version=base, deleted=deleted, waiting=waiting,
                    same_values=same, conflict_kind=kind)


def change(version: int = 3, *, deleted: bool = False, conflict: bool = False) -> PulledChange:
    return PulledChange(version=version, deleted=deleted, conflict_open=conflict)


S = SyncState
CASES: list[tuple[str, LocalRow | None, PulledChange, PullAction]] = [
    ("no local row", None, change(1), INSERT),
    ("no local row, deleted on the server", None, change(2, deleted=True), INSERT),
    # SYNCED, nothing waiting: the server's copy is taken whenever it differs
    ("synced, older change (replayed page)", row(S.SYNCED), change(2), SKIP),
    ("synced, same version, same values", row(S.SYNCED), change(3), OWNED),
    ("synced, same version, other values", row(S.SYNCED, same=False), change(3), OVERWRITE),
    ("synced, newer version", row(S.SYNCED), change(4), OVERWRITE),
    ("synced, newer version, same values", row(S.SYNCED, server=3, base=3), change(5), OVERWRITE),
    ("synced, base behind server_version", row(S.SYNCED, server=3, base=2), change(3), OVERWRITE),
    ("synced, deleted on the server", row(S.SYNCED), change(3, deleted=True), OVERWRITE),
    ("synced deleted row, restored on the server", row(S.SYNCED, deleted=True), change(3), OVERWRITE),
    ("synced deleted row, still deleted", row(S.SYNCED, deleted=True), change(3, deleted=True), OWNED),
    ("synced, but an op waits in the outbox", row(S.SYNCED, waiting=True), change(4), OWNED),
    ("synced, an op waits, older change", row(S.SYNCED, waiting=True), change(2), SKIP),
    # the village's own work is never overwritten
    ("dirty, newer version", row(S.DIRTY, waiting=True, same=False), change(4), OWNED),
    ("dirty, same version", row(S.DIRTY, waiting=True, same=False), change(3), OWNED),
    ("dirty, older change", row(S.DIRTY, waiting=True), change(2), SKIP),
    ("dirty, deleted on the server", row(S.DIRTY, waiting=True), change(4, deleted=True), OWNED),
    ("new, never accepted (answer lost)", row(S.NEW, server=None, base=None, waiting=True), change(1), OWNED),
    ("new, nothing waiting", row(S.NEW, server=None, base=None), change(1), OWNED),
    ("uploading, newer version", row(S.UPLOADING, waiting=True), change(4), OWNED),
    ("uploading, older change", row(S.UPLOADING, waiting=True), change(1), SKIP),
    ("invalid, newer version", row(S.INVALID, same=False), change(4), OWNED),
    ("invalid, never accepted", row(S.INVALID, server=None, base=None), change(1), OWNED),
    ("invalid, older change", row(S.INVALID), change(2), SKIP),
    # conflicts: taken whole only once a reviewer settled them on the server
    ("conflict still open on the server", row(S.CONFLICT, kind="hard"), change(4, conflict=True), OWNED),
    ("conflict settled by a reviewer", row(S.CONFLICT, kind="hard", same=False), change(4), OVERWRITE),
    ("conflict settled, values unchanged", row(S.CONFLICT, kind="hard"), change(3), OVERWRITE),
    ("conflict settled, but a newer op waits", row(S.CONFLICT, kind="hard", waiting=True), change(4), OWNED),
    ("deletion conflict: the operator decides", row(S.CONFLICT, kind="deleted"), change(4, deleted=True), OWNED),
    ("conflict without a kind, settled", row(S.CONFLICT, kind=None), change(4), OVERWRITE),
    ("conflict, older change", row(S.CONFLICT, kind="hard"), change(2), SKIP),
]


@pytest.mark.parametrize(("local", "incoming", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_pull_action(local: LocalRow | None, incoming: PulledChange, expected: PullAction) -> None:
    assert pull_action(local, incoming) == expected


def test_every_state_appears_in_the_table() -> None:
    states = {c[1].sync_state for c in CASES if c[1] is not None}
    assert states == set(SyncState)
    assert {c[3] for c in CASES} == set(PullAction)


def _by_the_design(local: LocalRow | None, c: PulledChange) -> PullAction:
    """design.md §4 in words, independently of pull_action's branch order."""
    if local is None:
        return INSERT
    older = local.server_version is not None and c.version < local.server_version
    if older:
        return SKIP
    synced_idle = local.sync_state == S.SYNCED and not local.waiting
    differs = local.deleted != c.deleted or local.base_version != c.version or not local.same_values
    settled = (local.sync_state == S.CONFLICT and not local.waiting and not c.conflict_open
               and local.conflict_kind != "deleted")
    return OVERWRITE if (synced_idle and differs) or settled else OWNED


def test_the_whole_cross_product_follows_the_design() -> None:
    base = row(S.SYNCED)
    seen: set[PullAction] = set()
    for state, server, base_v, deleted, waiting, same, kind in itertools.product(
            SyncState, (None, 2, 3, 4), (None, 2, 3, 4), (False, True), (False, True), (False, True),
            (None, "hard", "deleted")):
        local = replace(base, sync_state=state, server_version=server, base_version=base_v, deleted=deleted,
                        waiting=waiting, same_values=same, conflict_kind=kind)
        for version, c_deleted, c_conflict in itertools.product((2, 3, 4), (False, True), (False, True)):
            c = change(version, deleted=c_deleted, conflict=c_conflict)
            got = pull_action(local, c)
            assert got == _by_the_design(local, c), (local, c)
            seen.add(got)
    assert seen == {OVERWRITE, OWNED, SKIP}
