"""Validation of one proposal: the programme fits its target (household vs person), the pengurus, the
removal reason, the Musdesus decision."""

from __future__ import annotations

from datetime import date

import pytest

from domain.programmes import Catalogue
from domain.proposal_check import open_key, validate_proposal
from domain.records import PAYLOADS, ProposalPayload, RecordType

TODAY = date(2025, 6, 20)


def proposal(**over: object) -> ProposalPayload:
    d: dict[str, object] = {"type": "new", "programme": "PKH", "household_id": "hh-1", "pengurus_id": "m-2",
                            "criteria": ["ibu_hamil"], "note": ""}
    d.update(over)
    return ProposalPayload.model_validate(d)


def person(**over: object) -> ProposalPayload:
    return proposal(**{"programme": "PBI-JK", "household_id": "", "pengurus_id": "", "member_id": "m-3", **over})


def found(p: ProposalPayload, **kw: object) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    res = validate_proposal(p, today=TODAY, **kw)  # type: ignore[arg-type]
    return [(i.field, i.code) for i in res.errors], [(i.field, i.code) for i in res.warnings]


def test_valid_household_and_person_proposals() -> None:
    assert found(proposal(), household_member_ids={"m-1", "m-2"}) == ([], [])
    assert found(person()) == ([], [])
    assert found(proposal(programme="sembako")) == ([], [])  # names resolve as elsewhere


def test_a_person_programme_aimed_at_a_household_is_an_error_saying_so() -> None:
    res = validate_proposal(person(household_id="hh-1", member_id=""), today=TODAY)
    assert [(i.field, i.code) for i in res.errors] == [("household_id", "person_programme_on_household")]
    assert "PBI-JK ditujukan untuk perorangan" in res.errors[0].message


def test_a_household_programme_aimed_at_a_member_is_an_error_saying_so() -> None:
    res = validate_proposal(proposal(household_id="", member_id="m-2"), today=TODAY)
    assert ("member_id", "household_programme_on_member") in [(i.field, i.code) for i in res.errors]
    assert ("household_id", "empty") in [(i.field, i.code) for i in res.errors]
    assert "PKH ditujukan untuk keluarga" in res.errors[0].message


@pytest.mark.parametrize(("p", "expected"), [
    (proposal(type=""), ("type", "empty")),
    (proposal(type="upgrade"), ("type", "unknown_code")),
    (proposal(programme="XYZ"), ("programme", "unknown")),
    (proposal(programme=""), ("programme", "unknown")),
    (proposal(pengurus_id=""), ("pengurus_id", "empty")),
    (person(member_id=""), ("member_id", "empty")),
    (person(household_id="hh-1"), ("household_id", "both_targets")),
    (person(pengurus_id="m-2"), ("pengurus_id", "person_programme")),
    (proposal(type="removal"), ("removal_reason", "empty")),
    (proposal(type="removal", removal_reason="bosan"), ("removal_reason", "unknown_code")),
    (proposal(type="removal", removal_reason="other"), ("note", "reason_needs_note")),
    (proposal(removal_reason="died"), ("removal_reason", "not_removal")),
    (proposal(criteria=["kaya"]), ("criteria", "unknown")),
    (proposal(musdesus_decision="mungkin", musdesus_date="2025-06-10"), ("musdesus_decision", "unknown_code")),
    (proposal(musdesus_decision="agreed"), ("musdesus_date", "empty")),
    (proposal(musdesus_decision="agreed", musdesus_date="2025-07-01"), ("musdesus_date", "future")),
    (proposal(musdesus_decision="agreed", musdesus_date="kemarin"), ("musdesus_date", "format")),
])
def test_each_error(p: ProposalPayload, expected: tuple[str, str]) -> None:
    assert expected in found(p)[0]


def test_the_pengurus_must_belong_to_the_household_when_its_members_are_known() -> None:
    assert found(proposal(), household_member_ids={"m-1"})[0] == [("pengurus_id", "not_a_member")]
    assert found(proposal())[0] == []  # unknown members: the store checks later


def test_removals_need_a_coded_reason_and_no_pengurus() -> None:
    assert found(proposal(type="removal", removal_reason="died", pengurus_id="")) == ([], [])
    assert found(person(type="removal", removal_reason="moved")) == ([], [])
    assert found(proposal(type="removal", removal_reason="other", note="Menikah keluar desa")) == ([], [])
    res = validate_proposal(proposal(type="removal"), today=TODAY)
    assert "wajib punya alasan" in res.errors[0].message and "died (Meninggal dunia)" in res.errors[0].message


def test_warnings_correction_without_note_and_musdesus_without_decision() -> None:
    assert found(proposal(type="correction")) == ([], [("note", "correction_without_note")])
    assert found(proposal(type="correction", note="Alamat pindah RT")) == ([], [])
    assert found(proposal(musdesus_ref="BA/12/VI/2025")) == ([], [("musdesus_decision", "empty")])
    assert found(proposal(musdesus_decision="not_agreed", musdesus_date="12-06-2025",
                          musdesus_ref="BA/12/VI/2025")) == ([], [])


def test_configured_person_programme() -> None:
    cat = Catalogue.from_config([{"code": "JAMKESDA", "name": "Jamkesda", "target": "person"}])
    assert validate_proposal(person(programme="jamkesda"), catalogue=cat, today=TODAY).ok
    assert not validate_proposal(proposal(programme="jamkesda"), catalogue=cat, today=TODAY).ok


def test_open_key_is_programme_and_target_whatever_the_type() -> None:
    assert open_key(proposal(programme="sembako")) == ("BPNT", "hh-1")
    assert open_key(person(type="removal", removal_reason="died")) == ("PBI-JK", "m-3")
    assert open_key(proposal(type="correction")) == open_key(proposal())


def test_the_three_payloads_are_registered_by_record_type() -> None:
    assert set(PAYLOADS) == set(RecordType) and PAYLOADS[RecordType.PROPOSAL] is ProposalPayload
    with pytest.raises(ValueError):
        ProposalPayload.model_validate({"programme": "PKH", "surprise": 1})  # unknown fields refused
