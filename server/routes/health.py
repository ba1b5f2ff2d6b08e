"""GET /api/v1/health: liveness plus a database round trip."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from sqlalchemy import text

from domain.version import __version__
from server.deps import SessionDep
from sync.protocol import PROTOCOL_VERSION, HealthResponse

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthResponse)
def health(session: SessionDep) -> HealthResponse:
    session.execute(text("SELECT 1"))
    return HealthResponse(status="ok", version=__version__, server_time=datetime.now(UTC), protocol=PROTOCOL_VERSION)
