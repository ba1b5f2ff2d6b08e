"""Candidate pairs in memory (a file being cleaned): who is compared with whom.

Two records are compared when they share a birth date (typed or encoded in the NIK, either side)
or when their NIKs are one digit or one neighbour swap apart. Within a birth-date block, names are
screened in C (rapidfuzz) first, so that a block of thousands (1 January of an old register) costs
little; the pairs that pass are scored by scorer.compare.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence

from rapidfuzz import fuzz, process

from domain.matching.record import Prepared
from domain.matching.scorer import Match, compare
from domain.matching.stats import CounterStats, NameStats

# Loose on purpose: the screen only spares the scorer pairs whose names share almost nothing.
SCREEN_RATIO = 60.0
SCREEN_TOKEN_SET = 80.0
_BIG_BLOCK = 12


def _screen_pairs(block: list[int], items: Sequence[Prepared]) -> Iterator[tuple[int, int]]:
    if len(block) <= _BIG_BLOCK:
        for x in range(len(block) - 1):
            a = items[block[x]]
            for y in range(x + 1, len(block)):
                b = items[block[y]]
                if names_pass(a, b):
                    yield block[x], block[y]
        return
    joined = [items[i].joined for i in block]
    keys = [items[i].key for i in block]
    for x in range(len(block) - 1):
        if not joined[x]:
            continue
        hits = {y for _c, _s, y in process.extract(joined[x], joined[x + 1:], scorer=fuzz.ratio,
                                                   score_cutoff=SCREEN_RATIO, limit=None)}
        hits.update(y for _c, _s, y in process.extract(keys[x], keys[x + 1:], scorer=fuzz.token_set_ratio,
                                                       score_cutoff=SCREEN_TOKEN_SET, limit=None))
        for y in hits:
            if joined[x + 1 + y]:
                yield block[x], block[x + 1 + y]


def names_pass(a: Prepared, b: Prepared) -> bool:
    """The name screen of blocking: worth scoring at all?"""
    if not a.joined or not b.joined:
        return False
    return (fuzz.ratio(a.joined, b.joined, score_cutoff=SCREEN_RATIO) > 0
            or fuzz.token_set_ratio(a.key, b.key, score_cutoff=SCREEN_TOKEN_SET) > 0)


def candidate_pairs(items: Sequence[Prepared]) -> set[tuple[int, int]]:
    """(i, j), i < j: pairs sharing a birth date whose names pass the screen, and pairs whose NIKs
    are equal, one digit or one swap apart."""
    pairs: set[tuple[int, int]] = set()
    by_date: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for i, p in enumerate(items):
        for d in set(p.dates):
            by_date[d].append(i)
    for block in by_date.values():
        if len(block) > 1:
            pairs.update(_screen_pairs(block, items))
    niks = [(i, p.nik) for i, p in enumerate(items) if p.nik]
    # One position at a time keeps one dict in memory, not 31 per record.
    for pos in range(16):
        seen: dict[str, list[int]] = defaultdict(list)
        for i, nik in niks:
            seen[nik[:pos] + nik[pos + 1:]].append(i)
        for group in seen.values():
            if len(group) > 1:
                pairs.update((group[x], group[y]) for x in range(len(group)) for y in range(x + 1, len(group)))
    for pos in range(15):
        seen = defaultdict(list)
        for i, nik in niks:
            if nik[pos] != nik[pos + 1]:
                seen[nik[:pos] + "".join(sorted(nik[pos:pos + 2])) + nik[pos + 2:]].append(i)
        for group in seen.values():
            if len(group) > 1:
                pairs.update((group[x], group[y]) for x in range(len(group)) for y in range(x + 1, len(group)))
    return pairs


def stats_of(items: Sequence[Prepared]) -> CounterStats:
    return CounterStats((p.key for p in items), (p.rec.birth_date for p in items))


def match_all(items: Sequence[Prepared], *, stats: NameStats | None = None, found_only: bool = True,
              progress: Callable[[int, int], None] | None = None) -> list[tuple[int, int, Match]]:
    """Every candidate pair scored; by default only the pairs the matcher calls same or probable."""
    stats = stats if stats is not None else stats_of(items)
    pairs = sorted(candidate_pairs(items))
    out: list[tuple[int, int, Match]] = []
    for n, (i, j) in enumerate(pairs):
        m = compare(items[i], items[j], stats)
        if m.found or not found_only:
            out.append((i, j, m))
        if progress is not None and n % 20000 == 0:
            progress(n, len(pairs))
    return out
