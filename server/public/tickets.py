"""Ticket codes: the citizen's only handle on a report, so unguessable (50 random bits) and easy to
read out over a phone (no 0/O, 1/I/L)."""

from __future__ import annotations

import re
import secrets

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_GROUPS = 2
_GROUP_LEN = 5
PREFIX = {"usul": "U", "sanggah": "S"}
_PATTERN = re.compile(r"^[US]-[" + _ALPHABET + r"]{5}-[" + _ALPHABET + r"]{5}$")


def new_ticket(kind: str) -> str:
    groups = ["".join(secrets.choice(_ALPHABET) for _ in range(_GROUP_LEN)) for _ in range(_GROUPS)]
    return f"{PREFIX[kind]}-" + "-".join(groups)


def normalize(raw: str) -> str | None:
    """What the citizen typed -> the stored form ('u ab2cd efghj' -> 'U-AB2CD-EFGHJ'), or None."""
    compact = re.sub(r"[\s\-]+", "", (raw or "").upper())
    if len(compact) != 1 + _GROUPS * _GROUP_LEN:
        return None
    code = f"{compact[0]}-{compact[1:6]}-{compact[6:]}"
    return code if _PATTERN.match(code) else None
