"""The person matcher on each pattern of issue 14, both ways: found when it is one person, not found
when it is two."""

from __future__ import annotations

from datetime import date

import pytest

from domain.matching import CounterStats, Decision, PersonRecord, Prepared, compare, prepare
from domain.matching.blocking import candidate_pairs, match_all

KEC_A, KEC_B = "330101", "350712"
DESA_A, DESA_B = KEC_A + "2001", KEC_B + "2004"


def nik(kec: str, born: date, sex: str, serial: int) -> str:
    return f"{kec}{born.day + (40 if sex == 'P' else 0):02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def person(rid: str, name: str, born: date, sex: str, *, kec: str = KEC_A, serial: int = 1, nik_: str | None = None,
           kk: str = "3301011205100001", desa: str | None = None, typed: date | None = None,
           rt: str = "001", rw: str = "002") -> Prepared:
    return prepare(PersonRecord(
        id=rid, nik=nik_ or nik(kec, born, sex, serial), kk=kk, name=name, birth_date=typed or born, sex=sex,
        desa_code=desa or (kec + "2001"), dusun="KRAJAN", rt=rt, rw=rw))


def stats(*extra: Prepared, common: dict[str, int] | None = None, n: int = 20_000) -> CounterStats:
    """A collection of `n` people with distinct names, plus `common` names held by many."""
    keys = [f"orang{i}" for i in range(n)]
    for key, count in (common or {}).items():
        keys += [key] * count
    keys += [p.key for p in extra]
    return CounterStats(keys, [p.rec.birth_date for p in extra])


BORN = date(1980, 5, 17)


def test_nik_one_digit_wrong_same_name_is_the_same_person() -> None:
    a = person("a", "SUPARMAN", BORN, "L")
    b = person("b", "Suparman", BORN, "L", nik_=a.nik[:13] + "7" + a.nik[14:])
    m = compare(a, b, stats(a, b))
    assert m.decision is Decision.SAME
    assert "NIK beda satu angka" in m.reasons


def test_nik_one_digit_apart_with_another_name_is_not() -> None:
    a = person("a", "SUPARMAN", BORN, "L", serial=1)
    b = person("b", "BAMBANG HERMANTO", BORN, "L", serial=2, kk="3301011205100002")
    assert compare(a, b, stats(a, b)).decision is Decision.NO


def test_nik_swapped_and_birth_date_mistyped_is_found_through_the_nik_date() -> None:
    a = person("a", "TUMIRAH WULANDARI", BORN, "P", serial=31)
    swapped = a.nik[:13] + a.nik[14] + a.nik[13] + a.nik[15]
    b = person("b", "TUMIRAH WULANDARI", BORN, "P", nik_=swapped, typed=date(1980, 5, 27), kk="3301011205100009")
    m = compare(a, b, stats(a, b))
    assert m.found
    assert "dua angka NIK tertukar" in m.reasons
    assert "tanggal lahir sama dengan yang tercantum di NIK" in m.reasons
    # ... and the in-memory blocking puts them together although the typed dates differ.
    assert (0, 1) in candidate_pairs([a, b])


def test_common_name_same_birth_date_in_another_kecamatan_is_not_the_same_person() -> None:
    a = person("a", "SITI AMINAH", BORN, "P", kec=KEC_A)
    b = person("b", "SITI AMINAH", BORN, "P", kec=KEC_B, kk="3507121101150003")
    m = compare(a, b, stats(a, b, common={"siti aminah": 400}))
    assert m.decision is Decision.NO
    assert any("nama ini umum" in r for r in m.reasons)


def test_rare_name_same_birth_date_with_a_new_nik_is_probably_the_same_person() -> None:
    a = person("a", "PARLINDUNGAN SIHOMBING", BORN, "L", kec=KEC_A)
    b = person("b", "Parlindungan Sihombing", BORN, "L", kec=KEC_B, serial=14, kk="3507121101150003")
    assert compare(a, b, stats(a, b)).found


@pytest.mark.parametrize("name", ["AHMAD YANI", "AGUS SANTOSO"])
def test_other_common_names_need_more_than_name_and_date(name: str) -> None:
    a = person("a", name, BORN, "L", kec=KEC_A)
    b = person("b", name, BORN, "L", kec=KEC_B, kk="3507121101150003")
    assert compare(a, b, stats(a, b, common={" ".join(name.lower().split()): 300})).decision is Decision.NO


