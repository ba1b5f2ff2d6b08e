"""The kecamatan review workspace (issue 6), attached to the main window (ui.main_window imports it).

`attach(window)` adds "Masuk sebagai peninjau…" to the Sinkronisasi menu and resumes a reviewer
session kept from an earlier run (ui.review.controller). The workspace (ui.review.workspace) hosts one
module per tab: inbox, proposals (with the decision bar), duplicates, dashboard.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject

from ui.review.controller import META_AREA, META_ROLE, META_URL, META_USER, NOT_FOR_OPERATORS, ReviewController

__all__ = ["META_AREA", "META_ROLE", "META_URL", "META_USER", "NOT_FOR_OPERATORS", "ReviewController", "attach"]

log = logging.getLogger(__name__)


def attach(window: Any) -> ReviewController:
    """Called once by the main window; a second call returns the same controller."""
    if isinstance(window, QObject):
        existing = window.findChild(ReviewController)
        if existing is not None:  # one login action and one workspace per window
            return existing
    ctl = ReviewController(window)
    try:
        ctl.resume()
    except Exception:  # a broken saved session must never stop the operator's window from opening
        log.exception("could not resume the review session")
    return ctl
