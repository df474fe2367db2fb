"""Exact money conversions, half-up rounding, proportional allocation and display."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.money import (
    MAX_AMOUNT,
    allocate_minor,
    currency_exponent,
    format_money,
    from_minor,
    percent_of,
    round_half_up,
    to_minor,
)


@pytest.mark.parametrize(
    ("currency", "exponent"), [("GBP", 2), ("EUR", 2), ("USD", 2), ("JPY", 0), ("BHD", 3)]
)
def test_currency_exponent(currency: str, exponent: int) -> None:
    assert currency_exponent(currency) == exponent


def test_unknown_currency_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="GPB"):
        currency_exponent("GPB")


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        (Decimal("41.50"), "GBP", 4150),
        (Decimal("41.5"), "GBP", 4150),
        (Decimal("0"), "GBP", 0),
        (Decimal("-10.00"), "GBP", -1000),
        (Decimal("1000000.00"), "GBP", 100_000_000),
        (Decimal("500"), "JPY", 500),
        (Decimal("1.234"), "BHD", 1234),
    ],
)
def test_to_minor_is_exact(amount: Decimal, currency: str, minor: int) -> None:
    assert to_minor(amount, currency) == minor


@pytest.mark.parametrize(
    ("amount", "currency"),
    [
        (Decimal("12.345"), "GBP"),
        (Decimal("0.001"), "GBP"),
        (Decimal("1.5"), "JPY"),
        (Decimal("NaN"), "GBP"),
        (Decimal("Infinity"), "GBP"),
    ],
)
def test_to_minor_refuses_to_round(amount: Decimal, currency: str) -> None:
    with pytest.raises(ValueError):
        to_minor(amount, currency)


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (4150, "GBP", "41.50"),
        (0, "GBP", "0.00"),
        (-5, "GBP", "-0.05"),
        (5, "JPY", "5"),
        (1234, "BHD", "1.234"),
    ],
)
def test_from_minor_carries_the_currency_decimals(minor: int, currency: str, text: str) -> None:
    result = from_minor(minor, currency)
    assert str(result) == text


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_minor_round_trip(minor: int) -> None:
    assert to_minor(from_minor(minor, "GBP"), "GBP") == minor


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.005", "0.01"),
        ("0.015", "0.02"),  # half-even would give 0.02 too; the next case tells them apart
        ("0.025", "0.03"),
        ("0.0049", "0.00"),
        ("-0.005", "-0.01"),
        ("2.675", "2.68"),
        ("13.50", "13.50"),
    ],
)
def test_round_half_up(amount: str, expected: str) -> None:
    assert str(round_half_up(Decimal(amount), "GBP")) == expected


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [
        ("90.00", "15", "13.50"),  # the Glovora example's membership discount
        ("0.10", "15", "0.02"),  # 0.015 rounds half-up
        ("33.33", "10", "3.33"),
        ("19.99", "12.5", "2.50"),  # 2.49875
        ("100.00", "100", "100.00"),
        ("100.00", "0", "0.00"),
    ],
)
def test_percent_of(amount: str, percent: str, expected: str) -> None:
    assert str(percent_of(Decimal(amount), Decimal(percent), "GBP")) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        (Decimal("41.5"), "GBP", "en_GB", "£41.50"),
        (Decimal("-10"), "GBP", "en_GB", "-£10.00"),
        (Decimal("1234.5"), "GBP", "en_GB", "£1,234.50"),
        (Decimal("0.125"), "GBP", "en_GB", "£0.13"),  # half-up, not babel's half-even
        (Decimal("1234.5"), "EUR", "de_DE", "1.234,50\xa0€"),
    ],
)
def test_format_money(amount: Decimal, currency: str, locale: str, expected: str) -> None:
    assert format_money(amount, currency, locale) == expected


def test_format_money_has_no_default_currency_or_locale() -> None:
    # House rule 12: the store's pair travels with every amount; nothing assumes GBP.
    with pytest.raises(TypeError):
        format_money(Decimal("76.5"))  # type: ignore[call-arg]


def test_max_amount_is_one_million() -> None:
    assert Decimal("1000000.00") == MAX_AMOUNT


@pytest.mark.parametrize(
    ("amount", "weights", "expected"),
    [
        (100, [1, 1, 1], [34, 33, 33]),
        (10, [5000, 3000, 2000], [5, 3, 2]),
        (1, [1, 1], [1, 0]),
        (0, [10, 20], [0, 0]),
        (7, [0, 3, 4], [0, 3, 4]),
        (5, [0, 0, 1], [0, 0, 5]),
        (2, [1, 2, 2], [0, 1, 1]),  # ties go to the earlier line
    ],
)
def test_allocate_minor(amount: int, weights: list[int], expected: list[int]) -> None:
    assert allocate_minor(amount, weights) == expected


@pytest.mark.parametrize(("amount", "weights"), [(-1, [1]), (1, [-1, 2]), (5, [0, 0]), (1, [])])
def test_allocate_minor_rejects_impossible_splits(amount: int, weights: list[int]) -> None:
    with pytest.raises(ValueError):
        allocate_minor(amount, weights)


@given(
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12).flatmap(
        lambda ws: st.tuples(st.just(ws), st.integers(min_value=0, max_value=sum(ws)))
    )
)
def test_allocation_sums_exactly_and_never_exceeds_a_weight(
    case: tuple[list[int], int],
) -> None:
    weights, amount = case
    shares = allocate_minor(amount, weights)
    assert sum(shares) == amount
    total = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        assert 0 <= share <= weight
        if total:
            # Each share is within one minor unit of its exact proportional value.
            assert abs(share * total - amount * weight) < total


@pytest.mark.parametrize("first", ["0.00", "-0.00"])
def test_remembered_forms_are_babels_own_whatever_came_first(first: str) -> None:
    """format_money remembers what it formatted; -0.00 equals 0.00 as a Decimal, yet
    babel writes them differently, and neither may take the other's place."""
    from babel import Locale
    from babel.numbers import format_currency

    second = "0.00" if first == "-0.00" else "-0.00"
    for text in (first, second, first):
        expected = format_currency(Decimal(text), "GBP", locale=Locale.parse("en_GB"))
        assert format_money(Decimal(text), "GBP", "en_GB") == expected
    assert format_money(Decimal("41.5"), "GBP", "en_GB") == "£41.50"
    assert format_money(Decimal("1234"), "JPY", "ja_JP") == "￥1,234"
