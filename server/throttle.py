"""Login throttling: after N failures for one username from one address, refuse for a while.

In memory, per server process: a restart clears it, which is acceptable for a brute-force brake.
"""

from __future__ import annotations

import threading
import time


class LoginThrottle:
    def __init__(self, max_failures: int, lockout_seconds: float) -> None:
        self.max_failures = max_failures
        self.lockout_seconds = lockout_seconds
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, username: str, ip: str) -> int:
        """Seconds to wait, or 0 when a login may be tried."""
        now = time.monotonic()
        with self._lock:
            times = [t for t in self._failures.get((username.lower(), ip), []) if now - t < self.lockout_seconds]
            self._failures[(username.lower(), ip)] = times
            if len(times) >= self.max_failures:
                return max(1, int(self.lockout_seconds - (now - times[0])))
        return 0

    def failed(self, username: str, ip: str) -> None:
        with self._lock:
            self._failures.setdefault((username.lower(), ip), []).append(time.monotonic())

    def succeeded(self, username: str, ip: str) -> None:
        with self._lock:
            self._failures.pop((username.lower(), ip), None)
