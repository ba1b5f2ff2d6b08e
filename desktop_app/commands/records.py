"""`bansos add`, `bansos propose`, `bansos delete`, `bansos move`, `bansos config`: households, members and
proposals from the command line. Every write goes through local_db.household_repo (one transaction,
its outbox op and audit row); refusals exit 2 with Indonesian lines naming the option to fix.
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
from desktop_app.context import AppContext
from desktop_app.services.quick_add import AddRefused, OverrideNeeded, add_person
from domain import proposal_codes as pc
from domain.idnumbers import normalize
from domain.issues import Issue, error
from domain.member_codes import Relation
from domain.programmes import UnknownProgramme
from domain.records import ProposalPayload, RecordType
from local_db import household_listing as hl
from local_db import household_repo as hr
from local_db.household_errors import RecordRefused
from local_db.repository import session_scope

_ADD_FIELDS = ("nik", "kk", "name", "birth_date", "sex", "desa_code", "address", "dusun", "rt", "rw",
               "phone", "criteria", "birth_place", "notes", "relation")


def register(sub: Any) -> None:
    p = sub.add_parser("add", help="tambah satu orang: keluarga (KK), anggota (NIK) dan usulan",
                       description="Tambah satu orang: keluarganya dicari atau dibuat menurut KK di desa ini, "
                                   "anggotanya menurut NIK, lalu (bila ada program) satu usulan. Mencetak "
                                   "record id usulan (atau anggota bila tanpa program).")
    p.add_argument("--nik", required=True, help="NIK 16 digit")
    p.add_argument("--kk", required=True, help="nomor KK 16 digit")
    p.add_argument("--name", required=True, help="nama lengkap sesuai KTP")
    p.add_argument("--birth-date", required=True, dest="birth_date", help="tanggal lahir YYYY-MM-DD")
    p.add_argument("--sex", required=True, help="L atau P")
    p.add_argument("--desa", dest="desa_code", default=None, help="kode desa Kemendagri (bawaan: desa perangkat ini)")
    p.add_argument("--programme", "--program", dest="programme", default=None,
                   help="kode atau nama program (bawaan: program bawaan perangkat)")
    p.add_argument("--no-programme", action="store_true", dest="no_programme",
                   help="simpan keluarga dan anggota saja, tanpa usulan")
    p.add_argument("--relation", default="", help="hubungan dengan kepala keluarga (kepala_keluarga, istri, anak, ...)")
    for opt in ("address", "dusun", "rt", "rw", "phone", "criteria", "notes"):
        p.add_argument(f"--{opt}", default="")
    p.add_argument("--birth-place", dest="birth_place", default="")
    p.add_argument("--override-reason", dest="override_reason", default="",
                   help="alasan menyimpan walau mungkin orang yang sama (masuk jejak audit)")
    p.add_argument("--json", action="store_true", help="cetak record id keluarga, anggota dan usulan sebagai JSON")
    p.set_defaults(func=lambda a: run_guarded(run_add, a))

    p = sub.add_parser("propose", help="buat usulan program untuk keluarga atau anggota",
                       description="Buat satu usulan. Program keluarga (PKH, BPNT, BST, BLT-DD): --nik menunjuk "
                                   "pengurus (bawaan: kepala keluarga). Program perorangan (PBI-JK): --nik wajib, "
                                   "yaitu anggota sasaran. Mencetak record id usulan.")
    p.add_argument("--programme", "--program", dest="programme", required=True, help="kode atau nama program")
    p.add_argument("--kk", required=True, help="nomor KK keluarga")
    p.add_argument("--nik", default="", help="NIK anggota: sasaran (program perorangan) atau pengurus (program keluarga)")
    p.add_argument("--type", default="new", help="new (baru), correction (perbaikan) atau removal (penghapusan)")
    p.add_argument("--reason", default="", help="alasan penghapusan (untuk --type removal): died, moved, ...")
    p.add_argument("--note", default="", help="catatan usulan")
    p.add_argument("--criteria", default="", help="kriteria, dipisah koma")
    p.set_defaults(func=lambda a: run_guarded(run_propose, a))

    p = sub.add_parser("delete", help="hapus keluarga, anggota atau usulan menurut record id",
                       description="Tandai satu keluarga, anggota atau usulan sebagai dihapus (riwayatnya tetap "
                                   "tersimpan dan penghapusan ikut terkirim saat sinkronisasi).")
    p.add_argument("record_id", metavar="RECORD_ID")
    p.add_argument("--reason", required=True, help="alasan penghapusan (masuk jejak audit)")
    p.set_defaults(func=lambda a: run_guarded(run_delete, a))

    p = sub.add_parser("move", help="pindahkan anggota ke keluarga (KK) lain",
                       description="Pindahkan satu anggota (menurut NIK) ke keluarga lain di desa ini (menurut KK); "
                                   "datanya dan riwayatnya tetap satu record.")
    p.add_argument("--nik", required=True, help="NIK anggota yang pindah")
    p.add_argument("--kk", required=True, help="nomor KK keluarga tujuan")
    p.add_argument("--reason", default="", help="alasan (masuk jejak audit)")
    p.set_defaults(func=lambda a: run_guarded(run_move, a))

    p = sub.add_parser("config", help="lihat/ubah pengaturan lokal (desa, operator, program bawaan)")
    p.add_argument("--desa", default=None, help="kode desa perangkat ini")
    p.add_argument("--operator", default=None, help="nama operator (untuk jejak audit)")
    p.add_argument("--default-programme", "--default-program", dest="default_programme", default=None)
    p.set_defaults(func=lambda a: run_guarded(run_config, a))


def who(ctx: AppContext) -> hr.Who:
    return hr.Who(actor=ctx.operator_name, device_id=ctx.device_id)


def refuse(issues: list[Issue]) -> int:
    err("Tidak tersimpan:")
    for issue in issues:
        err(f"- {issue_line(issue)}")
    return EXIT_REJECTED


def warn(issues: list[Issue]) -> None:
    for w in issues:
        err(f"Peringatan - {issue_line(w)}")


def run_add(args: argparse.Namespace) -> int:
    data = {k: getattr(args, k) or "" for k in _ADD_FIELDS}
    with open_context(args) as ctx:
        if not data["desa_code"]:
            if not ctx.desa_code:
                raise CommandError("Kode desa (--desa) wajib diisi: perangkat ini belum diatur untuk satu desa.",
                                   EXIT_REJECTED)
            data["desa_code"] = ctx.desa_code
        programme = None if args.no_programme else (args.programme or ctx.default_programme)
        try:
            result = add_person(ctx.engine, who(ctx), data, catalogue=ctx.catalogue, operator_desa=ctx.desa_code,
                                programme=programme, override_reason=args.override_reason.strip())
        except AddRefused as exc:
            return refuse(exc.issues)
        except OverrideNeeded as exc:
            err("Tidak tersimpan: mungkin orang yang sama sudah terdaftar.")
            for hit in exc.hits:
                err(f"- {issue_line(error('name', 'probable', hit.message))}")
            err("Bila memang orang berbeda, ulangi dengan --override-reason \"alasannya\".")
            return EXIT_REJECTED
    if args.json:
        print_json({"household_id": result.household_id, "member_id": result.member_id,
                    "proposal_id": result.proposal_id, "household_created": result.household_created,
                    "member_created": result.member_created})
    else:
        print(result.record_id)
    warn(result.warnings)
    return EXIT_OK


def _proposal_payload(ctx: AppContext, args: argparse.Namespace, household: dict[str, Any],
                      members: list[dict[str, Any]]) -> ProposalPayload:
    """The proposal the options describe; CommandError (exit 2) when they do not fit the programme."""
    try:
        prog = ctx.catalogue.resolve(args.programme)
    except UnknownProgramme as exc:
        raise CommandError(f"Program (--programme): {exc.message}", EXIT_REJECTED) from exc
    kind = pc.PROPOSAL_TYPE.parse(args.type)
    if kind is None:
        raise CommandError(f"Jenis usulan (--type): '{args.type}' tidak dikenal. Pilihan: "
                           f"{pc.PROPOSAL_TYPE.choices_text()}.", EXIT_REJECTED)
    reason = ""
    if args.reason:
        parsed = pc.REMOVAL_REASON.parse(args.reason)
        if parsed is None:
            raise CommandError(f"Alasan penghapusan (--reason): '{args.reason}' tidak dikenal. Pilihan: "
                               f"{pc.REMOVAL_REASON.choices_text()}.", EXIT_REJECTED)
        reason = parsed.value
    member: dict[str, Any] | None = None
    nik = normalize(args.nik)
    if nik:
        member = next((m for m in members if nik in (m["nik"], m["temp_id"])), None)
        if member is None:
            raise CommandError(f"NIK (--nik): {nik} bukan anggota keluarga KK {household['kk']}; tambahkan "
                               "anggotanya dulu (bansos add).", EXIT_REJECTED)
    criteria = [c.strip() for c in args.criteria.split(",") if c.strip()]
    common = {"type": kind.value, "programme": prog.code, "removal_reason": reason, "note": args.note.strip(),
              "criteria": criteria}
    if not prog.is_household:
        if member is None:
            raise CommandError(f"NIK (--nik): program {prog.code} untuk perorangan; sebutkan anggota sasarannya "
                               "dengan --nik.", EXIT_REJECTED)
        return ProposalPayload(member_id=member["record_id"], **common)
    if member is None and kind is not pc.ProposalType.REMOVAL:
        heads = [m for m in members if m["relation"] == Relation.KEPALA_KELUARGA]
        if len(heads) != 1:
            raise CommandError(f"NIK (--nik): program {prog.code} untuk keluarga; sebutkan pengurusnya (anggota "
                               "yang menerima bantuan) dengan --nik, karena kepala keluarga belum tercatat.",
                               EXIT_REJECTED)
        member = heads[0]
    return ProposalPayload(household_id=household["record_id"], pengurus_id=member["record_id"] if member else "",
                           **common)


def run_propose(args: argparse.Namespace) -> int:
    kk = normalize(args.kk)
    with open_context(args) as ctx, session_scope(ctx.engine, write=True) as s:
        household = hl.household_by_kk(s, kk, ctx.desa_code)
        if household is None:
            raise CommandError(f"Nomor KK (--kk): tidak ada keluarga dengan KK {kk} di data desa ini; tambahkan "
                               "dulu dengan bansos add.", EXIT_REJECTED)
        payload = _proposal_payload(ctx, args, household, hr.members_of(s, household["record_id"]))
        try:
            saved = hr.save_proposal(s, payload, who(ctx), catalogue=ctx.catalogue)
        except RecordRefused as exc:
            return refuse([error(exc.field or "programme", exc.code, exc.message)])
    print(saved.record_id)
    warn(saved.warnings)
    return EXIT_OK


_NOUN = {RecordType.HOUSEHOLD: "Keluarga", RecordType.MEMBER: "Anggota", RecordType.PROPOSAL: "Usulan"}


def run_delete(args: argparse.Namespace) -> int:
    rid = args.record_id.strip()
    with open_context(args) as ctx, session_scope(ctx.engine, write=True) as s:
        kind = hl.record_type_of(s, rid)
        if kind is None:
            raise CommandError(f"Record id {rid} tidak ada di data perangkat ini (lihat bansos list).", EXIT_REJECTED)
        rtype = RecordType(kind)
        try:
            hr.soft_delete(s, rtype, rid, who(ctx), reason=args.reason)
        except RecordRefused as exc:
            return refuse([error(exc.field or "record_id", exc.code, exc.message)])
    print(f"{_NOUN[rtype]} {rid} dihapus.")
    return EXIT_OK


def run_move(args: argparse.Namespace) -> int:
    nik, kk = normalize(args.nik), normalize(args.kk)
    with open_context(args) as ctx, session_scope(ctx.engine, write=True) as s:
        member = hl.member_by_nik(s, nik)
        if member is None:
            raise CommandError(f"NIK (--nik): tidak ada anggota dengan NIK {nik} di data perangkat ini.", EXIT_REJECTED)
        household = hl.household_by_kk(s, kk, ctx.desa_code)
        if household is None:
            raise CommandError(f"Nomor KK (--kk): tidak ada keluarga dengan KK {kk} di data desa ini; buat dulu "
                               "dengan bansos add.", EXIT_REJECTED)
        try:
            hr.move_member(s, member["record_id"], household["record_id"], who(ctx), reason=args.reason.strip())
        except RecordRefused as exc:
            return refuse([error(exc.field or "household_id", exc.code, exc.message)])
    print(f"Anggota {member['record_id']} pindah ke keluarga KK {kk}.")
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
