"""Failpoints for fault tests. Active only when BANSOS_FAILPOINTS is set and the environment is
not production, e.g. BANSOS_FAILPOINTS="ingest_before_commit=exit,ingest_after_commit=exit".

Actions: `exit` (os._exit(1): a crash with no cleanup), `sleep:<seconds>`.
"""

from __future__ import annotations

import logging
import os
import time

log = logging.getLogger("bansos.server.failpoints")
_ENV = "BANSOS_FAILPOINTS"


def _points() -> dict[str, str]:
    raw = os.environ.get(_ENV, "")
    if not raw or os.environ.get("BANSOS_ENVIRONMENT", "development") == "production":
        return {}
    out: dict[str, str] = {}
    for part in raw.split(","):
        name, _, action = part.strip().partition("=")
        if name:
            out[name] = action or "exit"
    return out


def hit(name: str) -> None:
    action = _points().get(name)
    if not action:
        return
    log.warning("failpoint %s: %s", name, action)
    if action == "exit":
        logging.shutdown()
        os._exit(1)
    if action.startswith("sleep:"):
        time.sleep(float(action.split(":", 1)[1]))
