"""The entry list's queries on a real store: search, filters, order, paging, counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.context import AppContext
from local_db import list_query as lq
from tests.support.seed import demo_rows, seed_demo


@pytest.fixture
def ctx(data_dir: Path):  # type: ignore[no-untyped-def]
    ids = seed_demo(data_dir)
    with AppContext.open(data_dir) as c:
        c.ids = ids  # type: ignore[attr-defined]
        yield c


def names(ctx: AppContext, flt: lq.ListFilter) -> list[str]:
    ids = lq.search_ids(ctx.engine, flt)
    rows = lq.fetch_rows(ctx.engine, ids)
    return [rows[i].name for i in ids]


def test_newest_first_and_limit(ctx: AppContext) -> None:
    ids = lq.search_ids(ctx.engine, lq.ListFilter())
    assert ids == list(reversed(ctx.ids))  # type: ignore[attr-defined]
    assert lq.search_ids(ctx.engine, lq.ListFilter(), limit=5) == ids[:5]


def test_search_by_name_words_nik_and_kk_prefix(ctx: AppContext) -> None:
    assert names(ctx, lq.ListFilter(text="AMINAH")) == ["Siti Aminah"]
    assert names(ctx, lq.ListFilter(text="sri wahyu")) == ["Sri Wahyuni"]
    assert names(ctx, lq.ListFilter(text="Moh. Rizki")) == ["Muhammad Rizki"]  # name key folds Moh./Muhammad
    siti = next(r for r in demo_rows() if r["name"] == "Siti Aminah")
    nik = str(siti["nik"])
    assert names(ctx, lq.ListFilter(text=f"{nik[:6]}.{nik[6:12]}.{nik[12:]}")) == ["Siti Aminah"]  # dots forgiven
    assert names(ctx, lq.ListFilter(text=nik[:11])) == ["Siti Aminah"]  # long prefix: through the index
    kk = str(siti["kk"])
    assert sorted(names(ctx, lq.ListFilter(text=kk))) == ["Ahmad Fauzi", "Muhammad Rizki", "Siti Aminah"]
    assert len(names(ctx, lq.ListFilter(text="1902"))) == 28  # short prefix: scan in order
    assert names(ctx, lq.ListFilter(text="50%_")) == []


def test_filters_and_deleted_rows(ctx: AppContext) -> None:
    assert sorted(names(ctx, lq.ListFilter(review_state="REJECTED"))) == ["Rosita", "Sulaiman"]
    assert sorted(names(ctx, lq.ListFilter(sync_state="CONFLICT"))) == ["Bambang Supriyadi"]
    assert sorted(names(ctx, lq.ListFilter(criterion="lansia", dusun="Air Serkuk"))) == ["Hasanudin", "Kartini",
                                                                                          "Rohana"]
    assert names(ctx, lq.ListFilter(programme="BST")) == []
    svc = ctx.entry_service()
    rid = lq.search_ids(ctx.engine, lq.ListFilter(text="Rohana"))[0]
    svc.delete(rid, reason="Meninggal dunia")
    assert names(ctx, lq.ListFilter(text="Rohana")) == []
    assert names(ctx, lq.ListFilter(text="Rohana", include_deleted=True)) == ["Rohana"]
    row = lq.fetch_rows(ctx.engine, [rid])[rid]
    assert row.deleted and row.criteria == ("lansia",) and row.birth_date is not None


def test_counts_and_dusuns(ctx: AppContext) -> None:
    c = lq.counts(ctx.engine)
    assert c.total == 28
    assert c.by_sync["SYNCED"] == 8 and c.by_sync["CONFLICT"] == 1 and c.by_sync["DIRTY"] == 1
    assert c.by_review["APPROVED"] == 4
    assert lq.dusuns(ctx.engine) == ["Air Serkuk", "Buluh Tumbang", "Pangkal Lalang", "Teluk Gembira"]
    assert lq.fetch_rows(ctx.engine, ["no-such-id"]) == {}
