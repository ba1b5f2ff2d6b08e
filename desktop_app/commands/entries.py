"""`bansos add`, `bansos list`, `bansos duplicates`, `bansos config`: entries from the command line.

All of them go through EntryService / the local store of `--data-dir`; `add` works on a fresh
data dir (the desa is then taken from --desa).
"""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.commands.common import (
    EXIT_OK,
    EXIT_REJECTED,
    CommandError,
    err,
    issue_line,
    open_context,
    print_json,
    run_guarded,
)
from desktop_app.services.entries import EntryRejected, OverrideRequired
from domain.issues import error
from domain.states import REVIEW_LABELS, SYNC_LABELS, ReviewState, SyncState
from local_db import repository as repo
from local_db.duplicates import all_groups
from local_db.models import Entry

_ADD_FIELDS = ("nik", "kk", "name", "birth_date", "sex", "desa_code", "programme", "address", "dusun", "rt", "rw",
               "phone", "criteria", "birth_place", "notes")


def register(sub: Any) -> None:
    p = sub.add_parser("add", help="tambah satu calon penerima",
                       description="Tambah satu calon penerima; mencetak record id bila tersimpan.")
    p.add_argument("--nik", required=True, help="NIK 16 digit")
    p.add_argument("--kk", required=True, help="nomor KK 16 digit")
    p.add_argument("--name", required=True, help="nama lengkap sesuai KTP")
    p.add_argument("--birth-date", required=True, dest="birth_date", help="tanggal lahir YYYY-MM-DD")
    p.add_argument("--sex", required=True, help="L atau P")
    p.add_argument("--desa", dest="desa_code", default=None, help="kode desa Kemendagri (bawaan: desa perangkat ini)")
    p.add_argument("--programme", "--program", dest="programme", default=None, help="kode atau nama program")
    for opt in ("address", "dusun", "rt", "rw", "phone", "criteria", "notes"):
        p.add_argument(f"--{opt}", default="")
    p.add_argument("--birth-place", dest="birth_place", default="")
    p.add_argument("--override-reason", dest="override_reason", default="",
                   help="alasan menyimpan walau mungkin orang yang sama (masuk jejak audit)")
    p.set_defaults(func=lambda a: run_guarded(run_add, a))

    p = sub.add_parser("list", help="daftar entri di penyimpanan lokal")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.add_argument("--all", action="store_true", dest="include_deleted", help="termasuk entri yang dihapus")
    p.add_argument("--limit", type=int, default=None)
    p.set_defaults(func=lambda a: run_guarded(run_list, a))

    p = sub.add_parser("duplicates", help="semua kelompok duplikat di penyimpanan lokal")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(func=lambda a: run_guarded(run_duplicates, a))

    p = sub.add_parser("config", help="lihat/ubah pengaturan lokal (desa, operator, program bawaan)")
    p.add_argument("--desa", default=None, help="kode desa perangkat ini")
    p.add_argument("--operator", default=None, help="nama operator (untuk jejak audit)")
    p.add_argument("--default-programme", "--default-program", dest="default_programme", default=None)
    p.set_defaults(func=lambda a: run_guarded(run_config, a))


def run_add(args: argparse.Namespace) -> int:
    data = {k: getattr(args, k) or "" for k in _ADD_FIELDS}
    with open_context(args) as ctx:
        if not data["desa_code"]:
            if not ctx.desa_code:
                raise CommandError("Kode desa (--desa) wajib diisi: perangkat ini belum diatur untuk satu desa.",
                                   EXIT_REJECTED)
            data["desa_code"] = ctx.desa_code
        service = ctx.entry_service()
        try:
            result = service.save(data, override_reason=args.override_reason)
        except EntryRejected as exc:
            err("Tidak tersimpan:")
            for issue in exc.issues:
                err(f"- {issue_line(issue)}")
            return EXIT_REJECTED
        except OverrideRequired as exc:
            err("Tidak tersimpan: mungkin orang yang sama sudah terdaftar.")
            for hit in exc.hits:
                err(f"- {issue_line(error('name', 'probable', hit.message))}")
            err("Bila memang orang berbeda, ulangi dengan --override-reason \"alasannya\".")
            return EXIT_REJECTED
    print(result.record_id)
    for w in result.warnings:
        err(f"Peringatan - {issue_line(w)}")
    return EXIT_OK


