"""Whole families as protocol-2 ops, for review tests and the review demo: one household (KK, house,
assets), its members (head, spouse, children) and proposals — a household programme with the spouse as
pengurus, and optionally a person programme for one member. Deterministic per (desa, serial, seed).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tests.support.serverdata import kk_for, nik_for, op

_FIRST_M = ("Ahmad", "Budi", "Agus", "Hendra", "Rudi", "Joko", "Eko", "Bambang", "Dedi", "Slamet", "Iwan", "Hasan")
_FIRST_F = ("Siti", "Nur", "Dewi", "Rina", "Yuni", "Sri", "Lina", "Fitri", "Wati", "Ani", "Ratna", "Tuti", "Maya")
_LAST = ("Aminah", "Saputra", "Hidayat", "Lestari", "Pratama", "Rahayu", "Santoso", "Wahyuni", "Kurniawan",
         "Susanti", "Setiawan", "Handayani", "Gunawan", "Purnama", "Nugroho", "Fauziah", "Syahputra", "Marlina")
_CRITERIA = (["nelayan"], ["petani"], ["tidak_bekerja"], ["nelayan", "kepala_keluarga_perempuan"], ["disabilitas"],
             ["phk"], ["lansia"], ["kukm"], ["ibu_hamil"])


@dataclass
class Family:
    desa: str
    household_id: str
    kk: str
    member_ids: list[str]  # head, spouse, children
    members: list[dict[str, Any]]  # their payloads
    household: dict[str, Any]
    proposals: dict[str, str] = field(default_factory=dict)  # programme -> proposal id
    proposal_payloads: dict[str, dict[str, Any]] = field(default_factory=dict)
    ops: list[dict[str, Any]] = field(default_factory=list)

    @property
    def head(self) -> dict[str, Any]:
        return self.members[0]

    def proposal_op(self, programme: str, *, base_version: int | None = None, local_rev: int = 2,
                    **changes: Any) -> dict[str, Any]:
        """A later save of one of the family's proposals (e.g. the village's edit after a review)."""
        p = {**self.proposal_payloads[programme], **changes}
        self.proposal_payloads[programme] = p
        return op(self.proposals[programme], p, base_version=base_version, local_rev=local_rev,
                  record_type="proposal")

    def member_op(self, index: int, *, base_version: int | None = None, local_rev: int = 2,
                  **changes: Any) -> dict[str, Any]:
        m = {**self.members[index], **changes}
        self.members[index] = m
        return op(self.member_ids[index], m, base_version=base_version, local_rev=local_rev, record_type="member")


def family(desa: str, serial: int, *, size: int = 4, programmes: tuple[str, ...] = ("PKH",),
           person_programme: str | None = None, seed: int | None = None, head_nik: str | None = None,
           kk: str | None = None, head_name: str | None = None, head_born: date | None = None,
           musdesus: bool = True) -> Family:
    """A family of `size` (>= 1) with proposals for `programmes` (household programmes; pengurus: the spouse,
    else the head) and, with `person_programme`, one for the youngest member."""
    rng = random.Random(seed if seed is not None else serial * 7919 + int(desa[-4:]))
    hid = str(uuid.uuid4())
    kk = kk or kk_for(desa, serial, date(2008, 1, 1) + timedelta(days=serial % 4000))
    last = rng.choice(_LAST)
    head_born = head_born or date(1960, 1, 1) + timedelta(days=rng.randrange(9000))
    household = {
        "kk": kk, "desa_code": desa, "dusun": rng.choice(("Dusun I", "Dusun II", "Dusun III")),
        "rt": f"{rng.randint(1, 9):03d}", "rw": f"{rng.randint(1, 4):03d}",
        "address": f"Jl. Pelabuhan No. {rng.randint(1, 200)}",
        "housing": {"tenure": rng.choice(("milik_sendiri", "bebas_sewa", "kontrak_sewa")), "floor_area_m2": rng.choice((24, 30, 36, 45)),
                    "floor_material": rng.choice(("semen_bata_merah", "kayu_papan", "tanah")),
                    "wall_material": rng.choice(("kayu_papan", "anyaman_bambu", "tembok")),
                    "roof_material": rng.choice(("seng", "asbes", "jerami_ijuk_rumbia")),
                    "water_source": rng.choice(("sumur_terlindung", "sumur_bor", "air_isi_ulang")),
                    "lighting": "pln_meteran", "wattage": rng.choice(("450", "900")), "cooking_fuel": "gas_3kg",
                    "toilet_facility": rng.choice(("sendiri", "bersama", "umum"))},
        "assets": rng.sample(["tabung_gas_5_5kg", "lemari_es", "tv_layar_datar"], k=rng.randint(0, 2)),
        "livestock": {"kambing_domba": rng.randint(1, 3)} if rng.random() < 0.3 else {},
    }
    members: list[dict[str, Any]] = []
    people = [("kepala_keluarga", "L", head_born, head_name or f"{rng.choice(_FIRST_M)} {last}", "nelayan")]
    if size >= 2:
        people.append(("istri", "P", head_born + timedelta(days=rng.randrange(300, 2500)),
                       f"{rng.choice(_FIRST_F)} {rng.choice(_LAST)}", "mengurus_rumah_tangga"))
    for i in range(size - len(people)):
        sex = rng.choice("LP")
        born = head_born + timedelta(days=8000 + 900 * i + rng.randrange(300))
        people.append(("anak", sex, born, f"{rng.choice(_FIRST_M if sex == 'L' else _FIRST_F)} {last}", "sekolah"))
    ids = [str(uuid.uuid4()) for _ in people]
    for i, (relation, sex, born, name, occupation) in enumerate(people):
        nik = head_nik if i == 0 and head_nik else nik_for(desa, born, sex, (serial * 10 + i) % 9999 + 1)
        members.append({"household_id": hid, "nik": nik, "name": name, "birth_place": "Tanjungpandan",
                        "birth_date": born.isoformat(), "sex": sex, "relation": relation,
                        "marital_status": "kawin" if relation in ("kepala_keluarga", "istri") else "belum_kawin",
                        "occupation": occupation})
    fam = Family(desa, hid, kk, ids, members, household)
    fam.ops = [op(hid, household, record_type="household")]
    fam.ops += [op(mid, m, record_type="member") for mid, m in zip(ids, members, strict=True)]
    pengurus = ids[1] if size >= 2 else ids[0]
    extra = {"musdesus_decision": "agreed", "musdesus_date": "2026-11-02", "musdesus_ref": f"BA-{serial:03d}/XI/2026"} \
        if musdesus else {}
    for prog in programmes:
        pid = str(uuid.uuid4())
        p = {"type": "new", "programme": prog, "household_id": hid, "member_id": "", "pengurus_id": pengurus,
             "criteria": rng.choice(_CRITERIA), "note": "", **extra}
        fam.proposals[prog], fam.proposal_payloads[prog] = pid, p
        fam.ops.append(op(pid, p, record_type="proposal"))
    if person_programme:
        pid = str(uuid.uuid4())
        p = {"type": "new", "programme": person_programme, "household_id": "", "member_id": ids[-1], "pengurus_id": "",
             "criteria": ["penyakit_kronis"], "note": "", **extra}
        fam.proposals[person_programme], fam.proposal_payloads[person_programme] = pid, p
        fam.ops.append(op(pid, p, record_type="proposal"))
    return fam


def wire_proposal(fam: Family, programme: str = "PKH", *, version: int = 1, change_seq: int = 1,
                  review_state: str = "PENDING", flags: list[dict[str, Any]] | None = None,
                  member_flags: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    """A sync.review_protocol.ReviewProposal of one of the family's proposals as the server sends it, for
    client tests without a server (the server tests check the server builds the same shape)."""
    p = fam.proposal_payloads[programme]
    about = p["member_id"] or p["pengurus_id"]
    members = [{"record_id": mid, "version": 1, "desa_code": fam.desa, "payload": m,
                "flags": member_flags if mid == about and member_flags else []}
               for mid, m in zip(fam.member_ids, fam.members, strict=True)]
    return {"record_id": fam.proposals[programme], "version": version, "change_seq": change_seq,
            "desa_code": fam.desa, "desa_name": "", "payload": p,
            "target": "person" if p["member_id"] else "household",
            "household": {"record_id": fam.household_id, "version": 1, "desa_code": fam.desa, "payload": fam.household},
            "members": members, "member_id": about, "review_state": review_state, "flags": flags or [],
            "batch_id": "b1", "updated_at": "2026-11-20T08:00:00Z", **extra}
