"""Logging of a `bansos-server serve` process (and each of its worker processes).

The CLI's own `basicConfig(WARNING)` runs first for every command; `serve` must replace it, not
add to it (a second `basicConfig` is a no-op), or the application's INFO lines (bansos.server.*:
batch ids and counts, never NIK or names) are dropped. Worker processes started by `--workers N`
are fresh interpreters: they configure logging again when they build the app.
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure(level: str, *, replace: bool) -> None:
    """Root handler at `level`. `replace`: drop handlers set earlier (the CLI's); otherwise only
    configure a process whose root logger has no handler yet (a spawned worker)."""
    if not replace and logging.getLogger().handlers:
        return
    logging.basicConfig(level=level.upper(), format=FORMAT, force=True)