def entry_dict(e: Entry) -> dict[str, Any]:
    return {
        "record_id": e.record_id, "nik": e.nik, "kk": e.kk, "name": e.name, "birth_date": e.birth_date.isoformat(),
        "sex": e.sex, "desa_code": e.desa_code, "programme": e.programme, "address": e.address,
        "criteria": [c for c in e.criteria.split(",") if c], "deleted": e.deleted, "sync_state": e.sync_state,
        "review_state": e.review_state, "local_rev": e.local_rev, "server_version": e.server_version,
        "created_at": e.created_at.isoformat(), "updated_at": e.updated_at.isoformat(),
    }


def _state_text(e: Entry) -> str:
    if e.deleted:
        return "Dihapus"
    if e.review_state:
        return REVIEW_LABELS.get(ReviewState(e.review_state), e.review_state)
    return SYNC_LABELS.get(SyncState(e.sync_state), e.sync_state)


def run_list(args: argparse.Namespace) -> int:
    with open_context(args) as ctx, repo.session_scope(ctx.engine) as s:
        rows = repo.list_entries(s, include_deleted=args.include_deleted, limit=args.limit)
    if args.json:
        print_json([entry_dict(e) for e in rows])
        return EXIT_OK
    if not rows:
        print("Belum ada entri.")
        return EXIT_OK
    print(f"{'RECORD ID':36}  {'NIK':16}  {'NAMA':30}  {'TGL LAHIR':10}  JK  {'PROGRAM':8}  STATUS")
    for e in rows:
        print(f"{e.record_id:36}  {e.nik:16}  {e.name[:30]:30}  {e.birth_date:%d-%m-%Y}  {e.sex:2}  "
              f"{e.programme[:8]:8}  {_state_text(e)}")
    print(f"{len(rows)} entri.")
    return EXIT_OK


_GROUP_TITLES = {"nik": "NIK sama", "kk_programme": "KK sama di program yang sama",
                 "probable_person": "Mungkin orang yang sama"}


def run_duplicates(args: argparse.Namespace) -> int:
    with open_context(args) as ctx, repo.session_scope(ctx.engine) as s:
        groups = all_groups(s, catalogue=ctx.catalogue)
    if args.json:
        print_json([g.to_dict() for g in groups])
        return EXIT_OK
    if not groups:
        print("Tidak ada duplikat.")
        return EXIT_OK
    for g in groups:
        score = f", keyakinan terendah {g.score:.0f}%" if g.score is not None else ""
        print(f"{_GROUP_TITLES[g.kind]}: {g.key} ({len(g.members)} entri{score})")
        for m in g.members:
            print(f"  {m.record_id}  {m.nik}  {m.name}  {m.birth_date:%d-%m-%Y}  {m.programme}  desa {m.desa_code}")
        for a, b, decision, pair_score, reasons in g.pairs:
            label = "sama" if decision == "same" else "mungkin sama"
            print(f"    {a[:8]} ~ {b[:8]}: {label} ({pair_score:.0f}%): {reasons}")
    print(f"{len(groups)} kelompok duplikat.")
    return EXIT_OK


def run_config(args: argparse.Namespace) -> int:
    with open_context(args) as ctx:
        try:
            ctx.configure(desa_code=args.desa, operator_name=args.operator, default_programme=args.default_programme)
        except ValueError as exc:
            raise CommandError(str(exc), EXIT_REJECTED) from exc
        print(f"Folder data   : {ctx.data_dir}")
        print(f"ID perangkat  : {ctx.device_id}")
        print(f"Desa          : {ctx.desa_code or '(belum diatur)'}")
        print(f"Operator      : {ctx.operator_name}")
        print(f"Program bawaan: {ctx.default_programme or '(belum diatur)'}")
    return EXIT_OK
