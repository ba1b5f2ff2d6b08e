"""One sync run's exchange of citizens' reports (issue 16, stage 2): send the village's unsent
findings, then pull the desa's reports. Called by SyncEngine after the record pull."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy import Engine
from sqlmodel import Session

from local_db import citizen_reports as store
from local_db.repository import session_scope
from sync.client import Rejected, SyncClient

log = logging.getLogger("bansos.sync.reports")


def exchange(db: Engine, client: SyncClient, device_id: str,
             write: Callable[[], AbstractContextManager[Session]]) -> tuple[int, int]:
    """(findings sent, reports pulled). A finding the server refuses (409: already settled) is kept
    as sent so it does not block every later run; the pull shows the server's state."""
    with session_scope(db) as s:
        pending = store.unsent(s)
    sent = 0
    for r in pending:
        try:
            reply = client.post_report_outcome(r.ticket, r.finding_state, r.finding_note, r.proposal_id)
            server_state = str(reply.get("state", r.finding_state))
        except Rejected as e:
            if e.status not in (404, 409, 422):
                raise
            log.warning("report %s outcome refused (%s)", r.ticket, e.status)
            server_state = r.server_state
        with write() as s:
            store.mark_sent(s, r.ticket, r.finding_state, server_state)
        sent += 1
    pulled = 0
    while True:
        with session_scope(db) as s:
            since = store.cursor(s)
        try:
            page = client.get_reports(since, device_id)
        except Rejected as e:
            if e.status != 404:
                raise
            log.info("server has no citizens' reports route; skipped")  # a server before issue 16
            break
        with write() as s:
            pulled += store.store_pulled(s, page["items"])
        if not page.get("has_more") or int(page["next_cursor"]) <= since:
            break
    return sent, pulled