def test_man_and_woman_same_name_and_birth_date_are_two_people() -> None:
    a = person("a", "NUR HIDAYAT", BORN, "L", serial=1, kk="3301011205100001")
    b = person("b", "NUR HIDAYAT", BORN, "P", serial=1, kk="3301011205100007")
    assert a.nik[:6] == b.nik[:6] and sum(x != y for x, y in zip(a.nik, b.nik, strict=True)) == 1  # only the +40
    m = compare(a, b, stats(a, b))
    assert m.decision is Decision.NO
    assert "jenis kelamin berbeda" in m.reasons


def test_sex_mistyped_against_the_own_nik_is_still_the_same_person() -> None:
    a = person("a", "KASMIRAH", BORN, "P")
    b = prepare(PersonRecord("b", a.nik, "3301011205100001", "KASMIRAH", BORN, "L", DESA_A))  # typed L, NIK says P
    assert compare(a, b, stats(a, b)).decision is Decision.SAME


@pytest.mark.parametrize(("n1", "s1", "n2", "s2"), [
    ("ANDI", "L", "ANDINI", "P"), ("RINA", "P", "RINI", "P"), ("HASAN", "L", "HUSEIN", "L"),
    ("INTAN", "P", "INTAN SARI", "P"),
])
def test_twins_in_one_kk_are_two_people(n1: str, s1: str, n2: str, s2: str) -> None:
    a = person("a", n1, BORN, s1, serial=5)
    b = person("b", n2, BORN, s2, serial=6)
    m = compare(a, b, stats(a, b))
    assert m.decision is Decision.NO, m


def test_one_child_entered_twice_in_one_kk_is_the_same_person() -> None:
    a = person("a", "ANDINI", BORN, "P", serial=5)
    b = person("b", "Andini", BORN, "P", nik_=a.nik[:12] + "0008")  # serial mistyped
    assert compare(a, b, stats(a, b)).decision is Decision.SAME


def test_one_typo_is_not_taken_for_a_reordering() -> None:
    a = person("a", "RATNA RAHAYU", BORN, "P")
    b = person("b", "RATNA RHAYU", BORN, "P", nik_=a.nik[:15] + "9")
    m = compare(a, b, stats(a, b))
    assert m.decision is Decision.SAME
    assert "nama hampir sama (beda satu huruf)" in m.reasons


@pytest.mark.parametrize(("n1", "n2"), [("NURHASANAH", "NUR HASANAH"), ("ABDULMALIK", "ABDUL MALIK"),
                                        ("Siti Aminah, A.Ma.", "SITI AMINAH"), ("Moh. Iqbal", "MUHAMMAD IQBAL"),
                                        ("SOEPARMAN", "SUPARMAN"), ("TIOMINA BR SITUMORANG", "SITUMORANG TIOMINA"),
                                        ("SLAMET BIN MUSA", "SLAMET")])
def test_name_variants_are_the_same_person(n1: str, n2: str) -> None:
    a = person("a", n1, BORN, "L")
    b = person("b", n2, BORN, "L", nik_=a.nik[:14] + "55")
    assert compare(a, b, stats(a, b)).decision is Decision.SAME


def test_second_name_left_out_is_recognised() -> None:
    a = person("a", "MASNAH SUARTINI", BORN, "P")
    b = person("b", "MASNAH", BORN, "P", nik_=a.nik[:15] + "4")
    m = compare(a, b, stats(a, b))
    assert m.found
    assert "satu nama memuat nama yang lain (nama kedua tidak ditulis)" in m.reasons


def test_second_name_left_out_but_another_birth_date_is_another_person() -> None:
    a = person("a", "MASNAH SUARTINI", BORN, "P", serial=1)
    other = date(1962, 1, 3)
    b = person("b", "MASNAH", other, "P", serial=1, kk="3301011205100004")
    assert compare(a, b, stats(a, b)).decision is Decision.NO


def test_jumiati_is_not_sumiati() -> None:
    a = person("a", "JUMIATI", BORN, "P", kec=KEC_A)
    b = person("b", "SUMIATI", BORN, "P", kec=KEC_A, serial=2, kk="3301011205100005", rt="004")
    assert compare(a, b, stats(a, b)).decision is Decision.NO


def test_father_and_son_of_one_name_are_two_people() -> None:
    a = person("a", "SUKARDI", date(1950, 2, 1), "L")
    b = person("b", "SUKARDI", date(1978, 9, 9), "L")
    assert compare(a, b, stats(a, b)).decision is Decision.NO


