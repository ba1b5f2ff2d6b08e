"""Notices writes to the store made by any other connection: the CLI (`bansos import`) into the store
the window has open, a second app, the app's own background writers. SQLite's PRAGMA data_version on
a connection of its own changes whenever another connection commits, and costs no lock wait.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine

from local_db import cipher
from local_db.engine import db_path_of, key_of


class StoreWatch:
    def __init__(self, engine: Engine) -> None:
        self._conn: Any = cipher.connect(db_path_of(engine), key_of(engine), check_same_thread=False, timeout=1.0)
        self._lock = threading.Lock()
        self._last = self._version()

    def _version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """True once per batch of commits by other connections since the last call."""
        with self._lock:
            v = self._version()
            if v == self._last:
                return False
            self._last = v
            return True

    def close(self) -> None:
        with self._lock:
            self._conn.close()
