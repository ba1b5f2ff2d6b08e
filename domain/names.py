"""Indonesian personal-name normalisation for duplicate matching (never for display).

The key folds what varies between two writings of one name: titles, Muhammad variants, old
(pre-1972 Van Ophuijsen/Soewandi) spelling, doubled letters and compounds (Nur Hasanah /
Nurhasanah, Abdul Malik / Abdulmalik). Old spelling is folded only in a word that shows it (oe, dj,
tj, sj, nj, ch) or in a known old-spelled name (Jusuf, Jahja): a blanket j->y fold would also turn
every modern J (Jumiati) into a Y and bring it close to unrelated names (Yumiati, Sumiati).
The key is a matching key, not a spelling; the person matcher (domain.matching) compares keys.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

# Academic, religious and courtesy titles, compared without dots/commas.
TITLES = frozenset({
    "h", "hj", "kh", "ir", "dr", "drs", "dra", "prof", "ust", "ustadz", "ustadzah", "alm", "almh",
    "ny", "nn", "tn", "sdr", "sdri", "bpk", "bapak", "ibu",
    "spd", "spdi", "sag", "se", "sh", "skom", "st", "sip", "ssos", "ssi", "skm", "sked", "ssit", "stp",
    "sp", "shi", "sei", "sthi", "sikom", "sfarm", "sgz", "skep", "ners", "amd", "amdkeb", "amdkep", "apt",
    "mpd", "mm", "msi", "mt", "mh", "mag", "mkes", "mkom", "mba", "phd", "bsc",
    # Diploma titles: A.Ma., A.Ma.Pd., A.Md., A.Md.Keb., A.Md.Kep., A.Md.Kom.
    "ama", "amapd", "amak", "amdkom", "amdak", "amdgz", "amdfarm", "amkeb", "amkep",
})
# Old spellings where j is the modern y and no other old-spelling letter shows it.
OLD_J_NAMES = {
    "jusuf": "yusuf", "jahja": "yahya", "jahya": "yahya", "jakub": "yakub", "jasin": "yasin", "junus": "yunus",
    "jani": "yani", "jatim": "yatim", "jasmin": "yasmin", "jusup": "yusup", "junita": "yunita",
}
# A first part that forms one name with the next word: Nur Hasanah = Nurhasanah.
COMPOUND_HEADS = frozenset({"nur", "nurul", "abdul", "abdur", "abdus"})
_OLD_MARKS = ("oe", "dj", "tj", "sj", "nj", "ch")
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
    if token in OLD_J_NAMES:
        return OLD_J_NAMES[token]
    if any(m in token for m in _OLD_MARKS):
        # An old-spelled word: its plain j is the modern y (Soejono = Suyono), its dj the modern j.
        # "J" holds the modern j while the old j turns into y.
        t = token.replace("oe", "u").replace("dj", "J").replace("tj", "c").replace("sj", "sy").replace("nj", "ny")
        t = t.replace("ch", "kh").replace("j", "y").replace("J", "j")
    else:
        t = token
    t = _DOUBLE.sub(r"\1", t)
    return OLD_J_NAMES.get(t, t)


def name_key(name: str) -> str:
    """The normalised matching key: 'Hj. Siti Aminah, S.Pd.' -> 'siti aminah'."""
    name = name or ""
    # NFKD leaves pure ASCII unchanged: skip the round trip for the common case.
    text = (name if name.isascii() else unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()).lower()
    # After the first comma come degrees ("Siti Aminah, S.Pd., M.Pd."): a word there with a dot or of
    # at most 4 letters is a title even when it is not in the list or was mistyped ("S..").
    head, comma, tail = text.partition(",")
    raw_tokens = [t for t in _SPLIT.split(head) if t]
    if comma:
        raw_tokens += [t for t in _SPLIT.split(tail) if t and "." not in t and len(_NON_ALPHA.sub("", t)) > 4]
    tokens: list[str] = []
    for i, raw in enumerate(raw_tokens):
        bare = raw if raw.isascii() and raw.isalpha() else _NON_ALPHA.sub("", raw)  # plain a-z: nothing to strip
        if not bare or bare in TITLES:
            continue
        # A lone "M." before another name is Muhammad; "M" alone as the whole name is not.
        if bare in MUHAMMAD or (bare == "m" and i < len(raw_tokens) - 1) or _mistyped_muhammad(bare):
            tokens.append("muhamad")
            continue
        if bare == "abd":
            bare = "abdul"
        tokens.append(_fold_spelling(bare))
    return " ".join(_join_compounds(tokens))


@lru_cache(maxsize=65536)
def _mistyped_muhammad(word: str) -> bool:
    """Muhamamd, Mohamnmad: one typo away from a full spelling of Muhammad."""
    return (len(word) >= 7 and word[0] == "m"
            and any(OSA.distance(word, m, score_cutoff=1) <= 1 for m in ("muhammad", "mohammad", "muhamad", "mohamad")))


def _join_compounds(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t in COMPOUND_HEADS and i + 1 < len(tokens):
            out.append(t + tokens[i + 1])
            i += 2
            continue
        out.append(t)
        i += 1
    return out


def _scorer(a: str, b: str, *, processor: object = None, score_cutoff: float | None = None) -> float:
    # Word order is ignored (token_sort_ratio), but a typo must not turn into a reordering: "ratna
    # rhayu" sorts after "rahayu ratna" and scores 52 sorted, 95 as written.
    s = max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))
    return s if score_cutoff is None or s >= score_cutoff else 0.0


def similarity(key_a: str, key_b: str) -> float:
    """0-100: how alike two name keys are, word order ignored, a typo not taken for a reordering."""
    if not key_a or not key_b:
        return 0.0
    return float(_scorer(key_a, key_b))


# At or above this score, same birth date + similar name = "probably the same person".
PROBABLE_PERSON_THRESHOLD = 85.0


def close_keys(key: str, candidates: Sequence[str], threshold: float = PROBABLE_PERSON_THRESHOLD) -> list[tuple[int, float]]:
    """(index, score) of the candidate keys at least `threshold` alike to `key` (same scorer as
    `similarity`, run in C over the whole block)."""
    if not key or not candidates:
        return []
    hits = process.extract(key, candidates, scorer=_scorer, score_cutoff=threshold, limit=None)
    return [(int(idx), float(score)) for _choice, score, idx in hits]


def close_pairs(keys: Sequence[str], threshold: float = PROBABLE_PERSON_THRESHOLD) -> list[tuple[int, int, float]]:
    """(i, j, score) with i < j for every pair of keys at least `threshold` alike (one block)."""
    out: list[tuple[int, int, float]] = []
    for i in range(len(keys) - 1):
        for j, score in close_keys(keys[i], keys[i + 1:], threshold):
            out.append((i, i + 1 + j, score))
    return out
