"""Step 5 of the local store: the Musdesus (village deliberation) and its attachments (issue 15).

- `meetings`: one Musdesus of the desa: date, place, chair, number present, period (YYYY-MM), the
  minutes' (berita acara) number and the sha256 of the attached minutes; state open -> closed.
- `meeting_items`: the proposals a meeting decides, with the decision (agreed / not_agreed, "" while
  undecided) and its note. The decision itself is written to the proposal's musdesus_* fields
  (local_db.household_repo.save_proposal), which is what syncs; this table is the meeting's list.
- `attachments`: file bytes keyed by their sha256 (the same file twice is one row), with size,
  media type and the name the operator picked. The caps and type check are domain.attachment_check's.
- `proposals.musdesus_minutes_sha256`: the minutes that decided the proposal (synced in its payload).

Only creates tables: a store at step 4 keeps every row. Frozen once released (a change is a new step).
"""

from __future__ import annotations

from sqlalchemy import Connection

STEP_DESCRIPTION = "Musdesus: rapat, daftar usulan yang diputuskan, lampiran berita acara"

DDL: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS meetings (\n\tmeeting_id VARCHAR(36) NOT NULL, \n\tdesa_code VARCHAR(10) NOT NULL, "
    "\n\tperiod VARCHAR(7) NOT NULL, \n\tdate VARCHAR(10) NOT NULL, \n\tplace VARCHAR NOT NULL, "
    "\n\tchair VARCHAR NOT NULL, \n\tpresent INTEGER NOT NULL, \n\tref VARCHAR NOT NULL, "
    "\n\tminutes_sha256 VARCHAR(64), \n\tstate VARCHAR NOT NULL, \n\tcreated_at DATETIME NOT NULL, "
    "\n\tcreated_by VARCHAR NOT NULL, \n\tclosed_at DATETIME, \n\tPRIMARY KEY (meeting_id)\n)",
    "CREATE INDEX IF NOT EXISTS ix_meetings_period ON meetings (desa_code, period)",
    "CREATE TABLE IF NOT EXISTS meeting_items (\n\tmeeting_id VARCHAR(36) NOT NULL, \n\tproposal_id VARCHAR(36) NOT NULL, "
    "\n\tdecision VARCHAR NOT NULL, \n\tnote VARCHAR NOT NULL, \n\tdecided_at DATETIME, "
    "\n\tPRIMARY KEY (meeting_id, proposal_id)\n)",
    "CREATE INDEX IF NOT EXISTS ix_meeting_items_proposal ON meeting_items (proposal_id)",
    # The proposal carries the hash of the minutes that decided it (domain.records.ProposalPayload).
    "ALTER TABLE proposals ADD COLUMN musdesus_minutes_sha256 VARCHAR NOT NULL DEFAULT ''",
    "CREATE TABLE IF NOT EXISTS attachments (\n\tsha256 VARCHAR(64) NOT NULL, \n\tsize INTEGER NOT NULL, "
    "\n\tmedia_type VARCHAR NOT NULL, \n\tfilename VARCHAR NOT NULL, \n\tdata BLOB NOT NULL, "
    "\n\tcreated_at DATETIME NOT NULL, \n\tPRIMARY KEY (sha256)\n)",
)


def apply(conn: Connection) -> None:
    for stmt in DDL:
        conn.exec_driver_sql(stmt)
