"""Programmes by code or name, case-insensitively; configured provincial/regency programmes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from domain.programmes import BUILTIN, DEFAULT, Catalogue, SourceLevel, UnknownProgramme


@pytest.mark.parametrize(("text", "code"), [
    ("PKH", "PKH"), ("pkh", "PKH"), (" Pkh ", "PKH"), ("Program Keluarga Harapan", "PKH"),
    ("program  keluarga harapan", "PKH"), ("BPNT", "BPNT"), ("sembako", "BPNT"), ("Sembako", "BPNT"),
    ("bst", "BST"), ("Bantuan Sosial Tunai", "BST"), ("BLT-DD", "BLT-DD"), ("blt dana desa", "BLT-DD"),
    ("BLTDD", "BLT-DD"), ("pbi", "PBI-JK"), ("pbi-jk", "PBI-JK"),
])
def test_resolve_by_code_or_name(text: str, code: str) -> None:
    assert DEFAULT.resolve(text).code == code


def test_required_builtins_are_pusat() -> None:
    codes = {p.code for p in BUILTIN}
    assert {"PKH", "BPNT", "BST", "BLT-DD", "PBI-JK"} <= codes
    assert all(p.level is SourceLevel.PUSAT for p in BUILTIN)
    assert DEFAULT.get("PBI-JK").multiple_per_kk  # type: ignore[union-attr]
    assert not DEFAULT.get("PKH").multiple_per_kk  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["", "   ", "XYZ", "keluarga"])
def test_unknown_programme_is_refused_in_indonesian(text: str) -> None:
    with pytest.raises(UnknownProgramme) as e:
        DEFAULT.resolve(text)
    assert "Program" in str(e.value)


def test_configured_programmes_from_a_file(tmp_path: Path) -> None:
    f = tmp_path / "programmes.json"
    f.write_text(json.dumps([
        {"code": "bansos-babel", "name": "Bansos Provinsi Babel", "level": "provinsi"},
        {"code": "BLT-BELITUNG", "name": "BLT Kabupaten Belitung", "level": "Kabupaten", "multiple_per_kk": True,
         "allow_pusat_recipients": True},
    ]), encoding="utf-8")
    cat = Catalogue.from_file(f)
    p = cat.resolve("bansos provinsi babel")
    assert (p.code, p.level) == ("BANSOS-BABEL", SourceLevel.PROVINSI)
    q = cat.resolve("blt-belitung")
    assert q.level is SourceLevel.KABUPATEN and q.multiple_per_kk and q.allow_pusat_recipients
    assert cat.resolve("pkh").code == "PKH"  # built-ins stay
    assert "BANSOS-BABEL" not in {x.code for x in DEFAULT.all()}


def test_missing_file_gives_the_builtins(tmp_path: Path) -> None:
    assert {p.code for p in Catalogue.from_file(tmp_path / "nope.json").all()} == {p.code for p in BUILTIN}
