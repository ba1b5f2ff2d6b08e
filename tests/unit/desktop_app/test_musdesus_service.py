"""The Musdesus service on a real store: the default list, decisions written onto the proposals
(new ops, so they sync), the minutes' type and size checks, closing only when complete."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from desktop_app.services.musdesus import AttachmentRefused, MeetingRefused, MusdesusDecision, MusdesusService
from domain.records import RecordType
from local_db.engine import close_store, open_store
from tests.support.households import families, payload
from tests.support.people import DESA

PDF = b"%PDF-1.4\n% berita acara\n"


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    e = open_store(tmp_path / "s.sqlite3")
    yield e
    close_store(e)


def svc(engine: Engine) -> MusdesusService:
    return MusdesusService(engine, operator="Operator Uji", device_id="dev-00000001", desa_code=DESA)


def open_one(m: MusdesusService) -> str:
    return m.open_meeting(on=date(2026, 12, 5), place="Balai Desa", chair="Kepala Desa", present=25,
                          ref="BA/01/XII/2026")


def test_meeting_lists_every_undecided_unsent_proposal_and_closing_writes_the_decisions(
        engine: Engine, tmp_path: Path) -> None:
    fams = families(engine, 3)
    m = svc(engine)
    mid = open_one(m)
    assert [i.proposal_id for i in m.items(mid)] == [f.proposal_id for f in fams]
    m.decide(mid, fams[0].proposal_id, MusdesusDecision.NOT_AGREED, "Salah ketik")
    m.decide(mid, fams[0].proposal_id, MusdesusDecision.AGREED)  # changed while the meeting is open
    m.decide(mid, fams[1].proposal_id, MusdesusDecision.NOT_AGREED, "Sudah mampu")
    m.decide(mid, fams[2].proposal_id, MusdesusDecision.AGREED)
    assert [(i.decision, i.note) for i in m.items(mid)] == [("agreed", ""), ("not_agreed", "Sudah mampu"),
                                                           ("agreed", "")]
    # Nothing reaches the proposals before the meeting closes.
    assert payload(engine, RecordType.PROPOSAL, fams[0].proposal_id).musdesus_decision == ""
    # A second meeting does not list the ones this open meeting holds.
    other = m.open_meeting(on=date(2026, 12, 6), place="Balai", chair="Sekdes", present=3)
    assert m.items(other) == []

    (tmp_path / "ba.pdf").write_bytes(PDF)
    digest = m.attach_minutes(mid, tmp_path / "ba.pdf")
    m.close_meeting(mid)
    p0 = payload(engine, RecordType.PROPOSAL, fams[0].proposal_id)
    p1 = payload(engine, RecordType.PROPOSAL, fams[1].proposal_id)
    assert (p0.musdesus_decision, p0.musdesus_date, p0.musdesus_ref, p0.musdesus_minutes_sha256) == (
        "agreed", "2026-12-05", "BA/01/XII/2026", digest)
    assert p1.musdesus_decision == "not_agreed" and p1.musdesus_minutes_sha256 == digest
    # The decision is one op of its own (after the draft's): it goes out with the proposal.
    with engine.connect() as c:
        ops = c.exec_driver_sql("SELECT payload FROM outbox WHERE record_id = ? ORDER BY seq",
                                (fams[0].proposal_id,)).scalars().all()
    assert len(ops) == 2 and '"musdesus_decision":"agreed"' in ops[-1] and digest in ops[-1]


def test_a_not_agreed_decision_needs_its_note(engine: Engine) -> None:
    fams = families(engine, 1)
    m = svc(engine)
    mid = open_one(m)
    with pytest.raises(MeetingRefused, match="Catatan wajib"):
        m.decide(mid, fams[0].proposal_id, MusdesusDecision.NOT_AGREED)


def test_minutes_must_be_pdf_jpg_or_png_and_small(engine: Engine, tmp_path: Path) -> None:
    m = svc(engine)
    mid = open_one(m)
    exe = tmp_path / "berita_acara.pdf"
    exe.write_bytes(b"MZ\x90\x00 not a pdf")
    with pytest.raises(AttachmentRefused, match=r"berita_acara\.pdf bukan PDF, JPG atau PNG"):
        m.attach_minutes(mid, exe)
    big = tmp_path / "scan.jpg"
    big.write_bytes(b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024))
    with pytest.raises(AttachmentRefused, match=r"scan\.jpg terlalu besar"):
        m.attach_minutes(mid, big)
    ok = tmp_path / "ba.pdf"
    ok.write_bytes(PDF)
    digest = m.attach_minutes(mid, ok)
    again = svc(engine).attach_minutes(open_one(m), ok)  # the same file for another meeting: one stored copy
    assert digest == again and m.minutes(mid) == ("ba.pdf", PDF)
    with engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM attachments").scalar_one() == 1


def test_close_needs_every_decision_and_the_minutes_then_nothing_changes(engine: Engine, tmp_path: Path) -> None:
    fams = families(engine, 2)
    m = svc(engine)
    mid = open_one(m)
    m.decide(mid, fams[0].proposal_id, MusdesusDecision.AGREED)
    with pytest.raises(MeetingRefused, match="Masih ada 1 usulan"):
        m.close_meeting(mid)
    m.decide(mid, fams[1].proposal_id, MusdesusDecision.AGREED)
    with pytest.raises(MeetingRefused, match="Lampirkan berita acara"):
        m.close_meeting(mid)
    (tmp_path / "ba.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 10)
    m.attach_minutes(mid, tmp_path / "ba.png")
    m.close_meeting(mid)
    assert (meeting := m.meeting(mid)) is not None and meeting.state == "closed"
    with pytest.raises(MeetingRefused, match="sudah ditutup"):
        m.decide(mid, fams[1].proposal_id, MusdesusDecision.NOT_AGREED, "ubah")
