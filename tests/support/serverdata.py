"""Valid payloads and protocol-2 batches for server tests (real region codes of Kab. Belitung).

`payload()` describes one person in one programme (the shape of the old entry, handy to write);
`person_ops()` turns it into the three protocol-2 ops (household -> member -> proposal) with the
deterministic household/member ids of domain.legacy_ids, so two people with one KK share a
household. `household()`, `member()`, `proposal()` build single payloads; `op()` infers the record
type from the payload's fields unless `record_type` is given.
"""

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


def _record_type(p: dict[str, Any] | None) -> str:
    if p is None:
        return "proposal"
    if "programme" in p:
        return "proposal"
    if "household_id" in p:
        return "member"
    return "household"


def op(record_id: str | None = None, p: dict[str, Any] | None = None, *, base_version: int | None = None,
       kind: str = "UPSERT", local_rev: int = 1, op_id: str | None = None,
       record_type: str | None = None) -> dict[str, Any]:
    return {"op_id": op_id or uuid.uuid4().hex, "record_type": record_type or _record_type(p),
            "record_id": record_id or str(uuid.uuid4()), "base_version": base_version, "local_rev": local_rev,
            "kind": kind, "payload": p if kind == "UPSERT" else None}


def household(desa: str = DESA_A, *, serial: int = 1, kk: str | None = None, **extra: Any) -> dict[str, Any]:
    h = {"kk": kk or kk_for(desa, serial), "desa_code": desa, "rt": "001", "rw": "002", "address": "Jl. Melati"}
    h.update(extra)
    return h


def member(household_id: str, desa: str = DESA_A, *, serial: int = 1, name: str = "Siti Aminah", sex: str = "P",
           born: date = date(1980, 5, 17), nik: str | None = None, relation: str = "kepala_keluarga",
           **extra: Any) -> dict[str, Any]:
    m = {"household_id": household_id, "nik": nik or nik_for(desa, born, sex, serial), "name": name,
         "birth_place": "Tanjungpandan", "birth_date": born.isoformat(), "sex": sex, "relation": relation}
    m.update(extra)
    return m


def proposal(programme: str = "PKH", *, household_id: str = "", member_id: str = "", pengurus_id: str = "",
             **extra: Any) -> dict[str, Any]:
    p = {"programme": programme, "household_id": household_id, "member_id": member_id, "pengurus_id": pengurus_id,
         "criteria": ["tidak_bekerja"]}
    p.update(extra)
    return p


def person_ids(p: dict[str, Any]) -> tuple[str, str]:
    """(household id, member id) of a person payload: the deterministic ids of domain.legacy_ids."""
    from domain.legacy_ids import household_id_for, member_id_for

    return household_id_for(p["desa_code"], p["kk"]), member_id_for(p["desa_code"], p["nik"])


def person_records(p: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The household, member and proposal payloads of a person payload (programme target per the
    default catalogue: a household programme names the household and the person as pengurus)."""
    from domain.programmes import DEFAULT, Target

    hid, mid = person_ids(p)
    h = {k: p[k] for k in ("kk", "desa_code", "rt", "rw", "address") if k in p}
    h.update({k: p[k] for k in ("dusun", "phone", "latitude", "longitude") if k in p})
    m = {"household_id": hid, "nik": p["nik"], "name": p["name"], "birth_place": p.get("birth_place", ""),
         "birth_date": p["birth_date"], "sex": p["sex"], "relation": p.get("relation", "kepala_keluarga")}
    if p.get("override_reason"):
        m["override_reason"] = p["override_reason"]
    prog = DEFAULT.get(p["programme"])
    household_programme = prog is not None and prog.target is Target.HOUSEHOLD
    pr = proposal(p["programme"], household_id=hid if household_programme else "",
                  member_id="" if household_programme else mid, pengurus_id=mid if household_programme else "",
                  criteria=list(p.get("criteria", [])), note=p.get("notes", ""))
    return h, m, pr


def person_ops(p: dict[str, Any], record_id: str | None = None, *, base_version: int | None = None,
               local_rev: int = 1, op_id: str | None = None) -> list[dict[str, Any]]:
    """Three ops for one person payload: household, member, then the proposal (`record_id`, `op_id`
    and `base_version` are the proposal's; household and member are sent as new, base None)."""
    h, m, pr = person_records(p)
    hid, mid = person_ids(p)
    return [op(hid, h, record_type="household"), op(mid, m, record_type="member"),
            op(record_id, pr, base_version=base_version, local_rev=local_rev, op_id=op_id, record_type="proposal")]


def batch(device_id: str, ops: list[dict[str, Any]], *, manifest: bool = True) -> dict[str, Any]:
    b: dict[str, Any] = {"device_id": device_id, "ops": ops}
    if manifest:
        from sync.protocol import RecordOp

        b["record_count"] = len(ops)
        b["content_hash"] = ops_content_hash([RecordOp.model_validate(o) for o in ops])  # type: ignore[arg-type]
    return b


def gz(obj: Any) -> bytes:
    return gzip.compress(json.dumps(obj).encode())
