"""NIK and KK: every edge of design.md §3, as an operator would type them."""

from __future__ import annotations

from datetime import date

import pytest

from domain.idnumbers import normalize, parse_kk, parse_nik

# 19.02.01 = Tanjungpandan, Kabupaten Belitung, Kepulauan Bangka Belitung.
TODAY = date(2026, 11, 22)


def codes(n: object) -> set[str]:
    return {i.code for i in n.errors}  # type: ignore[attr-defined]


def warn_codes(n: object) -> set[str]:
    return {i.code for i in n.warnings}  # type: ignore[attr-defined]


def test_the_issue_example_decodes_belitung_tanjungpandan_female_17_08_85() -> None:
    n = parse_nik("1902015708850001")
    assert n.valid
    assert n.region.province_name == "Kepulauan Bangka Belitung"
    assert n.region.kabkota_name == "Kabupaten Belitung"
    assert n.region.kecamatan_name == "Tanjungpandan"
    assert (n.region.province_code, n.region.kabkota_code, n.region.kecamatan_code) == ("19", "19.02", "19.02.01")
    assert (n.day, n.month, n.yy, n.sex, n.serial) == (17, 8, 85, "P", "0001")
    assert n.date_text == "17-08-85"
    assert n.likely_date(TODAY) == date(1985, 8, 17)  # 2085 is in the future
    assert n.to_dict()["sex"] == "P"


def test_male_day_is_written_as_is() -> None:
    n = parse_nik("1902011708850001")
    assert n.valid and n.sex == "L" and n.day == 17


@pytest.mark.parametrize(("dd", "ok", "sex", "day"), [
    ("00", False, None, None),
    ("01", True, "L", 1),
    ("31", True, "L", 31),
    ("32", False, None, None),
    ("40", False, None, None),  # neither 01-31 nor 41-71: never modulo 40
    ("41", True, "P", 1),
    ("71", True, "P", 31),
    ("72", False, None, None),
    ("85", False, None, None),
    ("99", False, None, None),
])
def test_day_field(dd: str, ok: bool, sex: str | None, day: int | None) -> None:
    n = parse_nik(f"190201{dd}01850001")  # January has 31 days
    assert n.valid is ok
    if ok:
        assert (n.sex, n.day) == (sex, day)
    else:
        assert "day" in codes(n)
        assert "tanggal lahir" in n.errors[0].message


@pytest.mark.parametrize(("ddmmyy", "ok"), [
    ("310485", False),  # 31 April
    ("710485", False),  # 31 April, female
    ("300485", True),
    ("700485", True),
    ("290284", True),   # 1984/2084 leap
    ("690284", True),   # female, leap
    ("290200", True),   # 2000 is a leap year (1900 is not, but 2000 is a candidate)
    ("290285", False),  # 1985/2085 not leap
    ("690285", False),
    ("290296", True),
    ("290201", False),
    ("300284", False),  # 30 Feb never
    ("311285", True),
    ("311185", False),  # 31 November
])
def test_real_calendar_dates(ddmmyy: str, ok: bool) -> None:
    n = parse_nik(f"190201{ddmmyy}0001")
    assert n.valid is ok, n.errors
    if not ok:
        assert "date" in codes(n)


@pytest.mark.parametrize("mm", ["00", "13", "99"])
def test_month_out_of_range(mm: str) -> None:
    n = parse_nik(f"19020117{mm}850001")
    assert "month" in codes(n)
    assert "bulan" in next(i.message for i in n.errors if i.code == "month")


def test_serial_0000_is_an_error_and_0001_9999_are_fine() -> None:
    assert "serial" in codes(parse_nik("1902011708850000"))
    assert parse_nik("1902011708859999").valid


@pytest.mark.parametrize(("nik", "code"), [
    ("1900011708850001", "kabkota_00"),
    ("1902001708850001", "kecamatan_00"),
    ("0002011708850001", "province"),
    ("9902011708850001", "province"),
    ("2002011708850001", "province"),  # there is no province 20
])
def test_region_prefix_errors(nik: str, code: str) -> None:
    n = parse_nik(nik)
    assert not n.valid
    assert code in codes(n)


@pytest.mark.parametrize("raw", [
    "1902 0157 0885 0001", "19.02.01.570885.0001", "1902-0157-0885-0001", " 1902015708850001 ",
    "19 02 01 57 08 85 0001",
])
def test_spaces_dots_dashes_are_stripped(raw: str) -> None:
    n = parse_nik(raw)
    assert n.valid
    assert n.digits == "1902015708850001"
    assert normalize(raw) == "1902015708850001"


@pytest.mark.parametrize(("raw", "code", "word"), [
    ("190201570885000", "length", "15 digit"),
    ("19020157088500011", "length", "17 digit"),
    ("19020157O8850001", "not_digits", "angka"),  # letter O for zero
    ("1902015708850001a", "not_digits", "angka"),
    ("1902/0157/0885/0001", "not_digits", "angka"),  # slashes are not forgiven
    ("", "empty", "wajib"),
    ("   ", "empty", "wajib"),
])
def test_shape_errors(raw: str, code: str, word: str) -> None:
    n = parse_nik(raw)
    assert codes(n) == {code}
    assert word in n.errors[0].message
    assert n.errors[0].field == "nik"


