"""HouseholdService over a real store: checks while typing, member duplicates over the members table,
the probable-duplicate reason, proposals on the right target, the three lists' counts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.context import AppContext
from desktop_app.services.households import (
    HouseholdService,
    ListFilter,
    MemberRefused,
    OverrideRequired,
    View,
    proposal_from,
)
from local_db.household_errors import DuplicateHousehold, DuplicateProposal, WrongTarget
from tests.support.household_seed import SeededFamily, seed_households, service
from tests.support.seed import FAMILIES, demo_rows

SITI = next(r for r in demo_rows() if r["name"] == "Siti Aminah")


@pytest.fixture
def seeded(data_dir: Path) -> Iterator[tuple[HouseholdService, list[SeededFamily]]]:
    families = seed_households(data_dir)
    with AppContext.open(data_dir) as ctx:
        yield service(ctx), families


def test_same_nik_blocks_and_names_the_family(seeded) -> None:  # type: ignore[no-untyped-def]
    svc, fams = seeded
    data = {"household_id": fams[1].household_id, "nik": SITI["nik"], "name": "Siti A.", "birth_date": "23/11/82",
            "sex": "P", "relation": "istri"}
    check = svc.check_member(data)
    assert [h.kind for h in check.duplicates] == ["nik"] and check.duplicates[0].blocking
    assert f"KK {SITI['kk']}" in check.errors[0].message
    with pytest.raises(MemberRefused) as exc:
        svc.save_member(data)
    assert exc.value.issues[0].field == "nik"


def test_probable_person_among_members_needs_a_reason(seeded) -> None:  # type: ignore[no-untyped-def]
    svc, fams = seeded
    data = {"household_id": fams[1].household_id, "nik": "1902016311820777", "name": "Sitti Aminah",
            "birth_date": "23-11-1982", "sex": "P", "relation": "famili_lain"}
    check = svc.check_member(data)
    assert [h.name for h in check.probable] == ["Siti Aminah"] and check.ok
    with pytest.raises(OverrideRequired):
        svc.save_member(data)
    saved = svc.save_member(data, override_reason="Orang berbeda, ibu kandung lain")
    assert svc.member(saved.record_id)["override_reason"] == "Orang berbeda, ibu kandung lain"  # type: ignore[index]
    # Editing it later keeps the reason given once.
    again = svc.save_member({**data, "occupation": "pedagang"}, record_id=saved.record_id)
    assert again.record_id == saved.record_id


def test_a_member_is_not_its_own_duplicate_and_deleted_ones_are_none(seeded) -> None:  # type: ignore[no-untyped-def]
    svc, fams = seeded
    rizki = fams[0].member_ids[2]
    row = svc.member(rizki)
    assert row is not None
    data = {k: row[k] for k in ("household_id", "nik", "name", "birth_place", "sex", "relation")}
    data["birth_date"] = row["birth_date"]
    assert svc.check_member(data, record_id=rizki).duplicates == []


def test_proposals_fit_their_target_and_rule_4_refuses_a_second(seeded) -> None:  # type: ignore[no-untyped-def]
    svc, fams = seeded
    fam = fams[0]
    with pytest.raises(WrongTarget):
        svc.save_proposal(proposal_from({"programme": "PBI-JK", "household_id": fam.household_id}))
    with pytest.raises(DuplicateProposal) as exc:
        svc.save_proposal(proposal_from({"programme": "PKH", "household_id": fam.household_id,
                                         "pengurus_id": fam.member_ids[0]}))
    assert "keluarga ini sudah punya usulan PKH yang masih terbuka" in str(exc.value)
    with pytest.raises(DuplicateHousehold):
        svc.save_household({"kk": fam.kk, "dusun": "Air Serkuk"})


def test_counts_of_the_three_views_and_what_waits(seeded) -> None:  # type: ignore[no-untyped-def]
    svc, _fams = seeded
    n_members = sum(len(f.members) for f in FAMILIES)
    counts = svc.counts()
    assert counts[View.HOUSEHOLDS] == len(FAMILIES) and counts[View.MEMBERS] == n_members
    assert svc.waiting() == counts  # nothing sent yet
    assert svc.count(View.MEMBERS, ListFilter(text="siti")) == 1
    assert len(svc.rows(View.MEMBERS, ListFilter(text=str(SITI["kk"])))) == 3
    assert svc.dusuns() == sorted({f.dusun for f in FAMILIES})
