"""The public audit: one row per write from the public pages, without NIK, KK or names."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from server.public.models import PublicAudit


def record(session: Session, action: str, *, ticket: str = "", desa_code: str = "", client: str = "",
           **detail: Any) -> None:
    """Add the row to the caller's transaction (it commits with the write it describes)."""
    session.add(PublicAudit(at=datetime.now(UTC), action=action, ticket=ticket, desa_code=desa_code,
                            client=client[:16], detail=json.dumps(detail, sort_keys=True, default=str)))
