"""Per-area change feeds (server.services.seq): a village's ingest waits only for its own desa, and a
puller never skips a change that commits late.

The concurrent tests run real ingest transactions (server.services.ingest) on PostgreSQL in threads,
each with its own session; a pause hook at the `ingest_before_commit` failpoint holds a chosen
transaction open with all its locks, so the overlap is made by held locks, never by sleeps. A
blocked writer is seen in pg_stat_activity (waiting on a lock), not guessed from elapsed time.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert, text
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table
from sqlmodel import Session, select

from domain.programmes import Catalogue
from server import db, failpoints, migrate
from server.models import Entry, MemberRow, ProposalRow, ReferenceRecipient, User, table_of
from server.services.changes import changes_page_json, decode_cursor, encode_cursor
from server.services.ingest import ingest_batch
from server.settings import Settings
from sync.protocol import RecordBatchRequest, RecordChangesPage
from tests.support.pg import fresh_schema_url
from tests.support.serverapp import make_api
from tests.support.serverdata import DESA_A, DESA_B, DESA_C, batch, many_payloads, person_ops

SETTINGS = Settings(environment="test", secret_key="uji-" + uuid.uuid4().hex, database_url="sqlite://")
CATALOGUE = Catalogue.from_file(None)


class Gates:
    """Pause named ingest threads just before their commit, holding their transaction open."""

    def __init__(self) -> None:
        self.reached: dict[str, threading.Event] = {}
        self.release: dict[str, threading.Event] = {}

    def add(self, name: str) -> None:
        self.reached[name], self.release[name] = threading.Event(), threading.Event()

    def hit(self, point: str) -> None:
        name = threading.current_thread().name
        if point == "ingest_before_commit" and name in self.reached:
            self.reached[name].set()
            assert self.release[name].wait(60), f"{name} never released"


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    with fresh_schema_url() as url:
        engine = db.make_engine(url)
        db.create_all(engine)
        yield engine
        engine.dispose()


def _setup(engine: Engine) -> dict[str, tuple[User, str]]:
    """Operators and devices for three desa (A and B in one kecamatan, C in another)."""
    out: dict[str, tuple[User, str]] = {}
    for api in make_api(engine):
        for name, desa in (("opa", DESA_A), ("opb", DESA_B), ("opc", DESA_C)):
            api.user(name, "operator", desa)
            out[desa] = (User(), api.device(name, desa))
    with Session(engine) as s:
        for desa, (_u, dev) in list(out.items()):
            user = s.exec(select(User).where(User.area_code == desa)).one()
            s.expunge(user)
            out[desa] = (user, dev)
    return out


def _ingest_thread(engine: Engine, name: str, user: User, device: str, payloads: list[dict[str, Any]],
                   results: dict[str, Any]) -> threading.Thread:
    req = RecordBatchRequest.model_validate(batch(device, [o for p in payloads for o in person_ops(p)]))

    def run() -> None:
        try:
            with Session(engine) as s:
                results[name] = ingest_batch(s, settings=SETTINGS, catalogue=CATALOGUE, user=user,
                                             batch_id=uuid.uuid4().hex, req=req)
        except BaseException as e:  # reported by the test, not lost in the thread
            results[name] = e

    t = threading.Thread(target=run, name=name, daemon=True)
    t.start()
    return t


def _pull_all(engine: Engine, desa: str, cursor: int) -> tuple[list[tuple[str, int]], int]:
    """Every change after `cursor`, page by page (small pages), and the final cursor."""
    got: list[tuple[str, int]] = []
    while True:
        with Session(engine) as s:
            page = RecordChangesPage.model_validate_json(changes_page_json(s, desa=desa, since=cursor, limit=2))
        got += [(c.record.record_id if c.record else f"ref:{c.reference.nik if c.reference else ''}", c.seq)
                for c in page.changes]
        assert page.next_cursor >= cursor
        cursor = page.next_cursor
        if not page.has_more:
            return got, cursor


def _waiting_on_lock(engine: Engine, timeout: float = 30) -> bool:
    """True once some other backend of this database waits on a lock (a blocked writer)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as c:
            n = c.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                               "AND datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
        if n:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.postgres
