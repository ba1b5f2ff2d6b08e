"""The Musdesus send rule on a real store: with the desa's setting on, only agreed proposals'
ops go out; holding one back never holds back later ops of other records; off, everything goes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from desktop_app.services.musdesus import MusdesusDecision, MusdesusService
from domain.records import RecordType
from local_db import outbox, send_rule
from local_db import repository as repo
from tests.support.households import edit, families
from tests.support.people import DESA
from tests.support.store import store


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with store(tmp_path / "s.sqlite3") as e:
        yield e


def waiting(engine: Engine) -> list[tuple[str, str]]:
    with repo.session_scope(engine) as s:
        return [(r.record_type, r.record_id) for r in outbox.unbatched_ops(s, 1000)]


def decide(engine: Engine, minutes: Path, agreed: list[str], not_agreed: list[str]) -> None:
    m = MusdesusService(engine, operator="Operator Uji", device_id="dev-00000001", desa_code=DESA)
    mid = m.open_meeting(on=date(2026, 12, 5), place="Balai Desa", chair="Kades", present=20, ref="BA/1",
                         proposal_ids=[*agreed, *not_agreed])
    for pid in agreed:
        m.decide(mid, pid, MusdesusDecision.AGREED)
    for pid in not_agreed:
        m.decide(mid, pid, MusdesusDecision.NOT_AGREED, "Belum memenuhi kriteria")
    m.attach_minutes(mid, minutes)
    m.close_meeting(mid)


def require(engine: Engine, on: bool) -> None:
    with repo.session_scope(engine, write=True) as s:
        repo.set_meta(s, send_rule.META_MUSDESUS_REQUIRED, "1" if on else "0")


def test_only_agreed_proposals_wait_to_be_sent_and_others_are_not_blocked(engine: Engine, tmp_path: Path) -> None:
    agreed, refused, undecided = families(engine, 3)
    (tmp_path / "ba.jpg").write_bytes(b"\xff\xd8\xff\xe0 foto berita acara")
    decide(engine, tmp_path / "ba.jpg", [agreed.proposal_id], [refused.proposal_id])
    # Saved after the held proposals: the refused family's member is edited.
    edit(engine, RecordType.MEMBER, refused.member_ids[0], phone="081234567890")
    require(engine, True)

    ops = waiting(engine)
    proposals = [rid for t, rid in ops if t == "proposal"]
    assert proposals == [agreed.proposal_id, agreed.proposal_id]  # created, then decided: in save order
    assert ops[-1] == ("member", refused.member_ids[0])  # the later edit is not stuck behind the held ones
    assert sum(1 for t, _ in ops if t == "household") == 3 and sum(1 for t, _ in ops if t == "member") == 4
    with repo.session_scope(engine) as s:
        assert send_rule.held_count(s) == 2  # the refused and the undecided proposal
        assert outbox.outbox_count(s) == len(ops)

    require(engine, False)
    assert {rid for t, rid in waiting(engine) if t == "proposal"} == {
        agreed.proposal_id, refused.proposal_id, undecided.proposal_id}
    with repo.session_scope(engine) as s:
        assert send_rule.held_count(s) == 0


def test_a_proposal_the_server_has_is_never_held(engine: Engine) -> None:
    (fam,) = families(engine, 1)
    require(engine, True)
    assert fam.proposal_id not in {rid for _, rid in waiting(engine)}
    with repo.session_scope(engine, write=True) as s:
        s.connection().exec_driver_sql("UPDATE proposals SET server_version = 1 WHERE record_id = ?",
                                       (fam.proposal_id,))
    assert ("proposal", fam.proposal_id) in waiting(engine)


def test_the_rule_is_off_unless_the_desa_turns_it_on(engine: Engine) -> None:
    (fam,) = families(engine, 1)
    with repo.session_scope(engine) as s:
        assert not send_rule.musdesus_required(s)
    assert ("proposal", fam.proposal_id) in waiting(engine)
