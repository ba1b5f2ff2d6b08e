"""Stores for the printing tests: the demo desa (tests.support.seed) and a 300-family desa."""

from __future__ import annotations

import re
import subprocess
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.context import AppContext
from domain.names import name_key
from domain.payload import EntryPayload
from local_db import repository as repo
from tests.support.seed import DESA, KEC, seed_demo

FIRST = ("Ahmad", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko", "Kiki", "Lina", "Made",
         "Nina", "Oki", "Putri", "Rudi", "Sari", "Tono", "Umi", "Vina", "Wati", "Yanto", "Zainal", "Asri")
LAST = ("Saputra", "Lestari", "Hidayat", "Wijaya", "Kusuma", "Pratama", "Rahayu", "Nugroho", "Santoso", "Utami",
        "Halim", "Siregar", "Nasution", "Harahap", "Purba", "Sinaga", "Tanjung", "Lubis")
DUSUNS = ("Air Serkuk", "Buluh Tumbang", "Teluk Gembira", "Pangkal Lalang")
HOUSEHOLD_PROGRAMMES = ("PKH", "BPNT", "BLT-DD")


def pdf_text(path: Path, *, page: int | None = None, layout: bool = False) -> str:
    """The PDF's text: in drawing order (-raw: a table cell's lines stay together) or as laid out."""
    args = ["pdftotext", "-layout" if layout else "-raw"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_bytes_inflated(path: Path) -> bytes:
    """The raw file with every Flate stream decompressed beside it (metadata, fonts' ToUnicode, content)."""
    raw = path.read_bytes()
    out = [raw]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return b"\n".join(out)


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


@pytest.fixture
def qgui(qapp: QApplication) -> QApplication:
    return qapp


@pytest.fixture
def demo_ctx(data_dir: Path) -> Iterator[AppContext]:
    seed_demo(data_dir)
    ctx = AppContext.open(data_dir)
    yield ctx
    ctx.close()


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


@pytest.fixture
def big_ctx(data_dir: Path) -> Iterator[AppContext]:
    with AppContext.open(data_dir) as ctx:
        ctx.configure(desa_code=DESA, operator_name="Rina Marlina")
    ctx = AppContext.open(data_dir)
    items = [repo.NewEntry(payload=p, name_key=name_key(p.name)) for p in big_rows()]
    with repo.session_scope(ctx.engine, write=True) as s:
        repo.bulk_create_entries(s, items, actor="test", device_id=ctx.device_id)
    yield ctx
    ctx.close()
