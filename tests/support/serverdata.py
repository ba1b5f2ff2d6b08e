"""Valid entry payloads and batches for server tests (real region codes of Kab. Belitung)."""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import date, timedelta
from typing import Any

from sync.protocol import ops_content_hash

DESA_A = "1902012003"  # Buluh Tumbang, Kec. Tanjungpandan
DESA_B = "1902012004"  # Perawas, Kec. Tanjungpandan
DESA_C = "1902022001"  # a desa in another kecamatan (Badau) of Kab. Belitung
KEC = "190201"
KEC_OTHER = "190202"
KAB = "1902"


def nik_for(desa: str, born: date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{desa[:6]}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def kk_for(desa: str, serial: int, recorded: date = date(2010, 1, 1)) -> str:
    return f"{desa[:6]}{recorded.day:02d}{recorded.month:02d}{recorded.year % 100:02d}{serial:04d}"


def payload(desa: str = DESA_A, *, serial: int = 1, name: str = "Siti Aminah", sex: str = "P",
            born: date = date(1980, 5, 17), programme: str = "PKH", kk_serial: int | None = None,
            nik: str | None = None, **extra: Any) -> dict[str, Any]:
    p = {
        "nik": nik or nik_for(desa, born, sex, serial),
        "kk": kk_for(desa, kk_serial if kk_serial is not None else serial),
        "name": name,
        "birth_place": "Tanjungpandan",
        "birth_date": born.isoformat(),
        "sex": sex,
        "desa_code": desa,
        "rt": "001",
        "rw": "002",
        "address": "Jl. Melati",
        "criteria": ["tidak_bekerja"],
        "programme": programme,
    }
    p.update(extra)
    return p


def many_payloads(desa: str, n: int, *, start: int = 1, programme: str = "PKH") -> list[dict[str, Any]]:
    """n distinct people: distinct NIK, KK, birth date and name."""
    out = []
    base = date(1950, 1, 1)
    for i in range(start, start + n):
        born = base + timedelta(days=(i * 7) % 20000)
        out.append(payload(desa, serial=(i % 9999) + 1, kk_serial=(i % 9999) + 1, born=born,
                           name=f"Warga {_word(i)}", sex="L" if i % 2 else "P", programme=programme,
                           nik=f"{desa[:6]}{born.day + (0 if i % 2 else 40):02d}{born.month:02d}{born.year % 100:02d}{(i % 9999) + 1:04d}"))
    return out


def _word(i: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    s = ""
    i += 1000
    while i:
        s = letters[i % 26] + s
        i //= 26
    return s.capitalize() + " " + letters[(i * 7) % 26].upper() + "ahmad"[: 1 + i % 4]


def op(record_id: str | None = None, p: dict[str, Any] | None = None, *, base_version: int | None = None,
       kind: str = "UPSERT", local_rev: int = 1, op_id: str | None = None) -> dict[str, Any]:
    return {"op_id": op_id or uuid.uuid4().hex, "record_id": record_id or str(uuid.uuid4()),
            "base_version": base_version, "local_rev": local_rev, "kind": kind,
            "payload": p if kind == "UPSERT" else None}


def batch(device_id: str, ops: list[dict[str, Any]], *, manifest: bool = True) -> dict[str, Any]:
    b: dict[str, Any] = {"device_id": device_id, "ops": ops}
    if manifest:
        from sync.protocol import Op

        b["entry_count"] = len(ops)
        b["content_hash"] = ops_content_hash([Op.model_validate(o) for o in ops])
    return b


def gz(obj: Any) -> bytes:
    return gzip.compress(json.dumps(obj).encode())
