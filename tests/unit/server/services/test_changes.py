"""Pull pages as the village client reads them: the server encodes them straight from its rows, so
every page here is parsed with the wire schema (sync.protocol.ChangesPage) and checked field by field."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from server.models import ReferenceRecipient
from server.services.changes import encode_cursor
from sync.protocol import ChangesPage, EntryPayload
from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, batch, op, payload


def _page(api: Api, dev: str, **params: Any) -> ChangesPage:
    r = api.client.get("/api/v1/sync/changes", params={"device_id": dev, **params}, headers=api.auth("op1"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return ChangesPage.model_validate_json(r.content)


def test_a_page_carries_entries_outcomes_and_reference_rows_in_the_wire_schema(api: Api, engine: Any) -> None:
    api.user("op1", "operator", DESA_A)
    api.user("rev1", "reviewer", DESA_A[:6])
    dev = api.device("op1", DESA_A)
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    pa = payload(criteria=["lansia", "nelayan"], rt="3", rw="02")
    pb = payload(serial=2, kk_serial=2, name="Budi Santoso", sex="L")
    r = api.send("op1", batch(dev, [op(a, pa), op(b, pb)]))
    assert r.status_code == 200, r.text
    r = api.client.post("/api/v1/review/decisions", json={"record_ids": [b], "decision": "return",
                                                           "note": "Lengkapi alamat"}, headers=api.auth("rev1"))
    assert r.status_code == 200 and r.json()["decided"] == 1, r.text
    with Session(engine) as s:
        s.add(ReferenceRecipient(nik=pa["nik"], programme="BPNT", level="pusat", status="aktif", period="2026",
                                 kecamatan_code=DESA_A[:6], change_seq=10_000, imported_at=datetime.now(UTC)))
        s.commit()

    page = _page(api, dev, since=0, limit=500)
    entries = {c.entry.record_id: c.entry for c in page.changes if c.entry is not None}
    assert set(entries) == {a, b}
    got_a, got_b = entries[a], entries[b]
    assert got_a.payload == EntryPayload.model_validate(pa) and got_a.version == 1
    assert got_a.review_state == "PENDING" and got_a.review_note is None and not got_a.deleted
    assert (got_b.review_state, got_b.review_note, got_b.payload.name) == ("RETURNED", "Lengkapi alamat", "Budi Santoso")
    refs = [c.reference for c in page.changes if c.reference is not None]
    assert [(x.nik, x.programme, x.level, x.status) for x in refs] == [(pa["nik"], "BPNT", "pusat", "aktif")]
    seqs = [c.seq for c in page.changes]
    # Each feed in its own order: the desa's entries, then its kecamatan's reference rows; the cursor
    # holds both positions (server.services.changes).
    entry_seqs = [c.seq for c in page.changes if c.type == "entry"]
    ref_seqs = [c.seq for c in page.changes if c.type == "reference"]
    assert seqs == entry_seqs + ref_seqs and entry_seqs == sorted(entry_seqs) and ref_seqs == sorted(ref_seqs)
    assert page.next_cursor == encode_cursor(entry_seqs[-1], ref_seqs[-1]) and not page.has_more
    assert abs((page.server_time - datetime.now(UTC)).total_seconds()) < 60

    # Paging: one change at a time walks the same changes, and an empty page keeps the cursor.
    walked, cursor, more = [], 0, True
    while more:
        p = _page(api, dev, since=cursor, limit=1)
        walked += [c.seq for c in p.changes]
        cursor, more = p.next_cursor, p.has_more
    assert walked == seqs
    last = _page(api, dev, since=cursor)
    assert last.changes == [] and last.next_cursor == cursor and not last.has_more
