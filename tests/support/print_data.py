"""A synthetic desa of N families for the printing tests and bench/bench_print.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any

from domain.names import name_key
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload
from local_db import household_repo as hr
from local_db.repository import session_scope
from tests.support.seed import DESA, KEC

FIRST = ("Ahmad", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko", "Kiki", "Lina", "Made",
         "Nina", "Oki", "Putri", "Rudi", "Sari", "Tono", "Umi", "Vina", "Wati", "Yanto", "Zainal", "Asri")
LAST = ("Saputra", "Lestari", "Hidayat", "Wijaya", "Kusuma", "Pratama", "Rahayu", "Nugroho", "Santoso", "Utami",
        "Halim", "Siregar", "Nasution", "Harahap", "Purba", "Sinaga", "Tanjung", "Lubis")
DUSUNS = ("Air Serkuk", "Buluh Tumbang", "Teluk Gembira", "Pangkal Lalang")
HOUSEHOLD_PROGRAMMES = ("PKH", "BPNT", "BLT-DD")


@dataclass(frozen=True, slots=True)
class BigRow:
    """One member of a synthetic family and the programme proposed for it (the head: the family's)."""

    nik: str
    kk: str
    name: str
    birth_date: str
    sex: str
    dusun: str
    rt: str
    rw: str
    address: str
    phone: str
    criteria: tuple[str, ...]
    programme: str
    head: bool


def big_rows(families: int = 300) -> list[BigRow]:
    """`families` KKs of 3 members: the head as pengurus of a household programme, the others in PBI-JK."""
    rows = []
    serial = 1
    for i in range(families):
        kk = f"{KEC}0101{10 + i // 100:02d}{i % 100 + 1:04d}"
        dusun = DUSUNS[i % len(DUSUNS)]
        for k in range(3):
            n = i * 3 + k
            sex = "L" if k != 1 else "P"
            born = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
            day = born.day + (40 if sex == "P" else 0)
            nik = f"{KEC}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
            serial += 1
            name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {chr(65 + n % 26)}"
            rows.append(BigRow(nik=nik, kk=kk, name=name, birth_date=born.isoformat(), sex=sex, dusun=dusun,
                               rt=f"{1 + i % 9:03d}", rw=f"{1 + i % 4:03d}", address=f"Jl. Uji No. {i + 1}",
                               phone=f"0812{i:08d}" if k == 0 else "", criteria=("lansia",) if k == 0 else (),
                               programme=HOUSEHOLD_PROGRAMMES[i % 3] if k == 0 else "PBI-JK", head=k == 0))
    return rows


def fill_store(ctx: Any, rows: list[BigRow]) -> None:
    """Households and members by the importer's bulk path, then the proposals, in one transaction."""
    who = hr.Who("test", ctx.device_id)
    families = [list(g) for _kk, g in groupby(rows, key=lambda r: r.kk)]
    with session_scope(ctx.engine, write=True) as s:
        items = [(HouseholdPayload(kk=fam[0].kk, desa_code=DESA, dusun=fam[0].dusun, rt=fam[0].rt, rw=fam[0].rw,
                                   address=fam[0].address, phone=fam[0].phone),
                  [hr.NewMember(MemberPayload(
                      household_id="", nik=r.nik, name=r.name, birth_place="Tanjungpandan", birth_date=r.birth_date,
                      sex=r.sex, relation="kepala_keluarga" if r.head else "anak", criteria=list(r.criteria)),
                      name_key(r.name)) for r in fam]) for fam in families]
        hids = hr.bulk_insert_households(s, items, who)
        mids = dict(s.connection().exec_driver_sql("SELECT nik, record_id FROM members").fetchall())
        for hid, fam in zip(hids, families, strict=True):
            for r in fam:
                p = (ProposalPayload(programme=r.programme, household_id=hid, pengurus_id=mids[r.nik]) if r.head
                     else ProposalPayload(programme=r.programme, member_id=mids[r.nik]))
                hr.save_proposal(s, p, who)
