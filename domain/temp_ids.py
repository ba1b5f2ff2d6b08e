"""Temporary identifiers for a person with no NIK yet (a newborn, a person without papers).

A temporary id is "TMP-" + 12 hex digits: letters and a dash, so it can never pass as a NIK
(idnumbers.parse_nik refuses it by name), and random, so two villages never make the same one.
When the NIK arrives, `replace_with_nik` swaps it in and keeps the old id in the member's history.
"""

from __future__ import annotations

import re
import uuid

PREFIX = "TMP-"
_TEMP = re.compile(r"TMP-[0-9A-F]{12}")


def new_temp_id() -> str:
    return PREFIX + uuid.uuid4().hex[:12].upper()


def looks_temporary(text: str | None) -> bool:
    """True for anything written like a temporary id (even a mistyped one): never a NIK."""
    return (text or "").strip().upper().startswith(PREFIX)


def is_temp_id(text: str | None) -> bool:
    """True for a well-formed temporary id."""
    return bool(_TEMP.fullmatch((text or "").strip().upper()))


def normalise(text: str) -> str:
    return text.strip().upper()
