"""Masking of identity numbers in anything printed or shown to the public (design.md §5, UU PDP).

The one rule (reference/domain-lists.md): the first 6 digits (the kecamatan), then asterisks, then
the last 4 (the serial): 190201******0001. It hides the birth date and sex a NIK encodes.
"""

from __future__ import annotations

from domain.idnumbers import normalize

KEEP_HEAD = 6
KEEP_TAIL = 4


def mask_id(raw: str) -> str:
    """'1902014905780001' -> '190201******0001'; anything that is not 16 digits is masked whole.

    A malformed number never leaks either: it is shown as asterisks of its own length (at least 4).
    """
    digits = normalize(raw or "")
    if len(digits) == 16 and digits.isdigit():
        return digits[:KEEP_HEAD] + "*" * (16 - KEEP_HEAD - KEEP_TAIL) + digits[-KEEP_TAIL:]
    return "*" * max(4, len(digits)) if digits else ""
