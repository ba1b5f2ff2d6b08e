"""Login throttling: after N failures for one username from one address, refuse for a while.

The counters live in the database (srv_login_failure), so every worker process of `serve --workers N`
sees the same count, and a restart does not clear a lockout. The address is the TCP peer; uvicorn
rewrites it from X-Forwarded-For only for the proxies named in BANSOS_TRUSTED_PROXIES (server.cli),
so a client cannot pick a fresh address per attempt by sending the header itself.
"""

from __future__ import annotations

import random
import time

from sqlalchemy import Engine, case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.models import LoginFailure, table_of

_T = table_of(LoginFailure)
_PURGE_AFTER = 86_400.0  # rows of windows that ended a day ago are only clutter


def _key(username: str, ip: str) -> str:
    return f"{username.strip().lower()[:100]} {ip[:90]}"


class LoginThrottle:
    def __init__(self, max_failures: int, lockout_seconds: float) -> None:
        self.max_failures = max_failures
        self.lockout_seconds = lockout_seconds

    def retry_after(self, engine: Engine, username: str, ip: str) -> int:
        """Seconds to wait, or 0 when a login may be tried."""
        now = time.time()
        with engine.connect() as conn:
            row = conn.execute(select(_T.c.failures, _T.c.window_start).where(_T.c.key == _key(username, ip))).first()
        if row is None or row.failures < self.max_failures:
            return 0
        left = self.lockout_seconds - (now - row.window_start)
        return max(1, int(left)) if left > 0 else 0

    def failed(self, engine: Engine, username: str, ip: str) -> None:
        """Count a failure in one atomic upsert: concurrent workers never lose a count."""
        now = time.time()
        expired = _T.c.window_start < now - self.lockout_seconds
        insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
        stmt = insert(_T).values(key=_key(username, ip), failures=1, window_start=now)
        stmt = stmt.on_conflict_do_update(index_elements=[_T.c.key], set_={
            "failures": case((expired, 1), else_=_T.c.failures + 1),
            "window_start": case((expired, now), else_=_T.c.window_start),
        })
        with engine.begin() as conn:
            conn.execute(stmt)
            if random.random() < 0.01:  # housekeeping now and then, not on every failure
                conn.execute(delete(_T).where(_T.c.window_start < now - self.lockout_seconds - _PURGE_AFTER))

    def succeeded(self, engine: Engine, username: str, ip: str) -> None:
        with engine.begin() as conn:
            conn.execute(delete(_T).where(_T.c.key == _key(username, ip)))