def test_same_nik_is_the_same_person_whatever_else() -> None:
    a = person("a", "SUKARDI", BORN, "L")
    b = prepare(PersonRecord("b", a.nik, "", "Budi", None, "", ""))
    assert compare(a, b, stats(a, b)) .decision is Decision.SAME


def test_match_all_finds_the_pairs_and_nothing_else() -> None:
    a = person("a", "RATNA RAHAYU", BORN, "P", serial=3)
    b = person("b", "RATNA RHAYU", BORN, "P", nik_=a.nik[:15] + "9")
    c = person("c", "ANDI", BORN, "L", serial=5)
    d = person("d", "ANDINI", BORN, "P", serial=5)
    found = {(i, j) for i, j, _m in match_all([a, b, c, d])}
    assert found == {(0, 1)}


# ---- moved with a new NIK (issue 14 follow-up): what decides is how common the name is


def _moved(name_a: str, name_b: str, sex: str = "P") -> tuple[Prepared, Prepared]:
    a = person("a", name_a, BORN, sex, kec=KEC_A)
    b = person("b", name_b, BORN, sex, kec=KEC_B, serial=23, kk="3507121101150003", desa=DESA_B)
    return a, b


def test_moved_with_a_new_nik_and_a_name_held_by_a_few_is_found() -> None:
    a, b = _moved("TUMINAH WAHYUNINGSIH", "TUMINAH WAHYUNINGSIH")
    m = compare(a, b, stats(a, b, common={"tuminah wahyuningsih": 25}))
    assert m.found
    assert "NIK berbeda" in m.reasons and "kecamatan berbeda" in m.reasons


def test_moved_with_a_new_nik_and_a_common_name_is_not() -> None:
    a, b = _moved("SITI AMINAH", "SITI AMINAH")
    assert compare(a, b, stats(a, b, common={"siti aminah": 150})).decision is Decision.NO


def test_the_pairs_own_records_do_not_make_a_rare_name_common() -> None:
    """Two records of one rare name: the count is 2, but nobody else carries it."""
    a, b = _moved("PARLINDUNGAN SIHOMBING", "PARLINDUNGAN SIHOMBING", "L")
    few = stats(a, b, n=3_000)
    assert compare(a, b, few).found


def test_a_name_common_in_a_small_store_is_not_taken_for_rare() -> None:
    """SITI AMINAH held by 1 in 50 of a store of 2,000: the national prior must not make it rare."""
    a, b = _moved("SITI AMINAH", "SITI AMINAH")
    assert compare(a, b, stats(a, b, common={"siti aminah": 40}, n=2_000)).decision is Decision.NO


def test_moved_with_a_new_nik_and_a_typo_in_a_rare_name_is_found() -> None:
    a, b = _moved("ENDANG HANDAYANI", "EDNANG HANDAYANI")
    m = compare(a, b, stats(a, b, common={"endang handayani": 4}))
    assert m.found
    assert "nama hampir sama (beda satu huruf)" in m.reasons


def test_moved_with_a_new_nik_and_a_typo_in_a_common_name_is_not() -> None:
    """A typo does not make SRI RAHAYU rarer: it weighs like the exact common name."""
    a, b = _moved("SRI RAHAYU", "SRI RAHYAU")
    assert compare(a, b, stats(a, b, common={"sri rahayu": 150})).decision is Decision.NO


def test_moved_with_a_new_nik_and_the_batak_order_changed_is_found() -> None:
    a, b = _moved("TIOMINA BR LUBIS", "LUBIS TIOMINA")
    m = compare(a, b, stats(a, b, common={"tiomina br lubis": 5}))
    assert m.found
    assert "nama sama dengan urutan kata berbeda" in m.reasons


def test_a_typo_in_the_patronym_is_a_typo() -> None:
    a, b = _moved("NUR KHASANAH BINTHI MUSA", "NUR KHASANAH BINTI MUSA")
    m = compare(a, b, stats(a, b))
    assert m.found
    assert "nama hampir sama (beda satu huruf)" in m.reasons


def test_two_short_names_one_letter_apart_in_two_kecamatan_are_two_people() -> None:
    """RINA and RINI born the same day in two kecamatan: short names have many neighbours."""
    a, b = _moved("RINA", "RINI")
    assert compare(a, b, stats(a, b, common={"rina": 30, "rini": 30})).decision is Decision.NO
