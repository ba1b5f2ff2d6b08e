"""Validation of one member (MemberPayload) and of a household's members together (one head, no NIK
twice). The same on the desktop and on the server; errors block saving, warnings are recorded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from domain import criteria as crit
from domain import field_rules as rules
from domain import member_codes as mc
from domain import temp_ids
from domain.findings import Findings
from domain.idnumbers import parse_nik
from domain.issues import Issue, error, warning
from domain.ppks import CHILD_TYPES, PPKS, Ppks
from domain.records import MemberPayload

LABELS: dict[str, str] = {
    "household_id": "Keluarga", "nik": "NIK", "temp_id": "Nomor sementara", "former_ids": "Nomor sementara lama",
    "name": "Nama", "birth_place": "Tempat lahir", "birth_date": "Tanggal lahir", "sex": "Jenis kelamin",
    "relation": "Hubungan dengan kepala keluarga", "marital_status": "Status perkawinan",
    "education": "Ijazah tertinggi", "school_status": "Partisipasi sekolah", "occupation": "Pekerjaan utama",
    "difficulties": "Kesulitan fungsional", "chronic_illness": "Penyakit kronis", "pregnant": "Sedang hamil",
    "ppks": "Jenis PPKS", "criteria": "Kriteria", "phone": "Nomor HP", "notes": "Catatan",
}
PREGNANCY_AGES = (10, 55)
ADULT_AGE = 18
ELDERLY_AGE = 60


def validate_member(p: MemberPayload, *, today: date | None = None, operator_kabkota: str | None = None) -> Findings:
    today = today or date.today()
    res = Findings()
    if not p.household_id.strip():
        res.add(error("household_id", "empty", "Anggota harus masuk satu keluarga; pilih atau buat keluarganya dulu."))
    res.add(rules.person_name("name", p.name))
    born, issue = rules.birth_date("birth_date", p.birth_date, today)
    res.add(issue)
    res.add(mc.SEX.check("sex", p.sex.upper(), required=True))
    sex = p.sex.upper() if p.sex.upper() in mc.SEX else None
    res.extend(_identity(p, born, sex, operator_kabkota))
    if p.relation:
        res.add(mc.RELATION.check("relation", p.relation))
    else:
        # A warning, not an error: members moved in from the old entries (and some imports) do not know it yet.
        res.add(warning("relation", "empty", "Hubungan dengan kepala keluarga belum diisi; lengkapi sesuai KK."))
    res.add(mc.MARITAL_STATUS.check("marital_status", p.marital_status),
            mc.EDUCATION.check("education", p.education), mc.SCHOOL_STATUS.check("school_status", p.school_status),
            mc.OCCUPATION.check("occupation", p.occupation),
            mc.CHRONIC_ILLNESS.check("chronic_illness", p.chronic_illness), rules.phone("phone", p.phone))
    res.extend(_family_role(p, sex))
    res.extend(_difficulties(p))
    res.extend(_pregnancy(p, sex, born, today))
    res.extend(_ppks(p, born, today))
    res.extend(_criteria(p, sex, born, today))
    return res


def _identity(p: MemberPayload, born: date | None, sex: str | None, operator_kabkota: str | None) -> list[Issue]:
    nik, temp = p.nik.strip(), p.temp_id.strip().upper()
    out: list[Issue] = []
    for old in p.former_ids:
        if not temp_ids.looks_temporary(old):
            out.append(error("former_ids", "format", f"Riwayat nomor sementara berisi '{old}', bukan nomor sementara."))
    if temp:
        if not temp_ids.is_temp_id(temp):
            out.append(error("temp_id", "format", f"Nomor sementara '{temp}' tidak sah; buat nomor sementara baru."))
        if nik:
            out.append(error("temp_id", "with_nik",
                             "Anggota ini punya NIK dan nomor sementara; ganti nomor sementara dengan NIK "
                             "(riwayatnya disimpan), jangan isi keduanya."))
            return out
        out.append(warning("nik", "temp_id",
                           f"Belum ada NIK: anggota ini memakai nomor sementara {temp}; ganti dengan NIK begitu terbit."))
        return out
    if not nik:
        out.append(error("nik", "empty", "NIK wajib diisi; untuk orang yang belum punya NIK, buat nomor sementara."))
        return out
    parsed = parse_nik(nik, typed_birth_date=born, typed_sex=sex, operator_kabkota=operator_kabkota)
    return [*out, *parsed.errors, *parsed.warnings]


def _family_role(p: MemberPayload, sex: str | None) -> list[Issue]:
    out: list[Issue] = []
    if p.relation == mc.Relation.SUAMI and sex == mc.Sex.P:
        out.append(warning("relation", "spouse_sex", "Hubungan 'Suami' tetapi jenis kelamin perempuan; periksa KK."))
    if p.relation == mc.Relation.ISTRI and sex == mc.Sex.L:
        out.append(warning("relation", "spouse_sex", "Hubungan 'Istri' tetapi jenis kelamin laki-laki; periksa KK."))
    if p.relation in mc.SPOUSES and p.marital_status == mc.MaritalStatus.BELUM_KAWIN:
        out.append(warning("marital_status", "spouse_unmarried",
                           f"Hubungan '{mc.RELATION.label(p.relation)}' tetapi status perkawinan 'Belum kawin'."))
    return out


def _difficulties(p: MemberPayload) -> list[Issue]:
    out: list[Issue] = []
    for what, how in p.difficulties.items():
        if what not in mc.DIFFICULTY:
            out.append(mc.DIFFICULTY.issue("difficulties", what))
        elif how not in mc.DIFFICULTY_SEVERITY:
            out.append(error("difficulties", "severity",
                             f"Tingkat kesulitan {mc.DIFFICULTY.label(what).lower()} '{how}' tidak dikenal. "
                             f"Pilihan: {mc.DIFFICULTY_SEVERITY.choices_text()}."))
    return out


def _pregnancy(p: MemberPayload, sex: str | None, born: date | None, today: date) -> list[Issue]:
    if not p.pregnant:
        return []
    if sex == mc.Sex.L:
        return [error("pregnant", "male", "Status hamil hanya untuk perempuan; jenis kelamin anggota ini laki-laki.")]
    lo, hi = PREGNANCY_AGES
    if born is not None and not lo <= rules.age(born, today) <= hi:
        return [warning("pregnant", "age", f"Status hamil pada umur {rules.age(born, today)} tahun; periksa lagi.")]
    return []


def _ppks(p: MemberPayload, born: date | None, today: date) -> list[Issue]:
    out: list[Issue] = []
    seen: set[str] = set()
    years = rules.age(born, today) if born is not None else None
    for code in p.ppks:
        if code not in PPKS:
            out.append(PPKS.issue("ppks", code))
            continue
        if code in seen:
            out.append(error("ppks", "repeated", f"Jenis PPKS '{PPKS.label(code)}' disebut dua kali."))
        seen.add(code)
        if years is not None and code in CHILD_TYPES and years >= ADULT_AGE:
            out.append(warning("ppks", "child_type_adult",
                               f"PPKS '{PPKS.label(code)}' untuk anak, tetapi umur anggota {years} tahun."))
        if years is not None and code == Ppks.LANJUT_USIA_TELANTAR and years < ELDERLY_AGE:
            out.append(warning("ppks", "elderly_young",
                               f"PPKS '{PPKS.label(code)}' tetapi umur anggota {years} tahun (di bawah {ELDERLY_AGE})."))
    return out


def _criteria(p: MemberPayload, sex: str | None, born: date | None, today: date) -> list[Issue]:
    codes, unknown = crit.parse_list(",".join(p.criteria))
    out: list[Issue] = []
    if unknown:
        out.append(error("criteria", "unknown", f"Kriteria tidak dikenal: {', '.join(unknown)}."))
    if born is not None and "lansia" in codes and rules.age(born, today) < ELDERLY_AGE:
        out.append(warning("criteria", "lansia_age", "Kriteria lansia tetapi umur di bawah 60 tahun."))
    if "ibu_hamil" in codes and sex == mc.Sex.L:
        out.append(error("criteria", "ibu_hamil_male", "Kriteria ibu hamil tetapi jenis kelamin laki-laki."))
    return out


def check_household_members(members: Sequence[MemberPayload], *, today: date | None = None) -> list[Issue]:
    """Rules about a household's members together: one head of the family, no person twice."""
    today = today or date.today()
    out: list[Issue] = []
    heads = [m for m in members if m.relation == mc.Relation.KEPALA_KELUARGA]
    if len(heads) > 1:
        out.append(error("relation", "two_heads",
                         f"Satu keluarga hanya punya satu kepala keluarga; di sini ada {len(heads)}: "
                         f"{', '.join(m.name for m in heads)}."))
    elif not heads and members:
        out.append(warning("relation", "no_head", "Keluarga ini belum punya kepala keluarga."))
    husbands = [m for m in members if m.relation == mc.Relation.SUAMI]
    if len(husbands) > 1:
        out.append(error("relation", "two_husbands", "Satu keluarga tidak bisa punya lebih dari satu suami."))
    for fld, label, values in (("nik", "NIK", [m.nik.strip() for m in members]),
                               ("temp_id", "Nomor sementara", [m.temp_id.strip().upper() for m in members])):
        for value, n in Counter(v for v in values if v).items():
            if n > 1:
                out.append(error(fld, "repeated_in_household", f"{label} {value} tercatat {n} kali di keluarga ini."))
    if len(heads) == 1:
        head_born = rules.birth_date("birth_date", heads[0].birth_date, today)[0]
        for m in members:
            child_born = rules.birth_date("birth_date", m.birth_date, today)[0]
            if m.relation == mc.Relation.ANAK and head_born and child_born and child_born <= head_born:
                out.append(warning("birth_date", "child_older_than_head",
                                   f"{m.name} tercatat sebagai anak tetapi lahir sebelum kepala keluarga."))
    return out
