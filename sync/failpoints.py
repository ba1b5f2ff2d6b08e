"""Client failpoints for fault tests: kill the client process at a named step of a sync.

Active only when BANSOS_CLIENT_FAILPOINTS is set, e.g.
BANSOS_CLIENT_FAILPOINTS="batch_saved=exit" or "pull_page_fetched=exit@2" (the 2nd time).
`exit` is os._exit(86): no cleanup, no rollback beyond what SQLite does for an uncommitted
transaction, which is what a killed process or a power cut leaves behind.
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)
ENV = "BANSOS_CLIENT_FAILPOINTS"
EXIT_CODE = 86

# The steps of a sync run, in order (tests iterate over these).
STEPS: tuple[str, ...] = (
    "batch_saved",  # batch row + UPLOADING committed, nothing sent yet
    "batch_sent",  # the server answered, results not applied
    "results_applied",  # results committed, before the next batch
    "pull_page_fetched",  # a page arrived, not applied
    "pull_page_applied",  # page + cursor committed, before the next page
)
_hits: dict[str, int] = {}


def hit(name: str) -> None:
    raw = os.environ.get(ENV)
    if not raw:
        return
    for part in raw.split(","):
        point, _, action = part.strip().partition("=")
        if point != name:
            continue
        action, _, nth = (action or "exit").partition("@")
        _hits[name] = _hits.get(name, 0) + 1
        if nth and _hits[name] != int(nth):
            return
        if action == "exit":
            log.warning("client failpoint %s: exit", name)
            logging.shutdown()
            os._exit(EXIT_CODE)
