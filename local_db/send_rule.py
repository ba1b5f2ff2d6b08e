"""Which waiting ops may go out: "only proposals agreed by the Musdesus are sent" (issue 15).

Where the desa requires a Musdesus (store setting `musdesus_required` = "1"), a proposal op is held
back while its proposal, as stored now, has no agreed decision and the server does not have it yet.
Households and members go out as always. The rule reads the record's current state, not the op's
payload: once a proposal is agreed, all its waiting ops go out in save order (the server receives
its versions in order), and a proposal the server already has is never held (later edits, deletion).

A held op is filtered out in SQL, so it never blocks ops of other records (each record's ops still go
in save order). Absent setting = not required: stores migrated from the entry model and test stores;
provisioning a new village turns it on (desktop_app.provisioning).
"""

from __future__ import annotations

from sqlmodel import Session

from domain.proposal_codes import MusdesusDecision

META_MUSDESUS_REQUIRED = "musdesus_required"

# True for an outbox row `o` held back under the rule.
HELD_SQL = (f"(o.record_type = 'proposal' AND EXISTS (SELECT 1 FROM proposals hp WHERE hp.record_id = o.record_id "
            f"AND hp.server_version IS NULL AND hp.musdesus_decision != '{MusdesusDecision.AGREED.value}'))")


def musdesus_required(s: Session) -> bool:
    row = s.connection().exec_driver_sql("SELECT value FROM meta WHERE key = ?", (META_MUSDESUS_REQUIRED,)).first()
    return row is not None and row[0] == "1"


def sendable_filter(s: Session) -> str:
    """An SQL condition on outbox row `o` (prefix " AND "), or "" when every op may go."""
    return f" AND NOT {HELD_SQL}" if musdesus_required(s) else ""


def held_count(s: Session) -> int:
    """Proposals whose ops the rule holds back (0 when it is off): "N usulan menunggu Musdesus"."""
    if not musdesus_required(s):
        return 0
    return int(s.connection().exec_driver_sql(f"SELECT count(DISTINCT o.record_id) FROM outbox o WHERE {HELD_SQL}").scalar_one())
