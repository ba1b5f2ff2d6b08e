"""The code-list helper: labels for every code, parsing what operators type, Indonesian errors."""

from __future__ import annotations

from enum import StrEnum

import pytest

from domain.codelist import CodeList


class Colour(StrEnum):
    MERAH = "merah"
    HIJAU_TUA = "hijau_tua"


COLOURS = CodeList(Colour, "Warna atap", {Colour.MERAH: "Merah", Colour.HIJAU_TUA: "Hijau tua"},
                   aliases={"hijau": Colour.HIJAU_TUA})


def test_labels_and_order() -> None:
    assert COLOURS.label("merah") == "Merah"
    assert COLOURS.label("ungu") == "ungu"  # unknown codes are shown as they are
    assert [c for c, _ in COLOURS.items()] == [Colour.MERAH, Colour.HIJAU_TUA]
    assert len(COLOURS) == 2 and list(COLOURS) == list(Colour)


@pytest.mark.parametrize(("text", "code"), [
    ("merah", Colour.MERAH), ("MERAH", Colour.MERAH), (" Hijau  Tua ", Colour.HIJAU_TUA),
    ("hijau_tua", Colour.HIJAU_TUA), ("hijau", Colour.HIJAU_TUA), ("ungu", None), ("", None), (None, None),
])
def test_parse_accepts_codes_labels_and_aliases(text: str | None, code: Colour | None) -> None:
    assert COLOURS.parse(text) is code


def test_membership_is_by_exact_code() -> None:
    assert "merah" in COLOURS and "hijau_tua" in COLOURS
    assert "Merah" not in COLOURS and 3 not in COLOURS


def test_check_names_the_field_and_the_choices() -> None:
    assert COLOURS.check("roof", "merah") is None
    assert COLOURS.check("roof", "") is None
    issue = COLOURS.check("roof", "ungu")
    assert issue is not None and issue.field == "roof" and issue.is_error
    assert "Warna atap" in issue.message and "'ungu' tidak dikenal" in issue.message and "merah (Merah)" in issue.message
    empty = COLOURS.check("roof", "", required=True)
    assert empty is not None and empty.code == "empty" and "wajib diisi" in empty.message


def test_a_code_without_a_label_is_refused_when_the_list_is_built() -> None:
    with pytest.raises(ValueError, match="hijau_tua"):
        CodeList(Colour, "Warna", {Colour.MERAH: "Merah"})
