from __future__ import annotations

import pytest

from sync.backoff import Backoff


def test_delays_grow_exponentially_up_to_the_cap_with_full_jitter() -> None:
    b = Backoff(base=1, factor=2, cap=10, rand=lambda: 1.0)  # the top of each jitter range
    assert [b.next_delay() for _ in range(6)] == [1, 2, 4, 8, 10, 10]
    low = Backoff(base=1, factor=2, cap=10, rand=lambda: 0.0)
    assert [low.next_delay() for _ in range(3)] == [0, 0, 0]  # full jitter can retry at once


def test_min_delay_and_reset() -> None:
    b = Backoff(base=2, cap=60, min_delay=1, rand=lambda: 0.0)
    assert b.next_delay() == 1 and b.next_delay() == 1
    assert b.attempts == 2
    b.reset()
    assert b.attempts == 0 and b.ceiling() == 2


def test_jitter_spreads_clients_that_failed_together() -> None:
    import random

    rng = random.Random(5)
    delays = {round(Backoff(base=1, cap=60, rand=rng.random).next_delay(), 3) for _ in range(50)}
    assert len(delays) > 40


@pytest.mark.parametrize("kw", [{"base": 0}, {"factor": 0.5}, {"base": 10, "cap": 5}])
def test_bad_settings_are_refused(kw: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Backoff(**kw)