def test_unknown_kecamatan_prefix_is_only_a_warning() -> None:
    n = parse_nik("1902991708850001")  # Belitung has kecamatan 01-05
    assert n.valid
    assert warn_codes(n) == {"kecamatan_unknown"}
    assert n.region.kabkota_name == "Kabupaten Belitung"
    assert n.region.kecamatan_name is None
    assert "19.02.99" in n.warnings[0].message


def test_unknown_kabkota_prefix_is_only_a_warning() -> None:
    n = parse_nik("1999011708850001")
    assert n.valid
    assert warn_codes(n) == {"kabkota_unknown"}


def test_typed_birth_date_mismatch_warns_on_dd_mm_yy() -> None:
    n = parse_nik("1902015708850001", typed_birth_date=date(1985, 8, 18))
    assert n.valid
    assert warn_codes(n) == {"nik_birth_date_mismatch"}
    w = n.warnings[0]
    assert w.field == "birth_date" and "18-08-1985" in w.message and "17-08-85" in w.message


def test_typed_birth_date_matching_in_either_century_is_fine() -> None:
    assert not parse_nik("1902015708850001", typed_birth_date=date(1985, 8, 17)).warnings
    # The century is not in the NIK: 1910 and 2010 both match "10".
    assert not parse_nik("1902011708100001", typed_birth_date=date(1910, 8, 17)).warnings
    assert not parse_nik("1902011708100001", typed_birth_date=date(2010, 8, 17)).warnings


def test_typed_year_mismatch_warns() -> None:
    n = parse_nik("1902015708850001", typed_birth_date=date(1986, 8, 17))
    assert warn_codes(n) == {"nik_birth_date_mismatch"}


def test_typed_sex_mismatch_warns() -> None:
    n = parse_nik("1902015708850001", typed_sex="L")
    assert warn_codes(n) == {"nik_sex_mismatch"}
    assert n.warnings[0].field == "sex" and "perempuan" in n.warnings[0].message
    assert not parse_nik("1902015708850001", typed_sex="p").warnings


def test_both_mismatches_warn_together() -> None:
    n = parse_nik("1902011708850001", typed_birth_date=date(1985, 8, 17), typed_sex="P")
    assert warn_codes(n) == {"nik_sex_mismatch"}
    n = parse_nik("1902011708850001", typed_birth_date=date(1985, 9, 17), typed_sex="P")
    assert warn_codes(n) == {"nik_sex_mismatch", "nik_birth_date_mismatch"}


def test_nik_from_outside_the_operator_kabkota_warns() -> None:
    n = parse_nik("1902015708850001", operator_kabkota="19.71")  # Kota Pangkal Pinang
    assert n.valid
    assert warn_codes(n) == {"outside_kabkota"}
    assert "Kabupaten Belitung" in n.warnings[0].message
    assert not parse_nik("1902015708850001", operator_kabkota="1902012003").warnings


def test_no_typed_comparison_when_the_nik_is_invalid() -> None:
    n = parse_nik("1902013208850001", typed_sex="L", typed_birth_date=date(1985, 8, 17))
    assert not n.warnings


def test_candidate_dates_cover_both_centuries_not_the_future() -> None:
    n = parse_nik("1902011708100001")
    assert n.candidate_dates(TODAY) == [date(1910, 8, 17), date(2010, 8, 17)]
    assert n.likely_date(TODAY) == date(2010, 8, 17)
    assert parse_nik("1902012902000001").candidate_dates(TODAY) == [date(2000, 2, 29)]  # 1900 not leap
    assert parse_nik("1902013208850001").candidate_dates(TODAY) == []


def test_to_dict_has_names_and_issues() -> None:
    d = parse_nik("1902013208850000").to_dict()
    assert d["valid"] is False
    assert {e["code"] for e in d["errors"]} == {"day", "serial"}  # type: ignore[union-attr]
    assert all(e["severity"] == "error" for e in d["errors"])  # type: ignore[union-attr]


# ---------------------------------------------------------------- KK


def test_valid_kk() -> None:
    k = parse_kk("1902010101100001")
    assert k.valid and k.kind == "kk"
    assert (k.day, k.month, k.yy) == (1, 1, 10)
    assert k.region.kecamatan_name == "Tanjungpandan"
    assert k.sex is None


@pytest.mark.parametrize(("kk", "code"), [
    ("1902014101100001", "day"),  # no +40 in a KK
    ("1902010001100001", "day"),
    ("1902013201100001", "day"),
    ("1902010113100001", "month"),
    ("1902013104100001", "date"),
    ("1902012902010001", "date"),
    ("1902010101100000", "serial"),
    ("1900010101100001", "kabkota_00"),
    ("1902000101100001", "kecamatan_00"),
    ("9902010101100001", "province"),
    ("190201010110000", "length"),
    ("19020101011000011", "length"),
    ("19020101011O0001", "not_digits"),
    ("", "empty"),
])
def test_kk_errors(kk: str, code: str) -> None:
    k = parse_kk(kk)
    assert code in codes(k)
    assert all(i.field == "kk" for i in k.errors)
    assert all(i.message.startswith("Nomor KK") for i in k.errors)


def test_kk_leap_day_and_separators() -> None:
    assert parse_kk("1902012902120001").valid
    assert parse_kk("1902.0101.0110.0001").valid


def test_kk_unknown_kecamatan_is_a_warning() -> None:
    k = parse_kk("1902990101100001")
    assert k.valid and warn_codes(k) == {"kecamatan_unknown"}
