"""Cutting the outbox into batches under a size cap.

A batch must stay under the server's limits (sync.protocol: MAX_OPS_PER_BATCH ops,
MAX_BODY_BYTES decompressed). A smaller cap also bounds how much is resent after a cut
connection on a slow village line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sync.protocol import MAX_BODY_BYTES, MAX_OPS_PER_BATCH

T = TypeVar("T")

DEFAULT_MAX_OPS = 1000
DEFAULT_MAX_BYTES = 2 * 1024 * 1024  # uncompressed JSON; well under the server's limit
ENVELOPE_BYTES = 512  # device_id, manifest, brackets


@dataclass(frozen=True, slots=True)
class BatchCap:
    max_ops: int = DEFAULT_MAX_OPS
    max_bytes: int = DEFAULT_MAX_BYTES

    def __post_init__(self) -> None:
        if not 1 <= self.max_ops <= MAX_OPS_PER_BATCH:
            raise ValueError(f"max_ops must be 1..{MAX_OPS_PER_BATCH}")
        if not ENVELOPE_BYTES < self.max_bytes <= MAX_BODY_BYTES:
            raise ValueError(f"max_bytes must be {ENVELOPE_BYTES + 1}..{MAX_BODY_BYTES}")


def take_batch(items: Iterable[tuple[T, int]], cap: BatchCap) -> list[T]:
    """The longest prefix of (item, encoded size) pairs that fits the cap.

    The first item is always taken, even if oversized on its own: the server then judges it
    (and refuses it with a message) instead of it blocking the queue forever.
    """
    out: list[T] = []
    used = ENVELOPE_BYTES
    for item, size in items:
        if out and (len(out) >= cap.max_ops or used + size + 1 > cap.max_bytes):
            break
        out.append(item)
        used += size + 1  # the comma between ops
    return out


def split_sizes(sizes: Sequence[int], cap: BatchCap) -> list[int]:
    """How many items each successive batch would take (for progress estimates and tests)."""
    counts: list[int] = []
    i = 0
    while i < len(sizes):
        n = len(take_batch(((j, sizes[j]) for j in range(i, len(sizes))), cap))
        counts.append(n)
        i += n
    return counts
