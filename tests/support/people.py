"""Deterministic, valid-looking candidate rows for tests and benchmarks (no real persons).

Every row passes domain.entry.validate_entry: a NIK and KK of a real kecamatan, the NIK's date
and sex matching the typed ones, one KK per person (so no KK rule fires) and names built from
random syllables (so two rows almost never look like the same person).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

DESA = "1902012003"  # Buluh Tumbang, Tanjungpandan, Belitung
FIELDS = ("nik", "kk", "name", "birth_date", "sex", "desa_code", "programme", "address")
_SYL = ("ba", "di", "ku", "ma", "ni", "ra", "sa", "ti", "wa", "yu", "ha", "lo", "pe", "go", "de", "ri", "na",
        "tu", "ja", "ke", "mi", "so", "la", "bu", "ce", "fa", "zi", "ve", "qo", "xe")


def _name(rng: random.Random) -> str:
    def word() -> str:
        return "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 4))).capitalize()

    return f"{word()} {word()} {word()}"


def people(n: int, *, seed: int = 1, desa: str = DESA, programme: str = "PKH",
           start: int = 0) -> Iterator[dict[str, str]]:
    """`n` rows; `start` offsets the serial numbers so two calls never share a NIK or KK."""
    rng = random.Random(seed)
    prefix = desa[:6]
    first = date(1940, 1, 1)
    span = (date(2005, 12, 31) - first).days
    nik_serial: dict[str, int] = {}
    for i in range(start, start + n):
        born = first + timedelta(days=rng.randrange(span))
        sex = rng.choice("LP")
        dd = born.day + (40 if sex == "P" else 0)
        stem = f"{prefix}{dd:02d}{born:%m%y}"
        serial = nik_serial.get(stem, (start // 1000) % 5000) + 1  # start shifts the serial range
        nik_serial[stem] = serial
        # KK: recording date derived from i so each person has a distinct KK.
        rec = date(2000, 1, 1) + timedelta(days=i % 7000)
        kk = f"{prefix}{rec:%d%m%y}{(i // 7000) % 9999 + 1:04d}"
        yield {
            "nik": f"{stem}{serial:04d}", "kk": kk, "name": _name(rng), "birth_date": born.isoformat(),
            "sex": sex, "desa_code": desa, "programme": programme, "address": f"Jl. Contoh No. {i % 300 + 1}",
        }


def write_csv(path: Path, rows: list[dict[str, str]] | Iterator[dict[str, str]],
              fields: tuple[str, ...] = FIELDS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(fields), extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    return path
