"""Local store step for the person matcher (issue 14), kept apart so that it can be renumbered.

- `ix_entry_nik_date`: an index on the DDMMYY a NIK encodes (`substr(nik, 7, 6)`), so that the
  probable-person check also finds an entry whose typed birth date is wrong but whose NIK holds
  the date being checked; it carries name_key, so the name screen reads the index only;
- name keys recomputed: domain.names changed (A.Ma. and other titles, compounds joined, old
  spelling folded only in old-spelled words), and a key computed by the old rules would no longer
  meet the key of the same name typed today.
"""

from __future__ import annotations

from sqlalchemy import Connection

from domain.names import name_key

NIK_DATE_INDEX = "ix_entry_nik_date"
NIK_DATE_EXPR = "substr(nik, 7, 6)"  # the same text in every query, or SQLite will not use the index


def apply(conn: Connection) -> None:
    # nik itself in the index too: without it SQLite will not treat the expression index as covering.
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {NIK_DATE_INDEX} ON entry ({NIK_DATE_EXPR}, name_key, nik)")
    rows = conn.exec_driver_sql("SELECT record_id, name, name_key FROM entry").fetchall()
    changed = [(k, rid) for rid, name, old in rows if (k := name_key(name)) != old]
    if changed:
        conn.exec_driver_sql("UPDATE entry SET name_key = ? WHERE record_id = ?", changed)
