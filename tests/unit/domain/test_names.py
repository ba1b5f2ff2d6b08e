"""Name keys for duplicate matching, with real Indonesian variant spellings."""

from __future__ import annotations

import pytest

from domain.names import PROBABLE_PERSON_THRESHOLD, close_keys, close_pairs, name_key, similarity


@pytest.mark.parametrize(("a", "b"), [
    ("Soekarno", "Sukarno"),
    ("Soeharto", "Suharto"),
    ("Djoko Susilo", "Joko Susilo"),
    ("Tjahjo Kumolo", "Cahyo Kumolo"),
    ("Jusuf Kalla", "Yusuf Kalla"),
    ("Mohammad Hatta", "Muhamad Hatta"),
    ("Mohammad Hatta", "M. Hatta"),
    ("Muhammad Hatta", "Moh. Hatta"),
    ("Mochammad Hatta", "Muh. Hatta"),
    ("Hj. Siti Aminah", "Siti Aminah"),
    ("Siti Aminah, S.Pd.", "siti aminah"),
    ("Ir. H. Djoko Widodo, S.H., M.M.", "Joko Widodo"),
    ("Dr. Achmad", "Dr Akhmad"),  # ch -> kh
    ("Hassan", "Hasan"),  # doubled letters
    ("Abdullah", "Abdulah"),
    ("SITI   AMINAH", "Siti Aminah"),
    ("Siti Aminah", "Sití Amínah"),  # accents folded
])
def test_variant_spellings_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)
    assert similarity(name_key(a), name_key(b)) == 100.0


def test_key_examples() -> None:
    assert name_key("Hj. Siti Aminah, S.Pd.") == "siti aminah"
    assert name_key("Moch. Tjahjo Koemolo") == "muhamad cahyo kumolo"
    assert name_key("") == ""
    assert name_key("H.") == ""  # only a title


def test_a_lone_m_is_not_muhammad() -> None:
    assert name_key("M") == "m"
    assert name_key("M. Ali") == "muhamad ali"


def test_word_order_does_not_matter() -> None:
    assert similarity(name_key("Siti Aminah"), name_key("Aminah Siti")) == 100.0


@pytest.mark.parametrize(("a", "b"), [
    ("Siti Aminah", "Siti Amina"),
    ("Ahmad Dahlan", "Achmad Dachlan"),
    ("Nur Hidayat", "Nur Hidayah"),
])
def test_typos_score_above_the_threshold(a: str, b: str) -> None:
    assert similarity(name_key(a), name_key(b)) >= PROBABLE_PERSON_THRESHOLD


@pytest.mark.parametrize(("a", "b"), [
    ("Budi Santoso", "Siti Aminah"),
    ("Agus Salim", "Agus Santoso"),
    ("Siti Aminah", "Siti Aisyah"),
    ("Dewi Lestari", "Dewi Lestari Putri Wulandari"),
])
def test_different_people_score_below_the_threshold(a: str, b: str) -> None:
    assert similarity(name_key(a), name_key(b)) < PROBABLE_PERSON_THRESHOLD


def test_empty_keys_never_match() -> None:
    assert similarity("", "siti") == 0.0
    assert similarity("", "") == 0.0
    assert close_keys("", ["", "siti"]) == []


def test_close_keys_and_pairs_use_the_same_score() -> None:
    keys = [name_key(n) for n in ("Siti Aminah", "Budi Santoso", "Hj. Siti Amina", "Aminah Siti")]
    hits = dict(close_keys(name_key("Siti Aminah"), keys))
    assert set(hits) == {0, 2, 3}
    assert hits[2] == pytest.approx(similarity(keys[0], keys[2]))
    pairs = {(i, j) for i, j, _ in close_pairs(keys)}
    assert pairs == {(0, 2), (0, 3), (2, 3)}


# ---- issue 14: the faults of the earlier keys


@pytest.mark.parametrize(("a", "b"), [
    ("Nur Hasanah", "Nurhasanah"),
    ("Abdul Malik", "Abdulmalik"),
    ("Abd. Malik", "Abdul Malik"),
    ("Siti Aminah, A.Ma.", "Siti Aminah"),
    ("Siti Aminah, A.Ma.Pd.", "Siti Aminah"),
    ("Budi Santoso, A.Md.Kom.", "Budi Santoso"),
    ("Hasan, S..", "Hasan"),  # a mistyped degree after the comma
    ("Soejono", "Suyono"),  # old j in an old-spelled word is the modern y
    ("Soedjono", "Sujono"),  # ... and old dj the modern j
    ("Sjamsul", "Syamsul"),
    ("Njoman", "Nyoman"),
    ("Muhamamd Iqbal", "Muhammad Iqbal"),  # a mistyped Muhammad is still Muhammad
])
def test_issue_14_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_modern_j_stays_j() -> None:
    # The blanket j->y fold made JUMIATI a YUMIATI, one letter from SUMIATI and YUMIATI alike.
    assert name_key("Jumiati") == "jumiati"
    assert name_key("Jumiati") != name_key("Yumiati")
    assert name_key("Joko Susilo") == "joko susilo"


def test_a_typo_is_not_scored_as_a_reordering() -> None:
    assert similarity(name_key("RATNA RHAYU"), name_key("RATNA RAHAYU")) >= 95
    assert similarity(name_key("SITI AMINAH"), name_key("AMINAH SITI")) == 100.0  # a real reordering still is


def test_muhammad_like_words_that_are_not_muhammad_stay() -> None:
    assert name_key("Muhammadiyah") == "muhamadiyah"
    assert name_key("Mohan") == "mohan"
