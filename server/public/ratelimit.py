"""Per-address and per-NIK request limits in the database (srv_public_rate), so every worker process
of `serve --workers N` counts into the same rows. Keys are keyed hashes: no address or NIK is stored."""

from __future__ import annotations

import hashlib
import hmac
import random
import time
from dataclasses import dataclass

from sqlalchemy import Engine, case, delete, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.models import table_of
from server.public.models import PublicRate

_T = table_of(PublicRate)
_PURGE_AFTER = 86_400.0


def keyed_hash(secret: str, value: str, length: int = 32) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()[:length]


@dataclass(frozen=True)
class Limit:
    name: str  # "status-ip", "status-nik", "report-ip", "track-ip"
    max_hits: int
    window_seconds: float

    def allows(self, hits: int) -> bool:
        return hits <= self.max_hits


def hit(engine: Engine, limit: Limit, key_hash: str) -> int:
    """Count one request under `limit` for this key in one atomic upsert; return the window's count
    (over `limit.max_hits`: refuse). A refused request counts too, so hammering does not shorten the wait."""
    return hit_many(engine, [(limit, key_hash)])[0]


def hit_many(engine: Engine, hits: list[tuple[Limit, str]]) -> list[int]:
    """hit() for several limits in one transaction (one commit for the status check's two limits)."""
    now = time.time()
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    out = []
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # A counter lost in a crash costs nothing; waiting for the WAL flush on every check would
            # make the hot row of a shared address (a carrier's NAT) the bottleneck of the whole site.
            conn.execute(text("SET LOCAL synchronous_commit TO off"))
        for limit, key_hash in hits:
            expired = _T.c.window_start < now - limit.window_seconds
            upsert = insert(_T).values(key=f"{limit.name}:{key_hash}", hits=1, window_start=now)
            stmt = upsert.on_conflict_do_update(index_elements=[_T.c.key], set_={
                "hits": case((expired, 1), else_=_T.c.hits + 1),
                "window_start": case((expired, now), else_=_T.c.window_start),
            }).returning(_T.c.hits)
            out.append(int(conn.execute(stmt).scalar_one()))
        if random.random() < 0.01:  # housekeeping now and then
            conn.execute(delete(_T).where(_T.c.window_start < now - _PURGE_AFTER))
    return out
