from __future__ import annotations

import pytest

from sync.batching import ENVELOPE_BYTES, BatchCap, split_sizes, take_batch
from sync.protocol import MAX_OPS_PER_BATCH


def test_batches_respect_the_op_cap() -> None:
    assert split_sizes([100] * 25, BatchCap(max_ops=10)) == [10, 10, 5]


def test_batches_respect_the_byte_cap() -> None:
    cap = BatchCap(max_ops=1000, max_bytes=ENVELOPE_BYTES + 1010)
    # Each op costs its size plus one comma: two 500-byte ops fit, a third does not.
    assert split_sizes([500] * 5, cap) == [2, 2, 1]


def test_an_oversized_op_still_goes_alone_instead_of_blocking_the_queue() -> None:
    cap = BatchCap(max_ops=10, max_bytes=ENVELOPE_BYTES + 100)
    assert take_batch([("big", 10_000), ("small", 10)], cap) == ["big"]


def test_order_is_kept() -> None:
    assert take_batch([(i, 1) for i in range(5)], BatchCap(max_ops=3)) == [0, 1, 2]


@pytest.mark.parametrize("kw", [{"max_ops": 0}, {"max_ops": MAX_OPS_PER_BATCH + 1}, {"max_bytes": 10}])
def test_caps_outside_the_server_limits_are_refused(kw: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        BatchCap(**kw)
