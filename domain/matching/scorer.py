"""Compare two person records: the evidence for and against their being one person.

A Fellegi-Sunter comparison: each field's agreement level adds log2(m/u) bits, where m is how
often a true duplicate pair shows that level and u how often two different people do. The name's
and the birth date's u come from how common that name and that date are in the collection
searched (stats.NameStats), so a common name needs more evidence. The prior is the chance that a
record has a duplicate (DUPLICATE_RATE) spread over the collection. The decision is the posterior:
SAME at >= 99%, PROBABLE at >= 50% (more likely one person than two), else NO. Nothing is fitted
to the held-out evaluation set: the m/u values are set from first principles, the near-name floors
are measured on unlabelled random pairs, and DUPLICATE_RATE is the one value chosen on development
seeds of the generator; the values and their reasons are in docs/decisions/0006-person-matcher.md.
Counts leave the pair itself out (its own two records are no evidence of how common a name or a
day is).

Rules override the sum where its independence assumption fails:
- another name (level "different") is another person, whatever else agrees;
- a man and a woman (each record's typed sex agreeing with its own NIK) are two people;
- one KK, one birth date, NIKs equal up to the serial: twins, unless the names are the same (or a
  typo or shortening of one another while the serials are not the consecutive pair twins get);
- neither birth date nor NIK related: two people (a father and son of one name).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

from domain.matching.record import DMY, Prepared, nik_relation
from domain.matching.stats import NameStats


class Decision(StrEnum):
    SAME = "same"
    PROBABLE = "probable"
    NO = "no"


@dataclass(frozen=True, slots=True)
class Match:
    decision: Decision
    score: float  # posterior probability of one person, 0-100
    weight: float  # log2 likelihood ratio including the prior
    reasons: tuple[str, ...]  # Indonesian, for the operator

    @property
    def found(self) -> bool:
        return self.decision is not Decision.NO

    def reason_text(self) -> str:
        return "; ".join(self.reasons)


# ---- calibration (rationale per value in docs/decisions/0006-person-matcher.md)
DUPLICATE_RATE = 0.06  # share of records that have a second record of the same person
SMOOTHING = 20_000  # pseudo-records of the national prior mixed into the collection's counts
NAME_PRIOR = 2e-5  # share of people carrying one given full name, for a name not seen yet
DATE_PRIOR = 1 / 20_000  # share of people born on one given day (about 55 years of births)
SAME_AT = 0.99
PROBABLE_AT = 0.5

M_NAME = {"exact": 0.60, "reordered": 0.10, "near": 0.15, "partial": 0.07, "similar": 0.10, "different": 0.05}
U_SIMILAR, U_DIFFERENT = 0.01, 0.97
# Two different names this close, per pair of people: the share of unlabelled random pairs of a
# development seed at this level, rounded up (bench/dedupe_eval/calibrate.py floors); the short
# floor 4x above it, as real short names have more neighbours than a generated pool (RINA/RINI).
U_NEAR_FLOOR = {"short": 2e-3, "mid": 5e-4, "long": 1.5e-4}  # shorter name <= 7, 8-11, >= 12 letters
U_REORDERED_FLOOR = NAME_PRIOR  # two different names of the same words (YUSUF AHMAD / AHMAD YUSUF)
M_DATE = {"exact": 0.90, "near": 0.08, "different": 0.005}
U_DATE_NEAR = 30 * DATE_PRIOR  # about 30 dates are one typo away from a date
# Sex (L/P): half of all people share a sex; a true pair disagrees only by a typo.
W_SEX_AGREE = math.log2(0.98 / 0.5)
W_SEX_DISAGREE = math.log2(0.02 / 0.5)
# NIK one digit / one swap apart: typos make it common among duplicates; among different people
# it needs the same kecamatan, the same birth date and a near serial (0001/0002, +40).
W_NIK_NEAR = math.log2(0.45 / 0.02)
W_NIK_OTHER = math.log2(0.40 / 0.98)  # moved people get a new NIK; typos elsewhere
W_KK_SAME = math.log2(0.35 / 0.002)
W_KK_OTHER = math.log2(0.65 / 0.998)
W_DESA_SAME = math.log2(0.70 / 0.05)
W_KEC_SAME = math.log2(0.05 / 0.15)
W_KEC_OTHER = math.log2(0.25 / 0.80)
W_HOME_SAME = math.log2(0.60 / 0.10)  # same dusun/RT/RW within the desa
W_HOME_OTHER = math.log2(0.40 / 0.90)


def _freq(count: int, n: int, prior: float) -> float:
    return (count + SMOOTHING * prior) / (n + SMOOTHING)


def _name_freq(count: int, n: int, prior: float) -> float:
    """A name's share of the collection: smoothed towards the national prior while the collection
    has seen it less often than that prior, never below what the collection itself shows (the
    prior stands for an unseen name; SITI AMINAH held by 1 in 400 of the store is not rarer for
    being common in a small store)."""
    f = _freq(count, n, prior)
    return max(f, count / n) if n > 0 else f


def _others(stats: NameStats, key: str, a: Prepared, b: Prepared) -> int:
    """How many people other than the pair itself carry the name key: the pair's own two records
    are no evidence of how common the name is (two records of one rare name would otherwise make
    it look common)."""
    return max(0, stats.name_count(key) - (a.key == key) - (b.key == key))


# ---------------------------------------------------------------------------- names


def name_level(a: Prepared, b: Prepared) -> str:
    if not a.key or not b.key:
        return "different"
    if a.key == b.key or a.joined == b.joined:
        return "exact"
    if a.core and a.core == b.core and (not a.patronym or not b.patronym):  # "bin X" left out on one side
        return "exact"
    if "".join(a.core) == "".join(b.core) and a.core and (not a.patronym or not b.patronym or a.patronym == b.patronym):
        return "exact"  # Batak "br" left out, or a compound split, inside the own name
    patronyms_agree = not a.patronym or not b.patronym or a.patronym == b.patronym
    if sorted(a.core) == sorted(b.core) and a.core and patronyms_agree:
        return "reordered"  # (MUHAMMAD BIN HASAN and MUHAMMAD BIN YUSUF are two names)
    ja, jb = "".join(a.core) or a.joined, "".join(b.core) or b.joined
    longest = max(len(ja), len(jb))
    if ja[:1] == jb[:1]:  # a typo in the first letter is rare; Jumiati and Sumiati are two names
        d = OSA.distance(ja, jb, score_cutoff=2)
        if (d == 1 and longest >= 4) or (d == 2 and longest >= 12):
            return "near"
    if (a.joined[:1] == b.joined[:1] and min(len(a.joined), len(b.joined)) >= 8
            and OSA.distance(a.joined, b.joined, score_cutoff=1) == 1):
        return "near"  # the typo is in the patronym or particle (BINTHI MUSA / BINTI MUSA)
    sa, sb = "".join(sorted(a.core)), "".join(sorted(b.core))
    if sa[:1] == sb[:1] and OSA.distance(sa, sb, score_cutoff=1) <= 1 and longest >= 8:
        return "near"  # reordered and one typo
    if _is_part(a.core, b.core) or _is_part(b.core, a.core):
        return "partial"
    if JaroWinkler.similarity(ja, jb) >= 0.93 or fuzz.token_set_ratio(a.key, b.key) >= 90:
        return "similar"
    return "different"


def _is_part(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """`short` is `long` with words left out (MASNAH / MASNAH SUARTINI), its first word kept."""
    if not short or len(short) >= len(long) or short[0] != long[0]:
        return False
    it = iter(long)
    return all(any(w == x for x in it) for w in short)


def _name_weight(level: str, a: Prepared, b: Prepared, stats: NameStats) -> tuple[float, str]:
    n = stats.total()
    # A recording difference (a typo, another word order) is as likely between the records of two
    # people of one name as between two records of one person: it carries the name's frequency
    # like an exact match, scaled by how often it happens (m of the level / m of exact); what it
    # adds is the chance that two different names look that close (the floor).
    if level in ("exact", "reordered"):
        count = max(_others(stats, a.key, a, b), _others(stats, b.key, a, b))
        u = _name_freq(count, n, NAME_PRIOR)
        if level == "reordered":
            u = U_REORDERED_FLOOR + M_NAME["reordered"] / M_NAME["exact"] * u
        if count >= 5 and u > 20 * NAME_PRIOR:
            note = f"nama sama, tetapi nama ini umum ({count} orang)"
        else:
            note = "nama sama" if level == "exact" else "nama sama dengan urutan kata berbeda"
        return math.log2(M_NAME[level] / u), note
    if level == "near":
        count = max(_others(stats, a.key, a, b), _others(stats, b.key, a, b))
        shortest = min(len(a.joined), len(b.joined))
        floor = U_NEAR_FLOOR["short" if shortest <= 7 else "mid" if shortest < 12 else "long"]
        u = floor + M_NAME["near"] / M_NAME["exact"] * _name_freq(count, n, NAME_PRIOR)
        return math.log2(M_NAME[level] / u), "nama hampir sama (beda satu huruf)"
    if level == "partial":
        shorter = a if len(a.core) < len(b.core) else b
        k = " ".join(shorter.core)
        count = stats.prefix_count(k) - sum(p.key == k or p.key.startswith(k + " ") for p in (a, b))
        u = _name_freq(max(0, count), n, 10 * NAME_PRIOR)
        return math.log2(M_NAME[level] / u), "satu nama memuat nama yang lain (nama kedua tidak ditulis)"
    if level == "similar":
        return math.log2(M_NAME[level] / U_SIMILAR), "nama mirip"
    return math.log2(M_NAME[level] / U_DIFFERENT), "nama berbeda"


# ---------------------------------------------------------------------------- dates


def _near_dmy(x: DMY, y: DMY) -> bool:
    (d1, m1, y1), (d2, m2, y2) = x, y
    same = (d1 == d2) + (m1 == m2) + (y1 == y2)
    if same == 3:
        return False
    if same == 2:
        if d1 != d2:
            return _one_digit(d1, d2) or abs(d1 - d2) == 1
        if m1 != m2:
            return _one_digit(m1, m2)
        return _one_digit(y1, y2)
    return y1 == y2 and d1 == m2 and m1 == d2  # day and month swapped


def _one_digit(p: int, q: int) -> bool:
    a, b = f"{p:02d}", f"{q:02d}"
    return (a[0] == b[0]) != (a[1] == b[1]) or a == b[::-1]


def _full_date(dmy: DMY, a: Prepared, b: Prepared) -> date | None:
    for p in (a, b):
        if p.typed_dmy == dmy and p.rec.birth_date is not None:
            return p.rec.birth_date
    d, m, yy = dmy
    try:
        return date(2000 + yy if yy <= 25 else 1900 + yy, m, d)
    except ValueError:
        return None


def _date_weight(a: Prepared, b: Prepared, stats: NameStats) -> tuple[float, str, str]:
    """(weight, level, reason) over the birth dates typed and encoded in each NIK."""
    da, db = a.dates, b.dates
    if not da or not db:
        return 0.0, "unknown", "tanggal lahir tidak bisa dibandingkan"
    shared = [x for x in da if x in db]
    if shared:
        dmy = shared[0]
        full = _full_date(dmy, a, b)
        count = 0
        if full is not None:  # people other than the pair born that day
            count = max(0, stats.date_count(full) - (a.rec.birth_date == full) - (b.rec.birth_date == full))
        u = _freq(count, stats.total(), DATE_PRIOR)
        typed_same = a.typed_dmy is not None and a.typed_dmy == b.typed_dmy
        note = "tanggal lahir sama" if typed_same else "tanggal lahir sama dengan yang tercantum di NIK"
        return math.log2(M_DATE["exact"] / u), "exact", note
    if any(_near_dmy(x, y) for x in da for y in db):
        return math.log2(M_DATE["near"] / U_DATE_NEAR), "near", "tanggal lahir hampir sama (salah ketik satu angka)"
    return math.log2(M_DATE["different"] / 1.0), "different", "tanggal lahir berbeda"


# ---------------------------------------------------------------------------- the comparison


def _twins(level: str, a: Prepared, b: Prepared) -> bool:
    """One KK, one birth date, one kecamatan and NIK date part: twins, unless the names are one
    (exact), or one name is a typo or a shortening of the other while the serials are not the
    consecutive pair that Dukcapil gives twins registered together (a mistyped serial is rarely
    the next number)."""
    if level in ("exact", "reordered"):
        return False
    if level in ("near", "partial"):
        consecutive = abs(int(a.nik[12:]) - int(b.nik[12:])) == 1
        if level == "near" and min(len(a.joined), len(b.joined)) >= 10:
            return False  # a long name one letter apart is a typo, not a twin's name (RINA/RINI are short)
        return consecutive
    return True


def _explained(a: Prepared, b: Prepared) -> bool:
    """NIKs one digit apart where the digit is not a typo: each NIK's kecamatan is where its record
    lives, or each NIK's date is its record's typed birth date (two kecamatan, two birthdays)."""
    diff = [i for i in range(16) if a.nik[i] != b.nik[i]]
    if diff[0] < 6:
        return a.rec.desa_code[:6] == a.nik[:6] and b.rec.desa_code[:6] == b.nik[:6]
    if diff[0] < 12:
        return a.typed_dmy == a.nik_dmy and b.typed_dmy == b.nik_dmy and a.sex_consistent and b.sex_consistent
    return False


def _no(reasons: list[str], weight: float = -30.0) -> Match:
    return Match(Decision.NO, 0.0, weight, tuple(reasons))


def compare(a: Prepared, b: Prepared, stats: NameStats) -> Match:
    """The decision on one pair, with the reasons in Indonesian."""
    ra, rb = a.rec, b.rec
    if a.nik and a.nik == b.nik:
        return Match(Decision.SAME, 100.0, 99.0, ("NIK sama",))

    reasons: list[str] = []
    # Sex: a man and a woman are two people, unless one record contradicts its own NIK (a typo).
    if a.sexes and b.sexes and not (a.sexes & b.sexes):
        if a.sex_consistent and b.sex_consistent:
            return _no(["jenis kelamin berbeda"])
        w_sex, sex_note = W_SEX_DISAGREE, "jenis kelamin berbeda"
    elif a.sexes and b.sexes:
        w_sex, sex_note = W_SEX_AGREE, ""
    else:
        w_sex, sex_note = 0.0, ""

    level = name_level(a, b)
    if level == "different":
        # Everything else may agree (a family's KK, a shared birthday, a NIK typo): another name is
        # another person, unless the NIK is the same (above).
        return _no(["nama berbeda"])
    w_name, name_note = _name_weight(level, a, b, stats)
    w_date, date_level, date_note = _date_weight(a, b, stats)

    rel = nik_relation(a.nik, b.nik)
    same_kk = bool(ra.kk) and ra.kk == rb.kk
    # Twins: one KK, one birth date, NIKs alike up to the serial (same kecamatan and date part).
    if same_kk and date_level == "exact" and a.nik and b.nik and a.nik[:12] == b.nik[:12] and _twins(level, a, b):
        return _no([f"satu KK dan tanggal lahir sama, nama berbeda ({name_note}): kemungkinan anak kembar"])

    if date_level == "different" and a.nik and b.nik and rel == "":
        # Neither the birth date nor the NIK points to one person: a father and son of one name.
        return _no(["tanggal lahir berbeda dan NIK berbeda"])
    if rel in ("substitution", "swap") and _explained(a, b):
        w_nik, nik_note = 0.0, "NIK beda satu angka, tetapi sesuai wilayah/tanggal lahir masing-masing"
    elif rel in ("substitution", "swap"):
        w_nik, nik_note = W_NIK_NEAR, ("NIK beda satu angka" if rel == "substitution" else "dua angka NIK tertukar")
    elif a.nik and b.nik:
        w_nik, nik_note = W_NIK_OTHER, "NIK berbeda"
    else:
        w_nik, nik_note = 0.0, "NIK tidak lengkap"

    w_kk = W_KK_SAME if same_kk else (W_KK_OTHER if ra.kk and rb.kk else 0.0)
    if ra.desa_code and ra.desa_code == rb.desa_code:
        w_addr = W_DESA_SAME + (W_HOME_SAME if a.rt_rw == b.rt_rw and a.rt_rw != "||" else W_HOME_OTHER)
        addr_note = "desa sama" + (", alamat (dusun/RT/RW) sama" if a.rt_rw == b.rt_rw and a.rt_rw != "||" else "")
    elif ra.desa_code[:6] and ra.desa_code[:6] == rb.desa_code[:6]:
        w_addr, addr_note = W_KEC_SAME, "desa lain di kecamatan yang sama"
    elif ra.desa_code and rb.desa_code:
        w_addr, addr_note = W_KEC_OTHER, "kecamatan berbeda"
    else:
        w_addr, addr_note = 0.0, ""

    prior = math.log2(DUPLICATE_RATE / (stats.total() + SMOOTHING))
    weight = prior + w_name + w_date + w_sex + w_nik + w_kk + w_addr
    p = 1.0 / (1.0 + 2.0 ** (-weight)) if weight > -60 else 0.0
    decision = Decision.SAME if p >= SAME_AT else Decision.PROBABLE if p >= PROBABLE_AT else Decision.NO
    reasons = [name_note, date_note, nik_note]
    if same_kk:
        reasons.append("satu KK")
    if addr_note:
        reasons.append(addr_note)
    if sex_note:
        reasons.append(sex_note)
    return Match(decision, round(100.0 * p, 1), round(weight, 2), tuple(reasons))
