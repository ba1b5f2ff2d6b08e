"""A synthetic desa of N families for the printing tests and bench/bench_print.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.names import name_key
from domain.payload import EntryPayload
from local_db import repository as repo
from tests.support.seed import DESA, KEC

FIRST = ("Ahmad", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko", "Kiki", "Lina", "Made",
         "Nina", "Oki", "Putri", "Rudi", "Sari", "Tono", "Umi", "Vina", "Wati", "Yanto", "Zainal", "Asri")
LAST = ("Saputra", "Lestari", "Hidayat", "Wijaya", "Kusuma", "Pratama", "Rahayu", "Nugroho", "Santoso", "Utami",
        "Halim", "Siregar", "Nasution", "Harahap", "Purba", "Sinaga", "Tanjung", "Lubis")
DUSUNS = ("Air Serkuk", "Buluh Tumbang", "Teluk Gembira", "Pangkal Lalang")
HOUSEHOLD_PROGRAMMES = ("PKH", "BPNT", "BLT-DD")


def big_rows(families: int = 300) -> list[EntryPayload]:
    """`families` KKs of 3 members: the head in a household programme, the others in PBI-JK."""
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
            rows.append(EntryPayload(
                nik=nik, kk=kk, name=name, birth_place="Tanjungpandan", birth_date=born.isoformat(), sex=sex,
                desa_code=DESA, dusun=dusun, rt=f"{1 + i % 9:03d}", rw=f"{1 + i % 4:03d}",
                address=f"Jl. Uji No. {i + 1}", phone=f"0812{i:08d}" if k == 0 else "",
                criteria=["lansia"] if k == 0 else [],
                programme=HOUSEHOLD_PROGRAMMES[i % 3] if k == 0 else "PBI-JK"))
    return rows



def fill_store(ctx: Any, rows: list[EntryPayload]) -> None:
    """Insert the rows in one transaction (the importer's bulk path)."""
    items = [repo.NewEntry(payload=p, name_key=name_key(p.name)) for p in rows]
    with repo.session_scope(ctx.engine, write=True) as s:
        repo.bulk_create_entries(s, items, actor="test", device_id=ctx.device_id)
