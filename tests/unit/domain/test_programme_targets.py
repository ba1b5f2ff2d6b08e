"""Which programmes target a household (KPM) and which a person; configured programmes say which."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from domain.programmes import DEFAULT, Catalogue, Programme, SourceLevel, Target, UnknownProgramme


@pytest.mark.parametrize(("code", "target"), [
    ("PKH", Target.HOUSEHOLD), ("BPNT", Target.HOUSEHOLD), ("BST", Target.HOUSEHOLD), ("BLT-DD", Target.HOUSEHOLD),
    ("PBI-JK", Target.PERSON),
])
def test_builtin_targets(code: str, target: Target) -> None:
    p = DEFAULT.resolve(code)
    assert p.target is target
    assert p.is_household == (target is Target.HOUSEHOLD)


def test_for_target_offers_only_the_programmes_that_fit() -> None:
    assert [p.code for p in DEFAULT.for_target(Target.PERSON)] == ["PBI-JK"]
    assert [p.code for p in DEFAULT.for_target(Target.HOUSEHOLD)] == ["PKH", "BPNT", "BST", "BLT-DD"]


def test_configured_programmes_say_their_target(tmp_path: Path) -> None:
    f = tmp_path / "programmes.json"
    f.write_text(json.dumps([
        {"code": "JAMKESDA", "name": "Jaminan Kesehatan Daerah", "level": "kabupaten", "target": "person"},
        {"code": "RTLH", "name": "Bedah Rumah Tidak Layak Huni", "level": "provinsi", "target": "HOUSEHOLD"},
        # No target: the old key decides (several per KK -> per person), so old files keep their meaning.
        {"code": "BEASISWA", "name": "Beasiswa Kabupaten", "multiple_per_kk": True},
        {"code": "SEMBAKO-KAB", "name": "Sembako Kabupaten"},
    ]), encoding="utf-8")
    cat = Catalogue.from_file(f)
    assert {p.code: p.target for p in cat.all() if p.level is not SourceLevel.PUSAT} == {
        "JAMKESDA": Target.PERSON, "RTLH": Target.HOUSEHOLD, "BEASISWA": Target.PERSON,
        "SEMBAKO-KAB": Target.HOUSEHOLD}
    assert {p.code for p in cat.for_target(Target.PERSON)} == {"PBI-JK", "JAMKESDA", "BEASISWA"}


def test_a_bad_target_in_the_file_is_refused_in_indonesian() -> None:
    with pytest.raises(UnknownProgramme) as e:
        Catalogue.from_config([{"code": "X", "name": "X", "target": "rumah"}])
    assert "sasaran 'rumah' tidak dikenal" in str(e.value) and "Program X" in str(e.value)


def test_programme_built_in_code_keeps_its_old_signature() -> None:
    p = Programme("ABC", "Program ABC", SourceLevel.KABUPATEN)  # positional, as before targets existed
    assert p.target is Target.HOUSEHOLD and not p.multiple_per_kk
    assert Programme("DEF", "Program DEF", SourceLevel.KABUPATEN, True).target is Target.PERSON
