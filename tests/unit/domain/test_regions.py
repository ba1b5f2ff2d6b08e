"""Kemendagri region tree (Kepmendagri 2025): lookup, children, search. Never BPS codes."""

from __future__ import annotations

from collections import Counter

from domain import regions


def test_lookup_by_dotted_or_plain_code() -> None:
    r = regions.get("19.02.01.2003")
    assert r is not None and r.level == 4 and r.digits == "1902012003"
    assert regions.get("1902012003") == r
    assert regions.name_of("19") == "Kepulauan Bangka Belitung"
    assert regions.name_of("1902") == "Kabupaten Belitung"
    assert regions.name_of("19.02.01") == "Tanjungpandan"
    assert regions.get("19.02.01").level_name == "kecamatan"  # type: ignore[union-attr]


def test_unknown_and_malformed_codes() -> None:
    assert regions.get("99") is None
    assert regions.get("19.02.99") is None
    assert regions.get("123") is None
    assert regions.get("") is None


def test_bps_style_codes_are_not_accepted() -> None:
    # BPS writes kecamatan with 3 digits (1902010) and desa as 1902010001: neither is a Kemendagri code.
    assert regions.get("1902010") is None
    assert not regions.is_desa("1902010001")


def test_children_and_parents() -> None:
    kec = regions.children("19.02")
    assert [r.name for r in kec][:1] == ["Tanjungpandan"]
    assert {r.code for r in kec} >= {"19.02.01", "19.02.02", "19.02.03", "19.02.04", "19.02.05"}
    assert all(r.level == 3 for r in kec)
    desa = regions.children("19.02.01")
    assert "19.02.01.2003" in {r.code for r in desa}
    assert [r.code for r in regions.parents("1902012003")] == ["19", "19.02", "19.02.01", "19.02.01.2003"]
    assert regions.path_text("1902012003").startswith("Buluh Tumbang, Tanjungpandan, Kabupaten Belitung")


def test_exact_kepmendagri_2025_counts() -> None:
    assert len(regions.children(None)) == 38
    assert len(regions.province_codes()) == 38
    counts = Counter(len(code.split(".")) for code, _name in regions._all_names())
    assert (counts[1], counts[2], counts[3], counts[4]) == (38, 514, 7285, 83762)


def test_search_by_name() -> None:
    hits = regions.search("tanjungpandan")
    assert hits[0].code == "19.02.01"
    assert all("tanjungpandan" in h.name.lower() for h in hits)
    desa = regions.search("buluh tumbang", level=4)
    assert [h.code for h in desa] == ["19.02.01.2003"]
    within = regions.search("a", level=3, within="19.02", limit=100)
    assert within and all(h.code.startswith("19.02.") for h in within)
    assert regions.search("   ") == []


def test_dotted_and_digits() -> None:
    assert regions.dotted("1902012003") == "19.02.01.2003"
    assert regions.digits_of("19.02.01.2003") == "1902012003"
    assert regions.level_of("19.02") == 2
    assert regions.is_desa("19.02.01.2003") and not regions.is_desa("19.02.01")
