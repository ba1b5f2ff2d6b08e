"""`bansos import FILE.csv|FILE.xlsx`: import candidates; all accepted rows in one transaction.

Exit 0 when every row was accepted, 1 when some were rejected (see `<file>.rejects.csv`),
2 when the file itself cannot be imported.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

from desktop_app.commands.common import EXIT_FAILED, EXIT_OK, EXIT_REJECTED, CommandError, open_context, run_guarded
from desktop_app.services.csv_import import ImportFileError, import_file, summary_text

log = logging.getLogger(__name__)


def _log_progress(phase: str, done: int, total: int) -> None:
    # In the data dir's log: how far a long import got (and, for a killed one, where it stopped).
    log.info("import progress: %s %d/%d", phase, done, total)


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="impor calon penerima dari berkas CSV/Excel",
                       description="Impor dari CSV (atau .xlsx) dengan kolom nik,kk,name,birth_date,sex,desa_code,"
                                   "programme (opsional: address,dusun,rt,rw,phone,criteria,birth_place,notes,"
                                   "override_reason). Semua baris yang diterima disimpan sekaligus.")
    p.add_argument("file", metavar="BERKAS")
    p.add_argument("--rejects", default=None, help="berkas untuk baris yang ditolak (bawaan: BERKAS.rejects.csv)")
    p.set_defaults(func=lambda a: run_guarded(run, a))


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    with open_context(args) as ctx:
        try:
            report = import_file(ctx.entry_service(), path,
                                 rejects_path=Path(args.rejects) if args.rejects else None, progress=_log_progress)
        except ImportFileError as exc:
            raise CommandError(str(exc), EXIT_REJECTED) from exc
    print(summary_text(report))
    return EXIT_OK if not report.rejected else EXIT_FAILED
