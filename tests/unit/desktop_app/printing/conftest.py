"""Stores for the printing tests: the demo desa (tests.support.household_seed) and a 300-family desa."""

from __future__ import annotations

import re
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.context import AppContext
from tests.support.household_seed import seed_households
from tests.support.print_data import big_rows, fill_store
from tests.support.seed import DESA


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
    seed_households(data_dir, per_person=True, with_states=True)
    ctx = AppContext.open(data_dir)
    yield ctx
    ctx.close()


@pytest.fixture
def big_ctx(data_dir: Path) -> Iterator[AppContext]:
    with AppContext.open(data_dir) as ctx:
        ctx.configure(desa_code=DESA, operator_name="Rina Marlina")
    ctx = AppContext.open(data_dir)
    fill_store(ctx, big_rows(300))
    yield ctx
    ctx.close()
