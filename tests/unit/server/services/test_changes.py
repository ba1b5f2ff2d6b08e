"""Pull pages as the village client reads them: the server encodes them straight from its rows, so
every page here is parsed with the wire schema (sync.protocol.RecordChangesPage) and checked field by field."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from domain.records import HouseholdPayload, MemberPayload, ProposalPayload
from server.models import ProposalRow, ReferenceRecipient
from server.services.changes import encode_cursor
from server.services.seq import SeqAllocator, desa_feed
from sync.protocol import RecordChangesPage
from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, batch, household, member, op, proposal


def _page(api: Api, dev: str, **params: Any) -> RecordChangesPage:
    r = api.client.get("/api/v1/sync/changes", params={"device_id": dev, **params}, headers=api.auth("op1"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return RecordChangesPage.model_validate_json(r.content)


def test_a_page_carries_records_outcomes_and_reference_rows_in_the_wire_schema(api: Api, engine: Any) -> None:
    api.user("op1", "operator", DESA_A)
    dev = api.device("op1", DESA_A)
    hid, mid, pid = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    h = household(rt="3", rw="02", housing={"tenure": "milik_sendiri"}, assets=["lemari_es"])
    m = member(hid, ppks=[], criteria=["lansia"])
    p = proposal("PKH", household_id=hid, pengurus_id=mid, note="Lansia tinggal sendiri")
    r = api.send("op1", batch(dev, [op(hid, h), op(mid, m), op(pid, p)]))
    assert r.status_code == 200 and [x["status"] for x in r.json()["results"]] == ["ACCEPTED"] * 3, r.text
    with Session(engine) as s:  # a reviewer's return, as the review service stores it: seq moves, version not
        seq = SeqAllocator(s)
        s.execute(update(ProposalRow).where(col(ProposalRow.record_id) == pid).values(
            review_state="RETURNED", review_note="Lengkapi alamat", review_fields='["note"]',
            change_seq=seq.next(desa_feed(DESA_A))))
        seq.store()
        s.add(ReferenceRecipient(nik=m["nik"], programme="BPNT", level="pusat", status="aktif", period="2026",
                                 kecamatan_code=DESA_A[:6], change_seq=10_000, imported_at=datetime.now(UTC)))
        s.commit()

    page = _page(api, dev, since=0, limit=500)
    records = {c.record.record_id: c.record for c in page.changes if c.record is not None}
    assert [c.type for c in page.changes] == ["household", "member", "proposal", "reference"]
    got_h, got_m, got_p = records[hid], records[mid], records[pid]
    assert got_h.payload == HouseholdPayload.model_validate(h) and got_h.version == 1 and got_h.desa_code == DESA_A
    assert got_h.review_state is None and got_h.desil is None
    assert got_m.payload == MemberPayload.model_validate(m)
    assert got_p.payload == ProposalPayload.model_validate(p)
    assert (got_p.review_state, got_p.review_note, got_p.review_fields, got_p.version) == (
        "RETURNED", "Lengkapi alamat", ["note"], 1)
    refs = [c.reference for c in page.changes if c.reference is not None]
    assert [(x.nik, x.programme, x.level, x.status) for x in refs] == [(m["nik"], "BPNT", "pusat", "aktif")]
    seqs = [c.seq for c in page.changes]
    # Each feed in its own order: the desa's records (three tables, one feed), then its kecamatan's
    # reference rows; the cursor holds both positions (server.services.changes).
    record_seqs = [c.seq for c in page.changes if c.type != "reference"]
    ref_seqs = [c.seq for c in page.changes if c.type == "reference"]
    assert seqs == record_seqs + ref_seqs and record_seqs == sorted(record_seqs)
    assert page.next_cursor == encode_cursor(record_seqs[-1], ref_seqs[-1]) and not page.has_more
    assert abs((page.server_time - datetime.now(UTC)).total_seconds()) < 60

    # Paging: one change at a time walks the same changes, and an empty page keeps the cursor.
    walked, cursor, more = [], 0, True
    while more:
        pg = _page(api, dev, since=cursor, limit=1)
        walked += [c.seq for c in pg.changes]
        cursor, more = pg.next_cursor, pg.has_more
    assert walked == seqs
    last = _page(api, dev, since=cursor)
    assert last.changes == [] and last.next_cursor == cursor and not last.has_more
