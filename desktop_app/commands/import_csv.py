"""`bansos import FILE.csv|FILE.xlsx` and `bansos export FILE.xlsx|FILE.csv`: the member table
(one row per member, household columns repeated, optional programme column).

Import exits 0 when every row was accepted, 1 when some were rejected (see `<file>.rejects.csv`),
2 when the file itself cannot be imported.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

from desktop_app.commands.common import EXIT_FAILED, EXIT_OK, EXIT_REJECTED, CommandError, open_context, run_guarded
from desktop_app.context import AppContext
from desktop_app.services.csv_import import ImportFileError, ImportTarget, import_file, summary_text
from desktop_app.services.household_export import ExportError, export_table
from local_db.household_repo import Who

log = logging.getLogger(__name__)


def _log_progress(phase: str, done: int, total: int) -> None:
    # In the data dir's log: how far a long import got (and, for a killed one, where it stopped).
    log.info("import progress: %s %d/%d", phase, done, total)


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="impor keluarga dan anggota dari berkas CSV/Excel",
                       description="Impor dari CSV (atau .xlsx), satu baris per anggota keluarga, dengan kolom "
                                   "nik,kk,name,birth_date,sex,desa_code (opsional: kolom keluarga seperti "
                                   "address,dusun,rt,rw dan data rumah DTSEN, kolom anggota seperti relation, dan "
                                   "programme). Satu keluarga diterima utuh atau ditolak utuh; semua yang diterima "
                                   "disimpan sekaligus.")
    p.add_argument("file", metavar="BERKAS")
    p.add_argument("--rejects", default=None, help="berkas untuk baris yang ditolak (bawaan: BERKAS.rejects.csv)")
    p.set_defaults(func=lambda a: run_guarded(run, a))

    p = sub.add_parser("export", help="ekspor keluarga dan anggota ke Excel/CSV (bisa diimpor lagi)",
                       description="Tulis semua keluarga dan anggota (satu baris per anggota, NIK dan KK sebagai "
                                   "teks) ke .xlsx atau .csv dengan kolom yang sama dengan impor.")
    p.add_argument("file", metavar="BERKAS")
    p.set_defaults(func=lambda a: run_guarded(run_export, a))


def target_of(ctx: AppContext) -> ImportTarget:
    return ImportTarget(ctx.engine, Who(ctx.operator_name, ctx.device_id), ctx.catalogue, ctx.desa_code)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    with open_context(args) as ctx:
        try:
            report = import_file(target_of(ctx), path, rejects_path=Path(args.rejects) if args.rejects else None,
                                 progress=_log_progress)
        except ImportFileError as exc:
            raise CommandError(str(exc), EXIT_REJECTED) from exc
    print(summary_text(report))
    return EXIT_OK if not report.rejected else EXIT_FAILED


def run_export(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.parent.is_dir():
        raise CommandError(f"Folder {path.parent} tidak ada.", EXIT_REJECTED)
    with open_context(args) as ctx:
        try:
            res = export_table(ctx.engine, path)
        except ExportError as exc:
            raise CommandError(exc.message, EXIT_REJECTED) from exc
    print(f"Tersimpan: {res.path} ({res.households} keluarga, {res.members} anggota, {res.proposals} usulan).")
    return EXIT_OK
