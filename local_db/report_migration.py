"""Local store step for citizens' reports (issue 16, stage 2), kept apart so that it can be renumbered.

`citizen_reports`: the desa's reports pulled from the server (GET /api/v1/sync/reports) and the
village's finding on each. `finding_state`/`finding_note`/`proposal_id` are the village's own and
survive a later pull; `outcome_sent` is 0 until the server has taken the finding. Meant as step 6,
after r2-musdesus's step 5 (it touches no table of that step, so the order between them is free).
"""

from __future__ import annotations

from sqlalchemy import Connection

STEP_DESCRIPTION = "laporan warga (usul dan sanggah) dari server"


def apply(conn: Connection) -> None:
    conn.exec_driver_sql("""
        CREATE TABLE IF NOT EXISTS citizen_reports (
            ticket TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            server_state TEXT NOT NULL,
            server_seq INTEGER NOT NULL,
            nik TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL DEFAULT '',
            desa_code TEXT NOT NULL,
            address TEXT NOT NULL DEFAULT '',
            reason_code TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            announcement_ref TEXT NOT NULL DEFAULT '',
            reporter_name TEXT NOT NULL DEFAULT '',
            reporter_phone TEXT NOT NULL DEFAULT '',
            photos INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT '',
            finding_state TEXT NOT NULL DEFAULT '',
            finding_note TEXT NOT NULL DEFAULT '',
            proposal_id TEXT NOT NULL DEFAULT '',
            outcome_sent INTEGER NOT NULL DEFAULT 1,
            updated_at TEXT NOT NULL DEFAULT ''
        )""")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_citizen_reports_unsent ON citizen_reports (outcome_sent)")