def test_areas_do_not_wait_for_each_other_and_a_late_commit_is_not_skipped(
        pg_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    people = _setup(pg_engine)
    gates = Gates()
    monkeypatch.setattr(failpoints, "hit", gates.hit)
    results: dict[str, Any] = {}
    cursor_a = _pull_all(pg_engine, DESA_A, 0)[1]
    cursor_c = _pull_all(pg_engine, DESA_C, 0)[1]

    # Different people in each batch (no duplicate keys in common, see the next test for those).
    # T1: desa A, held open just before commit (its feed row locked).
    gates.add("t1_desa_a")
    t1 = _ingest_thread(pg_engine, "t1_desa_a", *people[DESA_A], many_payloads(DESA_A, 3, start=1), results)
    assert gates.reached["t1_desa_a"].wait(60)
    # T2: desa C, another kecamatan. It gets its sequence values and reaches its commit while T1 holds
    # desa A's lock: areas do not wait for each other.
    gates.add("t2_desa_c")
    t2 = _ingest_thread(pg_engine, "t2_desa_c", *people[DESA_C], many_payloads(DESA_C, 2, start=1000), results)
    assert gates.reached["t2_desa_c"].wait(60), results.get("t2_desa_c")
    # Desa B shares A's kecamatan but not its feed: it commits outright.
    tb = _ingest_thread(pg_engine, "tb_desa_b", *people[DESA_B], many_payloads(DESA_B, 2, start=2000), results)
    tb.join(60)
    assert not tb.is_alive() and isinstance(results["tb_desa_b"], str), results.get("tb_desa_b")
    # T3: a second batch of desa A must wait for T1 (the same feed): blocked on the lock, not finished.
    gates.add("t3_desa_a")
    t3 = _ingest_thread(pg_engine, "t3_desa_a", *people[DESA_A], many_payloads(DESA_A, 2, start=100), results)
    assert _waiting_on_lock(pg_engine) and not gates.reached["t3_desa_a"].is_set()

    # Nothing of A or C is visible yet.
    assert _pull_all(pg_engine, DESA_A, cursor_a)[0] == []
    assert _pull_all(pg_engine, DESA_C, cursor_c)[0] == []
    # C commits first, then is pulled; A still pending.
    gates.release["t2_desa_c"].set()
    t2.join(60)
    got_c, cursor_c = _pull_all(pg_engine, DESA_C, cursor_c)
    assert len(got_c) == 2 * 3  # a household, a member and a proposal per person
    assert _pull_all(pg_engine, DESA_A, cursor_a)[0] == []
    # T1 commits; T3 then gets A's lock and values above T1's, and holds before its commit.
    gates.release["t1_desa_a"].set()
    t1.join(60)
    assert gates.reached["t3_desa_a"].wait(60)
    got_1, cursor_a = _pull_all(pg_engine, DESA_A, cursor_a)
    assert len(got_1) == 3 * 3
    # T3 commits late; the puller's cursor (after T1) still finds all of it.
    gates.release["t3_desa_a"].set()
    t3.join(60)
    got_3, cursor_a = _pull_all(pg_engine, DESA_A, cursor_a)
    assert len(got_3) == 2 * 3 and min(s for _r, s in got_3) > max(s for _r, s in got_1)
    for name in ("t1_desa_a", "t2_desa_c", "t3_desa_a"):
        assert isinstance(results[name], str), results[name]
    # A full pull agrees with the incremental ones: nothing skipped, nothing twice.
    everything = _pull_all(pg_engine, DESA_A, 0)[0]
    assert sorted(everything) == sorted(got_1 + got_3)
    with Session(pg_engine) as s:
        assert len(s.exec(select(ProposalRow).where(ProposalRow.desa_code == DESA_A)).all()) == 5


def test_cursor_packs_both_feeds_and_an_old_cursor_means_a_full_resync() -> None:
    c = encode_cursor(12, 7)
    assert decode_cursor(c) == (12, 7) and decode_cursor(0) == (0, 0)
    assert decode_cursor(2_000_000) == (0, 0)  # an old global change_seq: start again
    assert encode_cursor(0, 0) > 2**31 and encode_cursor(13, 0) > encode_cursor(12, 999_999)


def _old_server_db(path: Path) -> Engine:
    """A database at revision 0002 (the global counter) with entries and reference rows in it."""
    from alembic import command

    engine = db.make_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config(str(engine.url))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    rows = []
    for seq, desa, i in ((5, DESA_A, 1), (7, DESA_B, 2), (9, DESA_A, 3)):
        p = many_payloads(desa, 1, start=i)[0]
        rows.append({"record_id": str(uuid.uuid4()), "desa_code": desa, "kecamatan_code": desa[:6],
                     "kabkota_code": desa[:4], "nik": p["nik"], "kk": p["kk"], "name_key": p["name"].lower(),
                     "birth_date": p["birth_date"], "programme": p["programme"], "criteria": "", "version": 1,
                     "change_seq": seq, "deleted": False, "voided": False, "review_state": "PENDING",
                     "flags": "[]", "device_id": "old-device", "last_batch_id": "old-batch", "created_at": now,
                     "updated_at": now, "payload": json.dumps(p), "warnings": "[]"})
    with engine.begin() as conn:
        # The columns of revision 0002, not of today's model.
        old_entry = sa_table("srv_entry", *(sa_column(k, table_of(Entry).c[k].type) for k in rows[0]))
        conn.execute(insert(old_entry), rows)
        conn.execute(insert(table_of(ReferenceRecipient)), [{
            "nik": rows[0]["nik"], "programme": "PKH", "level": "pusat", "status": "aktif", "period": "2026",
            "kecamatan_code": DESA_A[:6], "change_seq": 8, "imported_at": now}])
        conn.execute(text("INSERT INTO srv_counter (name, value) VALUES ('change_seq', 9)"))
    return engine


def test_migration_carries_change_seqs_into_the_area_feeds_and_old_cursors_resync(tmp_path: Path) -> None:
    engine = _old_server_db(tmp_path / "old.db")
    migrate.upgrade(engine)
    with engine.connect() as c:
        feeds = dict(c.execute(text("SELECT area, value FROM srv_area_seq")).all())
    # 0003 carried the entries' seqs into the feeds; 0007 then gave each desa's new households,
    # members and proposals fresh values above them (A: two people, B: one).
    assert feeds == {f"desa:{DESA_A}": 9 + 6, f"desa:{DESA_B}": 7 + 3, f"ref:{DESA_A[:6]}": 8}
    # A client that pulled everything before the upgrade holds the old cursor 9: it gets all of its
    # desa again (a full resync), not a gap.
    got, cursor = _pull_all(engine, DESA_A, 9)
    assert sorted(s for _r, s in got) == [8, 10, 11, 12, 13, 14, 15] and decode_cursor(cursor) == (15, 8)
    # New changes in desa A continue above the carried values.
    people = _setup(engine)
    with Session(engine) as s:
        req = RecordBatchRequest.model_validate(batch(people[DESA_A][1], person_ops(many_payloads(DESA_A, 1,
                                                                                                  start=50)[0])))
        ingest_batch(s, settings=SETTINGS, catalogue=CATALOGUE, user=people[DESA_A][0], batch_id=uuid.uuid4().hex,
                     req=req)
    got, _ = _pull_all(engine, DESA_A, cursor)
    assert [s for _r, s in got] == [16, 17, 18]
    engine.dispose()


@pytest.mark.postgres
def test_two_villages_sending_the_same_nik_at_once_make_one_group(
        pg_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the global lock, the duplicate check of two concurrent batches must still see each
    other: the second waits on the NIK's advisory lock, then finds the first one's row."""
    from server.models import DuplicateGroup, DuplicateMember

    people = _setup(pg_engine)
    gates = Gates()
    monkeypatch.setattr(failpoints, "hit", gates.hit)
    results: dict[str, Any] = {}
    a = many_payloads(DESA_A, 1, start=7)[0]
    c = {**many_payloads(DESA_C, 1, start=500)[0], "nik": a["nik"]}  # the same NIK in another kecamatan
    gates.add("t1")
    t1 = _ingest_thread(pg_engine, "t1", *people[DESA_A], [a], results)
    assert gates.reached["t1"].wait(60)
    t2 = _ingest_thread(pg_engine, "t2", *people[DESA_C], [c], results)
    assert _waiting_on_lock(pg_engine)  # on the NIK's lock, not on desa A's feed
    gates.release["t1"].set()
    t1.join(60)
    t2.join(60)
    assert isinstance(results["t1"], str) and isinstance(results["t2"], str), results
    with Session(pg_engine) as s:
        groups = s.exec(select(DuplicateGroup).where(DuplicateGroup.kind == "nik")).all()
        assert len(groups) == 1
        assert len(s.exec(select(DuplicateMember).where(DuplicateMember.group_id == groups[0].id)).all()) == 2
        flags = [json.loads(m.flags) for m in s.exec(select(MemberRow).where(MemberRow.nik == a["nik"]))]
        assert all("DUP_NIK" in f for f in flags) and len(flags) == 2
