"""Seeded generator of village person records with planted duplicates and look-alike non-duplicates.

    python -m bench.dedupe_eval.generate --seed 1 --out /tmp/eval.csv   # records + truth columns

Every record is one row as the member import writes it (id, nik, kk, name, birth_date, sex,
desa_code, dusun, rt, rw) plus the truth: `entity` (records of one person share it), `kind` (how a
duplicate record was made from its original) and `tag` (the hard-negative pattern a record belongs
to). True pairs are the pairs of records sharing an entity; their kind is the duplicate's.

Patterns (see also design.md §3 and issue 14):
- duplicates: re-entry with the same NIK; NIK with one digit wrong or two neighbours swapped;
  NIK typo together with a typed birth-date typo; moved with a new NIK (other kecamatan, new KK);
  Muhammad spellings; old spelling (oe/dj/tj/j/ch/sj/nj); titles (H., Hj., Ir., Drs., S.Pd.,
  A.Ma., ...); compounds joined/split; second name dropped; name typos of every kind; bin/binti
  dropped; word order changed (Chinese-Indonesian and Batak names);
- hard negatives: common names with the same birth date in other kecamatan; a man and a woman
  with the same name and birth date in one kecamatan (NIKs one digit apart: the +40); twins (one
  KK, one birth date, rhyming names); different people with NIKs one digit apart; siblings with
  similar names; a father and son of the same name.
Half of all NIK serials are 0001, as in real registers.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from bench.dedupe_eval import names_pool as P

FIELDS = ("id", "nik", "kk", "name", "birth_date", "sex", "desa_code", "dusun", "rt", "rw")
TRUTH = ("entity", "kind", "tag")
PROVINCES = {"33": "java", "35": "java", "12": "sumut", "73": "sulsel"}
DUP_KINDS = ("exact_reentry", "nik_substitution", "nik_swap", "nik_and_date_typo", "moved_new_nik", "muhammad",
             "old_spelling", "title", "compound", "dropped_name", "name_typo", "date_typo", "bin_binti", "reorder")
NEG_TAGS = ("common_name_same_date", "man_woman_same_name_date", "twins", "nik_one_digit_apart", "siblings_similar",
            "father_son_same_name")


@dataclass(frozen=True, slots=True)
class Rec:
    id: str
    nik: str
    kk: str
    name: str
    birth_date: str
    sex: str
    desa_code: str
    dusun: str
    rt: str
    rw: str
    entity: str
    kind: str = ""
    tag: str = ""


@dataclass(frozen=True, slots=True)
class EvalSet:
    records: list[Rec]

    def true_pairs(self) -> dict[tuple[str, str], str]:
        """(id_a, id_b) with id_a < id_b -> kind of the duplicate."""
        by_entity: dict[str, list[Rec]] = {}
        for r in self.records:
            by_entity.setdefault(r.entity, []).append(r)
        out: dict[tuple[str, str], str] = {}
        for recs in by_entity.values():
            for i, a in enumerate(recs):
                for b in recs[i + 1:]:
                    kind = b.kind or a.kind or "exact_reentry"
                    if a.kind and b.kind:
                        kind = "dup_of_dup"
                    out[(min(a.id, b.id), max(a.id, b.id))] = kind
        return out

    def negative_pairs(self) -> dict[tuple[str, str], str]:
        """Planted look-alike pairs of different people -> their tag."""
        by_tag: dict[tuple[str, str], list[Rec]] = {}
        for r in self.records:
            if r.tag:
                tag, _, group = r.tag.partition("#")
                by_tag.setdefault((tag, group), []).append(r)
        out: dict[tuple[str, str], str] = {}
        for (tag, _g), recs in by_tag.items():
            for i, a in enumerate(recs):
                for b in recs[i + 1:]:
                    if a.entity != b.entity:
                        out[(min(a.id, b.id), max(a.id, b.id))] = tag
        return out


# --------------------------------------------------------------------------- identifiers


class Regions:
    def __init__(self, rng: random.Random) -> None:
        self.kecs: list[str] = []
        self.desas: dict[str, list[str]] = {}
        for prov in PROVINCES:
            for kab in rng.sample(range(1, 30), 3):
                for kec in rng.sample(range(1, 25), 7):
                    code = f"{prov}{kab:02d}{kec:02d}"
                    self.kecs.append(code)
                    self.desas[code] = [f"{code}{2000 + d:04d}" for d in rng.sample(range(1, 20), 5)]

    def culture(self, kec: str) -> str:
        return PROVINCES[kec[:2]]


def nik_of(kec: str, born: date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{kec}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def kk_of(kec: str, rng: random.Random) -> str:
    rec = date(2005, 1, 1) + timedelta(days=rng.randrange(6500))
    return f"{kec}{rec.day:02d}{rec.month:02d}{rec.year % 100:02d}{rng.randint(1, 9999):04d}"


def substitute(nik: str, rng: random.Random) -> str:
    i = rng.randrange(len(nik))
    return nik[:i] + rng.choice([d for d in "0123456789" if d != nik[i]]) + nik[i + 1:]


def swap(nik: str, rng: random.Random) -> str:
    for _ in range(20):
        i = rng.randrange(len(nik) - 1)
        if nik[i] != nik[i + 1]:
            return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2:]
    return substitute(nik, rng)


def date_typo(d: date, rng: random.Random) -> date:
    for _ in range(30):
        kind = rng.choice(("day_digit", "day_swap", "month_day", "year_digit", "year_swap", "off_by_one"))
        try:
            if kind == "day_digit":
                new = d.replace(day=int(f"{d.day:02d}"[0] + rng.choice("0123456789")))
            elif kind == "day_swap":
                s = f"{d.day:02d}"
                new = d.replace(day=int(s[::-1]))
            elif kind == "month_day":
                new = date(d.year, d.day, d.month)
            elif kind == "year_digit":
                new = d.replace(year=d.year - d.year % 10 + rng.randrange(10))
            elif kind == "year_swap":
                y = f"{d.year}"
                new = d.replace(year=int(y[:2] + y[3] + y[2]))
            else:
                new = d + timedelta(days=rng.choice((-1, 1)))
        except ValueError:
            continue
        if new != d and 1925 < new.year < 2025:
            return new
    return d + timedelta(days=1)


# --------------------------------------------------------------------------- names


def old_spelling(name: str) -> str:
    out = []
    for w in name.split():
        if w.endswith("."):
            out.append(w)
            continue
        t = w.replace("J", "DJ").replace("C", "TJ").replace("KH", "CH").replace("SY", "SJ").replace("NY", "NJ")
        t = t.replace("Y", "J").replace("U", "OE")
        out.append(t)
    return " ".join(out)


def typo(name: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    for _ in range(20):
        i = rng.choice(letters[1:] or letters)  # the first letter is rarely mistyped
        kind = rng.choice(("sub", "ins", "del", "transpose", "double"))
        if kind == "sub":
            new = name[:i] + rng.choice("AIUEONRSTKMH") + name[i + 1:]
        elif kind == "ins":
            new = name[:i] + rng.choice("AIUEHNR") + name[i:]
        elif kind == "del":
            new = name[:i] + name[i + 1:]
        elif kind == "double":
            new = name[:i] + name[i] + name[i:]
        else:
            if i + 1 >= len(name) or not name[i + 1].isalpha():
                continue
            new = name[:i] + name[i + 1] + name[i] + name[i + 2:]
        if new != name and " " not in (new[0], new[-1]):
            return new
    return name + "H"


def muhammad_variant(name: str, rng: random.Random) -> str:
    words = name.split()
    if words[0] in ("MUHAMMAD", "MOHAMMAD", "MUHAMAD") and len(words) > 1:
        words[0] = rng.choice([w for w in P.MUHAMMAD_WRITINGS if w != words[0]])
    return " ".join(words)


class Namer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def person(self, sex: str, culture: str, father: str = "") -> str:
        r = self.rng
        x = r.random()
        if culture == "sumut" and x < 0.6:
            given = r.choice(P.BATAK_MALE if sex == "L" else P.BATAK_FEMALE)
            marga = father.split()[-1] if father and father.split()[-1] in P.MARGA else r.choice(P.MARGA)
            return f"{given} {marga}" if sex == "L" else f"{given} BR {marga}"
        if culture == "sumut" and x < 0.75:
            if r.random() < 0.5:
                return f"{r.choice(P.CHINESE_SURNAME)} {r.choice(P.CHINESE_GIVEN)}"
            return r.choice(P.CHINESE_INDONESIAN)
        if culture == "sulsel" and x < 0.35:
            base = self.muslim(sex)
            dad = ([w for w in father.split() if "." not in w] or ["ABDULLAH"])[0] if father else r.choice(("ABDULLAH", "HASAN", "MUSA", "IDRIS"))
            return f"{base} {'BIN' if sex == 'L' else 'BINTI'} {dad}"
        if culture == "java" and x < 0.3:
            return r.choice(P.JAVA_MALE_SINGLE if sex == "L" else P.JAVA_FEMALE_SINGLE)
        if x < 0.42:
            return r.choice(P.COMMON_MALE if sex == "L" else P.COMMON_FEMALE)
        return self.muslim(sex)

    def muslim(self, sex: str) -> str:
        r = self.rng
        if r.random() < 0.12:
            head = r.choice(("NUR", "NUR", "ABDUL")) if sex == "L" else "NUR"
            second = r.choice(P.ABDUL_SECOND if head == "ABDUL" else P.COMPOUND_SECOND)
            name = f"{head} {second}"
            return name if r.random() < 0.7 else name.replace(" ", "", 1)
        if sex == "L":
            first = "MUHAMMAD" if r.random() < 0.15 else r.choice(P.MALE_FIRST)
            if first == "ABDUL":
                first = f"ABDUL {r.choice(P.ABDUL_SECOND)}"
            if first == "MUHAMMAD":
                first = r.choice(("MUHAMMAD", "MUHAMMAD", "MOHAMMAD", "MUHAMAD"))
            seconds = P.SECOND_MALE
        else:
            first = r.choice(P.FEMALE_FIRST)
            seconds = P.SECOND_FEMALE
        n = r.choices((1, 2, 3), (0.15, 0.7, 0.15))[0]
        parts = [first, *r.sample(seconds, n - 1)]
        return " ".join(parts)


# --------------------------------------------------------------------------- the set


class Generator:
    def __init__(self, seed: int, families: int) -> None:
        self.rng = random.Random(seed)
        self.regions = Regions(self.rng)
        self.namer = Namer(self.rng)
        self.families = families
        self.records: list[Rec] = []
        self.niks: set[str] = set()
        self.n = 0
        self.e = 0

    # ---- helpers

    def rid(self) -> str:
        self.n += 1
        return f"R{self.n:07d}"

    def entity(self) -> str:
        self.e += 1
        return f"E{self.e:07d}"

    def serial(self) -> int:
        return 1 if self.rng.random() < 0.5 else self.rng.randint(2, 80)

    def new_nik(self, kec: str, born: date, sex: str, serial: int | None = None) -> str:
        s = serial if serial is not None else self.serial()
        nik = nik_of(kec, born, sex, s)
        while nik in self.niks:
            s = s + 1 if s < 9999 else 1
            nik = nik_of(kec, born, sex, s)
        self.niks.add(nik)
        return nik

    def birth(self, lo: int, hi: int) -> date:
        r = self.rng
        year = r.randint(lo, hi)
        if year < 1975 and r.random() < 0.12:  # placeholder dates of older registers
            return date(year, *r.choice(((1, 1), (12, 31), (7, 1))))
        return date(year, 1, 1) + timedelta(days=r.randrange(365))

    def add(self, **kw: object) -> Rec:
        rec = Rec(id=self.rid(), **kw)  # type: ignore[arg-type]
        self.records.append(rec)
        return rec

    def address(self, desa: str) -> tuple[str, str, str]:
        r = self.rng
        return (f"DUSUN {r.choice(('KRAJAN', 'SUKAMAJU', 'SIDODADI', 'MEKARSARI', 'TANJUNG', 'BARU', 'LOR', 'KIDUL'))}",
                f"{r.randint(1, 12):03d}", f"{r.randint(1, 6):03d}")

    def person(self, *, kec: str, desa: str, kk: str, name: str, born: date, sex: str, addr: tuple[str, str, str],
               tag: str = "", serial: int | None = None) -> Rec:
        return self.add(nik=self.new_nik(kec, born, sex, serial), kk=kk, name=name, birth_date=born.isoformat(),
                        sex=sex, desa_code=desa, dusun=addr[0], rt=addr[1], rw=addr[2], entity=self.entity(), tag=tag)

    # ---- families

    def family(self) -> list[Rec]:
        r = self.rng
        kec = r.choice(self.regions.kecs)
        desa = r.choice(self.regions.desas[kec])
        kk = kk_of(kec, r)
        addr = self.address(desa)
        culture = self.regions.culture(kec)
        head_born = self.birth(1940, 1995)
        head_name = self.namer.person("L", culture)
        if head_born.year < 1975 and r.random() < 0.2:
            head_name = f"H. {head_name}"
        if r.random() < 0.06:
            head_name = f"{head_name}, {r.choice(P.TITLES_AFTER)}"
        if r.random() < 0.04:
            head_name = f"{r.choice(('Ir.', 'Drs.', 'Dr.'))} {head_name}"
        if head_born.year < 1962 and r.random() < 0.35:
            head_name = old_spelling(head_name)
        members = [self.person(kec=kec, desa=desa, kk=kk, name=head_name, born=head_born, sex="L", addr=addr)]
        if r.random() < 0.85:
            wife_born = head_born + timedelta(days=r.randint(-1500, 3500))
            wife = self.namer.person("P", culture)
            if wife_born.year < 1975 and r.random() < 0.2:
                wife = f"Hj. {wife}"
            if r.random() < 0.06:
                wife = f"{wife}, {r.choice(P.TITLES_AFTER)}"
            if wife_born.year < 1962 and r.random() < 0.35:
                wife = old_spelling(wife)
            members.append(self.person(kec=kec, desa=desa, kk=kk, name=wife, born=wife_born, sex="P", addr=addr))
        for _ in range(r.choices((0, 1, 2, 3, 4), (0.15, 0.25, 0.3, 0.2, 0.1))[0]):
            born = head_born + timedelta(days=r.randint(20 * 365, 35 * 365))
            if born.year > 2023:
                continue
            sex = r.choice("LP")
            members.append(self.person(kec=kec, desa=desa, kk=kk, name=self.namer.person(sex, culture, head_name),
                                       born=born, sex=sex, addr=addr))
        return members

    # ---- duplicates

    def duplicate(self, orig: Rec, kind: str) -> Rec | None:
        r = self.rng
        name, nik, kk, born = orig.name, orig.nik, orig.kk, date.fromisoformat(orig.birth_date)
        desa, dusun, rt, rw = orig.desa_code, orig.dusun, orig.rt, orig.rw
        # A second NIK for one person comes from a move (moved_new_nik below); a re-entry copies the
        # NIK from the KK card, rightly or with a typo.
        nik_change = r.choices(("same", "sub", "swap", "new"), (0.4, 0.35, 0.2, 0.05))[0]
        words = name.replace(",", " ").split()
        if kind == "exact_reentry":
            nik_change = "same"
        elif kind == "nik_substitution":
            nik_change = "sub"
        elif kind == "nik_swap":
            nik_change = "swap"
        elif kind == "nik_and_date_typo":
            nik_change = r.choice(("sub", "swap"))
            born = date_typo(born, r)
        elif kind == "date_typo":
            nik_change = r.choice(("same", "sub"))
            born = date_typo(born, r)
        elif kind == "moved_new_nik":
            nik_change = "new"
            if r.random() < 0.3:
                name = typo(name, r) if r.random() < 0.5 else name.upper()
        elif kind == "muhammad":
            new = muhammad_variant(name, r)
            if new == name:
                return None
            name = new
        elif kind == "old_spelling":
            new = old_spelling(name)
            if new == name or any(m in name for m in ("OE", "DJ", "TJ", "SJ", "NJ")):
                return None
            name = new
        elif kind == "title":
            if any(t.rstrip(".").upper() in ("H", "HJ", "IR", "DRS", "DR") for t in words[:1]) or "," in name:
                name = " ".join(w for w in name.split(",")[0].split() if w not in P.TITLES_BEFORE)
            else:
                before = r.random() < 0.5
                t = r.choice(("H." if orig.sex == "L" else "Hj.", "Ir.", "Drs.") if before else P.TITLES_AFTER)
                name = f"{t} {name}" if before else f"{name}, {t}"
        elif kind == "compound":
            if "NUR " in name or "ABDUL " in name:
                name = name.replace("NUR ", "NUR", 1).replace("ABDUL ", "ABDUL", 1)
            elif "NUR" in name or "ABDUL" in name:
                name = name.replace("NUR", "NUR ", 1).replace("ABDUL", "ABDUL ", 1).replace("  ", " ")
            else:
                return None
        elif kind == "dropped_name":
            plain = [w for w in words if "." not in w]
            if len(plain) < 2 or plain[-2] in ("BR", "BIN", "BINTI", "NUR", "ABDUL"):
                return None
            name = " ".join(plain[:-1])
        elif kind == "name_typo":
            name = typo(name, r)
        elif kind == "bin_binti":
            if " BIN " in name or " BINTI " in name:
                name = name.split(" BIN")[0]
            else:
                return None
        elif kind == "reorder":
            plain = [w for w in words if "." not in w]
            if len(plain) < 2 or not (plain[0] in P.CHINESE_SURNAME or plain[-1] in P.MARGA):
                return None
            name = " ".join(plain[1:] + plain[:1]) if plain[0] in P.CHINESE_SURNAME else \
                " ".join([plain[-1], *[w for w in plain[:-1] if w != "BR"]])
        if nik_change == "sub":
            nik = substitute(nik, r)
        elif nik_change == "swap":
            nik = swap(nik, r)
        elif nik_change == "new":
            kec = r.choice([k for k in self.regions.kecs if k != nik[:6]])
            desa = r.choice(self.regions.desas[kec])
            dusun, rt, rw = self.address(desa)
            kk = kk_of(kec, r)
            nik = self.new_nik(kec, date.fromisoformat(orig.birth_date), orig.sex)
        elif r.random() < 0.3:  # same NIK, same person, entered again in another KK
            kk = kk_of(nik[:6], r)
        if r.random() < 0.1:
            rt = f"{r.randint(1, 12):03d}"
        return self.add(nik=nik, kk=kk, name=name, birth_date=born.isoformat(), sex=orig.sex, desa_code=desa,
                        dusun=dusun, rt=rt, rw=rw, entity=orig.entity, kind=kind)

    # ---- hard negatives

    def negatives(self, n_groups: int) -> None:
        r = self.rng
        for g in range(n_groups):
            tag = NEG_TAGS[g % len(NEG_TAGS)]
            label = f"{tag}#{g}"
            kec = r.choice(self.regions.kecs)
            desa = r.choice(self.regions.desas[kec])
            addr = self.address(desa)
            born = self.birth(1950, 2010)
            if tag == "common_name_same_date":
                sex = r.choice("LP")
                name = r.choice(P.COMMON_MALE if sex == "L" else P.COMMON_FEMALE)
                for k in r.sample([k for k in self.regions.kecs if k != kec], r.choice((2, 2, 3))):
                    d = r.choice(self.regions.desas[k])
                    self.person(kec=k, desa=d, kk=kk_of(k, r), name=name, born=born, sex=sex, addr=self.address(d),
                                tag=label)
            elif tag == "man_woman_same_name_date":
                name = r.choice(P.UNISEX + P.COMMON_MALE[:5])
                for sex in "LP":
                    self.person(kec=kec, desa=desa, kk=kk_of(kec, r), name=name, born=born, sex=sex, addr=addr,
                                tag=label, serial=1)
            elif tag == "twins":
                a, sa, b, sb = r.choice(P.TWIN_NAMES)
                kk = kk_of(kec, r)
                s = self.serial()
                self.person(kec=kec, desa=desa, kk=kk, name=a, born=born, sex=sa, addr=addr, tag=label, serial=s)
                self.person(kec=kec, desa=desa, kk=kk, name=b, born=born, sex=sb, addr=addr, tag=label, serial=s + 1)
            elif tag == "nik_one_digit_apart":
                sex = r.choice("LP")
                culture = self.regions.culture(kec)
                first = self.person(kec=kec, desa=desa, kk=kk_of(kec, r), name=self.namer.person(sex, culture),
                                    born=born, sex=sex, addr=addr, tag=label, serial=1)
                other_born = born if r.random() < 0.5 else born + timedelta(days=r.choice((1, 10, -1)))
                self.person(kec=kec, desa=r.choice(self.regions.desas[kec]), kk=kk_of(kec, r),
                            name=self.namer.person(sex, culture), born=other_born, sex=sex, addr=addr, tag=label,
                            serial=1 if other_born != born else int(first.nik[-4:]) + 1)
            elif tag == "siblings_similar":
                kk = kk_of(kec, r)
                first = r.choice(("SRI", "NUR", "DWI", "EKA", "SITI", "MUHAMMAD"))
                sex = "L" if first == "MUHAMMAD" else "P"
                seconds = r.sample(P.SECOND_FEMALE if sex == "P" else P.SECOND_MALE, 2)
                for i, sec in enumerate(seconds):
                    self.person(kec=kec, desa=desa, kk=kk, name=f"{first} {sec}",
                                born=born + timedelta(days=400 * i + r.randint(0, 300)), sex=sex, addr=addr, tag=label)
            else:  # father_son_same_name
                kk = kk_of(kec, r)
                name = self.namer.person("L", self.regions.culture(kec))
                self.person(kec=kec, desa=desa, kk=kk, name=name, born=born - timedelta(days=365 * 28), sex="L",
                            addr=addr, tag=label)
                self.person(kec=kec, desa=desa, kk=kk, name=name, born=born, sex="L", addr=addr, tag=label)

    def build(self) -> EvalSet:
        r = self.rng
        base: list[Rec] = []
        for _ in range(self.families):
            base.extend(self.family())
        self.negatives(max(60, self.families // 5))
        per_kind = int(self.families * 0.42) // len(DUP_KINDS)
        used: set[str] = set()
        for kind in DUP_KINDS:
            made = 0
            for _ in range(per_kind * 200):
                if made >= per_kind:
                    break
                orig = r.choice(base)
                if orig.entity in used:
                    continue
                dup = self.duplicate(orig, kind)  # None when the kind does not apply to this name
                if dup is None:
                    continue
                used.add(orig.entity)
                made += 1
                if r.random() < 0.08:  # a third copy
                    self.duplicate(orig, r.choice(("exact_reentry", "nik_substitution", "name_typo", "moved_new_nik")))
        recs = list(self.records)
        r.shuffle(recs)
        # Ids follow file order, so that neither side of a pair is systematically the original.
        ren = {rec.id: f"R{i + 1:07d}" for i, rec in enumerate(recs)}
        return EvalSet([replace(rec, id=ren[rec.id]) for rec in recs])


def generate(seed: int, families: int = 5200) -> EvalSet:
    """About 4.4 records per family: 5,200 families give ~23,000 records and ~2,200 true pairs."""
    return Generator(seed, families).build()


def write_csv(es: EvalSet, path: Path, *, truth: bool = True) -> None:
    cols = FIELDS + (TRUTH if truth else ())
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for rec in es.records:
            d = asdict(rec)
            w.writerow([d[c] for c in cols])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--families", type=int, default=5200)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--no-truth", action="store_true", help="write only the member-import columns")
    a = ap.parse_args(argv)
    es = generate(a.seed, a.families)
    write_csv(es, a.out, truth=not a.no_truth)
    pairs = es.true_pairs()
    print(f"{len(es.records)} records, {len(pairs)} true pairs, {len(es.negative_pairs())} planted negative pairs",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
