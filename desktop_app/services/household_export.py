"""Export households and members as the member table the importer reads (one row per member, the
household's columns repeated, NIK and KK as text): an export re-imports unchanged.

The `programme` column of a member lists the open or decided proposals of type "new" that name it:
as the pengurus of a household programme, or as the target of a person programme. Corrections,
removals and deleted proposals are not part of the table (they are not imported either).
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from desktop_app import xlsx_writer
from desktop_app.services import member_table as mt
from domain.errors import KnownError
from local_db import household_listing as hl
from local_db.household_payloads import household_payload, member_payload
from local_db.repository import session_scope

log = logging.getLogger(__name__)


class ExportError(KnownError):
    @classmethod
    def default_message(cls) -> str:
        return "Berkas ekspor tidak bisa ditulis."


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    households: int
    members: int
    proposals: int


def table_rows(engine: Engine) -> tuple[list[dict[str, str]], int, int]:
    """(rows, households, proposals listed) of the active records, in area order."""
    with session_scope(engine) as s:
        fams = hl.families(s)
    rows: list[dict[str, str]] = []
    n_props = 0
    for f in fams:
        h = household_payload(f.household)
        progs: dict[str, list[str]] = {}
        for p in f.proposals:
            if p["type"] != "new":
                continue
            who = p["member_id"] or p["pengurus_id"]
            if who:
                progs.setdefault(who, []).append(p["programme"])
                n_props += 1
        for m in f.members:
            rows.append(mt.row_of(h, member_payload(m), progs.get(m["record_id"], [])))
    return rows, len(fams), n_props


def export_table(engine: Engine, path: Path) -> ExportResult:
    """Write `path` (.xlsx, else CSV) with the columns of member_table.COLUMNS."""
    path = Path(path)
    rows, n_h, n_p = table_rows(engine)
    cols = list(mt.COLUMNS)
    part = path.with_name(path.name + ".part")
    try:
        if path.suffix.lower() == ".xlsx":
            text_cols = [i for i, c in enumerate(cols) if c in mt.TEXT_COLUMNS]
            xlsx_writer.write_table(part, cols, ([r[c] for c in cols] for r in rows), text_columns=text_cols,
                                    sheet="Anggota keluarga")
        else:
            with part.open("w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(cols)
                w.writerows([r[c] for c in cols] for r in rows)
        part.replace(path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise ExportError(f"Berkas {path} tidak bisa ditulis: {exc.strerror}.") from exc
    log.info("exported %d households, %d members, %d proposals", n_h, len(rows), n_p)
    return ExportResult(path, n_h, len(rows), n_p)
