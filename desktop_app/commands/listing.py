"""`bansos list` (households with their members and proposals) and `bansos duplicates`."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from desktop_app.commands.common import EXIT_OK, open_context, print_json, run_guarded
from domain import proposal_codes as pc
from domain.dates import format_date
from domain.member_codes import RELATION
from domain.programmes import Catalogue
from domain.states import REVIEW_LABELS, SYNC_LABELS, ReviewState, SyncState
from local_db import household_listing as hl
from local_db.member_duplicates import record_groups
from local_db.repository import session_scope


def register(sub: Any) -> None:
    p = sub.add_parser("list", help="daftar keluarga, anggota dan usulan di penyimpanan lokal")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.add_argument("--all", action="store_true", dest="include_deleted", help="termasuk data yang dihapus")
    p.add_argument("--limit", type=int, default=None, help="paling banyak N keluarga")
    p.set_defaults(func=lambda a: run_guarded(run_list, a))

    p = sub.add_parser("duplicates", help="semua kelompok duplikat di penyimpanan lokal")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(func=lambda a: run_guarded(run_duplicates, a))


def _flags(text: str | None) -> list[Any]:
    return list(json.loads(text)) if text else []


def family_dict(f: hl.FamilyRows, catalogue: Catalogue) -> dict[str, Any]:
    h = f.household
    nik_of = {m["record_id"]: m["nik"] or m["temp_id"] for m in f.members}
    members = [{
        "record_id": m["record_id"], "nik": m["nik"], "temp_id": m["temp_id"], "name": m["name"],
        "birth_date": str(m["birth_date"])[:10], "sex": m["sex"], "relation": m["relation"],
        "deleted": bool(m["deleted"]), "sync_state": m["sync_state"], "server_version": m["server_version"],
    } for m in f.members]
    proposals = []
    for p in f.proposals:
        prog = catalogue.get(p["programme"])
        proposals.append({
            "record_id": p["record_id"], "programme": p["programme"], "type": p["type"],
            "target": "person" if p["member_id"] else "household",
            "household_programme": prog.is_household if prog else not p["member_id"],
            "member_nik": nik_of.get(p["member_id"]) if p["member_id"] else None,
            "pengurus_nik": nik_of.get(p["pengurus_id"]) if p["pengurus_id"] else None,
            "removal_reason": p["removal_reason"] or None, "note": p["note"],
            "review_state": p["review_state"], "review_reason_code": p["review_reason_code"],
            "review_note": p["review_note"], "server_flags": _flags(p["server_flags"]),
            "deleted": bool(p["deleted"]), "sync_state": p["sync_state"], "server_version": p["server_version"],
            "legacy_entry_id": p["legacy_entry_id"],
        })
    return {
        "record_id": h["record_id"], "kk": h["kk"], "kk_pending": bool(h["kk_pending"]), "desa_code": h["desa_code"],
        "dusun": h["dusun"], "rt": h["rt"], "rw": h["rw"], "address": h["address"], "desil": h["desil"],
        "deleted": bool(h["deleted"]), "sync_state": h["sync_state"], "server_version": h["server_version"],
        "members": members, "proposals": proposals,
    }


def state_text(row: dict[str, Any]) -> str:
    if row["deleted"]:
        return "Dihapus"
    review = row.get("review_state")
    if review:
        return REVIEW_LABELS.get(ReviewState(review), review)
    return SYNC_LABELS.get(SyncState(row["sync_state"]), row["sync_state"])


def run_list(args: argparse.Namespace) -> int:
    with open_context(args) as ctx, session_scope(ctx.engine) as s:
        fams = hl.families(s, include_deleted=args.include_deleted, limit=args.limit)
        catalogue = ctx.catalogue
    if args.json:
        print_json({"households": [family_dict(f, catalogue) for f in fams]})
        return EXIT_OK
    if not fams:
        print("Belum ada data keluarga.")
        return EXIT_OK
    n_members = n_props = 0
    for f in fams:
        h = f.household
        name_of = {m["record_id"]: m["name"] for m in f.members}
        place = " · ".join(x for x in (f"Dusun {h['dusun']}" if h["dusun"] else "",
                                       f"RT {h['rt'] or '-'}/RW {h['rw'] or '-'}", h["address"]) if x)
        print(f"KK {h['kk'] or '(belum terbit)'}  {place}  [{state_text(h)}]  {h['record_id']}")
        for m in f.members:
            relation = RELATION.label(m["relation"]) if m["relation"] else "hubungan belum diisi"
            print(f"    {m['nik'] or m['temp_id']:16}  {m['name'][:30]:30}  {_born(m['birth_date'])}  "
                  f"{m['sex']:2}  {relation:16}  [{state_text(m)}]  {m['record_id']}")
        for p in f.proposals:
            if p["member_id"]:
                whom = f"untuk {name_of.get(p['member_id'], 'anggota lain')}"
            else:
                whom = f"keluarga, pengurus {name_of.get(p['pengurus_id'], '-')}"
            kind = pc.PROPOSAL_TYPE.label(p["type"])
            print(f"    Usulan {p['programme']} ({whom}), {kind}  [{state_text(p)}]  {p['record_id']}")
        n_members += len(f.members)
        n_props += len(f.proposals)
    print(f"{len(fams)} keluarga, {n_members} anggota, {n_props} usulan.")
    return EXIT_OK


_GROUP_TITLES = {"nik": "NIK sama", "kk": "KK sama", "proposal": "Usulan terbuka ganda (program dan sasaran sama)",
                 "probable_person": "Mungkin orang yang sama"}


def run_duplicates(args: argparse.Namespace) -> int:
    with open_context(args) as ctx, session_scope(ctx.engine) as s:
        groups = record_groups(s)
    if args.json:
        print_json([g.to_dict() for g in groups])
        return EXIT_OK
    if not groups:
        print("Tidak ada duplikat.")
        return EXIT_OK
    for g in groups:
        print(f"{_GROUP_TITLES[g.kind]}: {g.key} ({len(g.records)} data)")
        for r in g.records:
            print("  " + "  ".join(str(v) for v in r.values()))
        for pair in g.pairs:
            label = "sama" if pair["decision"] == "same" else "mungkin sama"
            print(f"    {pair['record_id_a'][:8]} ~ {pair['record_id_b'][:8]}: {label} ({pair['score']:.0f}%): "
                  f"{pair['reasons']}")
    print(f"{len(groups)} kelompok duplikat.")
    return EXIT_OK


def _born(value: object) -> str:
    text = str(value or "")[:10]
    return format_date(date.fromisoformat(text)) if text else "-"
