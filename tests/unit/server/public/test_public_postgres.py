"""The public side on PostgreSQL (migrated by alembic): counters, reports, stage 1, status and purge."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session

from domain.programmes import Catalogue
from server import db, migrate
from server.public import ratelimit, reports, status
from server.public.models import PublicReport
from tests.support.pg import fresh_schema_url
from tests.support.public_seed import DESA, add_person, add_proposal

pytestmark = pytest.mark.postgres
NIK, KK = "1902014508850001", "1902011203100005"


@pytest.fixture
def pg() -> Iterator[Engine]:
    with fresh_schema_url() as url:
        engine = db.make_engine(url)
        migrate.upgrade(engine)
        yield engine
        engine.dispose()


def test_concurrent_hits_lose_no_count(pg: Engine) -> None:
    limit = ratelimit.Limit("status-ip", 1000, 3600)
    with ThreadPoolExecutor(8) as pool:
        counts = sorted(pool.map(lambda _: ratelimit.hit(pg, limit, "abc"), range(40)))
    assert counts == list(range(1, 41))


def test_reports_stage_one_status_and_purge(pg: Engine) -> None:
    p = add_person(pg, NIK, KK)
    add_proposal(pg, p, "PKH", household=True, review_state="APPROVED")
    with Session(pg) as s:
        closed = reports.submit(s, reports.ReportInput(
            kind="usul", nik=NIK, name="Siti", desa_code=DESA, address="Dusun I RT 01",
            reason="Lansia tanpa penghasilan", reporter_name="Rahmat", reporter_phone="081234567890"),
            client="uji", active_statuses=["aktif"])
        assert closed.state == "AUTO_CLOSED"
        found = status.lookup(s, NIK, KK, Catalogue.from_file(None))
        assert found.found and [x.state for x in found.programmes] == ["Disetujui"]
        assert not status.lookup(s, NIK, "1902011203100006", Catalogue.from_file(None)).found
        s.execute(update(PublicReport).values(created_at=datetime.now(UTC) - timedelta(days=400)))
        s.commit()
        assert reports.purge(s, 365) == 1
        assert reports.find(s, closed.ticket) is None
