"""How names and phones are folded into the words search matches (issue 14)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.normalize import (
    extra_words,
    fold,
    name_words,
    phone_tail,
    search_tokens,
)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Ó Briain", {"o", "briain", "obriain"}),
        ("Mac Giolla", {"mac", "giolla", "macgiolla"}),
        ("O'Connor", {"o", "connor", "oconnor"}),
        ("O’Connor", {"o", "connor", "oconnor"}),  # a typographic apostrophe
        ("Smith-Jones", {"smith", "jones", "smithjones"}),
        ("Nguyễn–Đặng", {"nguyen", "dang", "nguyendang"}),  # en dash, stacked accents
        ("Hart", {"hart"}),
        ("  Mary   Ann ", {"mary", "ann", "maryann"}),
        ("D'Arcy-Ní Bhriain", {"d", "arcy", "ni", "bhriain", "darcyni", "darcynibhriain"}),
        ("王", {"王"}),
    ],
)
def test_every_word_of_a_name_and_the_name_without_its_marks(name: str, words: set[str]) -> None:
    assert name_words(fold(name)) == words


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("Ó Briain", {"briain", "obriain"}),
        ("Mac Giolla", {"giolla", "macgiolla"}),
        ("O'Connor", {"connor", "oconnor"}),
        ("Smith-Jones", {"jones", "smithjones"}),
        ("Hart", set()),  # a one-word name is found by its own prefix: nothing stored
        ("Zoë", set()),
    ],
)
def test_only_words_a_prefix_of_the_name_cannot_find_are_stored(name: str, extra: set[str]) -> None:
    assert extra_words(fold(name)) == extra


@pytest.mark.parametrize(
    ("typed", "tokens"),
    [
        ("oconnor", ["oconnor"]),
        ("O'Connor", ["oconnor"]),
        ("o’c", ["oc"]),
        ("ÓBRIAIN", ["obriain"]),
        ("  Mac   giolla ", ["mac", "giolla"]),
        ("smith - jones", ["smith", "jones"]),
        ("' -", []),
        ("a bb ccc dddd eeeee", ["bb", "ccc", "dddd", "eeeee"]),  # the 4 longest, in order
    ],
)
def test_typed_words_fold_like_stored_ones(typed: str, tokens: list[str]) -> None:
    assert search_tokens(typed) == tokens


def test_accents_fold_away() -> None:
    assert fold("Ó Briain") == "o briain"
    assert fold("Ní Dhomhnaill") == "ni dhomhnaill"
    assert fold("Øster-Ålund") == "oster-alund"


@given(st.text(max_size=40))
def test_every_typed_word_of_a_name_finds_it(name: str) -> None:
    """Typing any word of a name (or all of it, without its marks) finds a stored word
    or the name's own start: what search relies on."""
    folded = fold(name)
    words = name_words(folded)
    for typed in search_tokens(name, most=100):
        assert any(w.startswith(typed) for w in words) or folded.startswith(typed), typed
        assert any(w.startswith(typed) for w in extra_words(folded)) or folded.startswith(typed), (
            typed
        )


def test_phone_tail_turns_last_digits_into_a_prefix() -> None:
    assert phone_tail("07700900001") == "10000900770"
    assert phone_tail("07700900001").startswith(phone_tail("0001"))
    assert phone_tail("") == ""
