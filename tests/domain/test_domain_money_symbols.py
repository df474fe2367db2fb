"""Amounts on a terminal that lacks the currency's symbol (issue 18, item 4): the ISO
code takes its place, so the currency is still on screen (never a bare number), and
nothing changes where every character can be drawn."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.domain.money_context import limit_symbols_to, money_context

ASCII = frozenset(chr(code) for code in range(0x20, 0x7F))
PAIRS = [
    ("GBP", "en_GB"),
    ("JPY", "ja_JP"),
    ("EUR", "de_DE"),
    ("EUR", "fr_FR"),
    ("SEK", "sv_SE"),
    ("BHD", "ar_BH"),
    ("USD", "en_US"),
]


@pytest.fixture
def ascii_only() -> Iterator[None]:
    limit_symbols_to(ASCII)
    yield
    limit_symbols_to(None)


@pytest.mark.parametrize(
    ("currency", "locale", "amount", "shown"),
    [
        ("GBP", "en_GB", "35", "GBP 35.00"),
        ("GBP", "en_GB", "-1234.5", "-GBP 1,234.50"),
        ("JPY", "ja_JP", "3000", "JPY 3,000"),
        ("EUR", "de_DE", "1234.56", "1.234,56 EUR"),
        ("EUR", "fr_FR", "-1234.56", "-1 234,56 EUR"),
        ("USD", "en_US", "35", "$35.00"),  # "$" is ASCII: kept
    ],
)
def test_a_symbol_the_terminal_lacks_gives_way_to_the_iso_code(
    ascii_only: None, currency: str, locale: str, amount: str, shown: str
) -> None:
    assert money_context(currency, locale).format(Decimal(amount)) == shown


def test_every_terminal_that_draws_anything_keeps_the_symbol() -> None:
    assert money_context("GBP", "en_GB").format(Decimal("35")) == "£35.00"
    assert money_context("JPY", "ja_JP").format(Decimal("3000")) == "￥3,000"


def test_a_set_holding_the_symbol_keeps_it() -> None:
    limit_symbols_to(ASCII | {"£"})
    try:
        assert money_context("GBP", "en_GB").format(Decimal("-35")) == "-£35.00"
    finally:
        limit_symbols_to(None)


@settings(max_examples=60)
@given(
    pair=st.sampled_from(PAIRS),
    minor=st.integers(min_value=-(10**12), max_value=10**12),
)
def test_ascii_amounts_are_ascii_name_their_currency_and_keep_every_digit(
    pair: tuple[str, str], minor: int
) -> None:
    money = money_context(*pair)
    amount = money.from_minor(minor)
    full = money.format(amount)
    limit_symbols_to(ASCII)
    try:
        shown = money.format(amount)
    finally:
        limit_symbols_to(None)
    assert set(shown) <= ASCII, shown
    assert pair[0] in shown or "$" in shown, shown
    assert [c for c in shown if c.isdigit()] == [c for c in full if c.isdigit()]
    assert ("-" in shown) == (minor < 0), shown
