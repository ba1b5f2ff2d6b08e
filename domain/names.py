"""Indonesian personal-name normalisation for duplicate matching (never for display).

The key folds what varies between two writings of one name: titles, Muhammad variants, old
(pre-1972 Van Ophuijsen/Soewandi) spelling and doubled letters. Both old `dj` and `j` fold to the
same letter as `y`, so Djoko/Joko and Jusuf/Yusuf meet; the key is a blocking key, not a spelling.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process

# Academic, religious and courtesy titles, compared without dots/commas.
TITLES = frozenset({
    "h", "hj", "kh", "ir", "dr", "drs", "dra", "prof", "ust", "ustadz", "ustadzah", "alm", "almh",
    "ny", "nn", "tn", "sdr", "sdri", "bpk", "bapak", "ibu",
    "spd", "spdi", "sag", "se", "sh", "skom", "st", "sip", "ssos", "ssi", "skm", "sked", "ssit", "stp",
    "sp", "shi", "sei", "sthi", "sikom", "sfarm", "sgz", "skep", "ners", "amd", "amdkeb", "amdkep", "apt",
    "mpd", "mm", "msi", "mt", "mh", "mag", "mkes", "mkom", "mba", "phd", "bsc",
})
MUHAMMAD = frozenset({
    "muhammad", "muhamad", "mohammad", "mohamad", "mohammed", "mohamed", "muhammed", "mochammad",
    "mochamad", "mokhammad", "mokhamad", "muchammad", "muchamad", "moh", "muh", "mhd", "moch", "much",
})
_SPLIT = re.compile(r"[\s,]+")
_NON_ALPHA = re.compile(r"[^a-z]")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def _fold_spelling(token: str) -> str:
    # Cached: a batch repeats the same name words (siti, muhamad, ...) thousands of times.
    # Order matters: dj before j->y, tj before j->y, and oe before anything that could create it.
    t = token.replace("oe", "u").replace("dj", "j").replace("tj", "c").replace("ch", "kh")
    t = t.replace("j", "y")
    return _DOUBLE.sub(r"\1", t)


def name_key(name: str) -> str:
    """The normalised matching key: 'Hj. Siti Aminah, S.Pd.' -> 'siti aminah'."""
    name = name or ""
    # NFKD leaves pure ASCII unchanged: skip the round trip for the common case.
    text = (name if name.isascii() else unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()).lower()
    raw_tokens = [t for t in _SPLIT.split(text) if t]
    tokens: list[str] = []
    for i, raw in enumerate(raw_tokens):
        bare = raw if raw.isascii() and raw.isalpha() else _NON_ALPHA.sub("", raw)  # plain a-z: nothing to strip
        if not bare or bare in TITLES:
            continue
        # A lone "M." before another name is Muhammad; "M" alone as the whole name is not.
        if bare in MUHAMMAD or (bare == "m" and i < len(raw_tokens) - 1):
            tokens.append("muhamad")
            continue
        tokens.append(_fold_spelling(bare))
    return " ".join(tokens)


def similarity(key_a: str, key_b: str) -> float:
    """0-100: how alike two name keys are, word order ignored."""
    if not key_a or not key_b:
        return 0.0
    return float(fuzz.token_sort_ratio(key_a, key_b))


# At or above this score, same birth date + similar name = "probably the same person".
PROBABLE_PERSON_THRESHOLD = 85.0


def close_keys(key: str, candidates: Sequence[str], threshold: float = PROBABLE_PERSON_THRESHOLD) -> list[tuple[int, float]]:
    """(index, score) of the candidate keys at least `threshold` alike to `key` (same scorer as
    `similarity`, run in C over the whole block)."""
    if not key or not candidates:
        return []
    hits = process.extract(key, candidates, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, limit=None)
    return [(int(idx), float(score)) for _choice, score, idx in hits]


def close_pairs(keys: Sequence[str], threshold: float = PROBABLE_PERSON_THRESHOLD) -> list[tuple[int, int, float]]:
    """(i, j, score) with i < j for every pair of keys at least `threshold` alike (one block)."""
    out: list[tuple[int, int, float]] = []
    for i in range(len(keys) - 1):
        for j, score in close_keys(keys[i], keys[i + 1:], threshold):
            out.append((i, i + 1 + j, score))
    return out
