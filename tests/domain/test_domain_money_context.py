"""The store's money context: one value that formats, parses and pre-fills amounts in the
store's own currency and locale, and whose pre-fill its own parser always accepts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.money import MAX_AMOUNT
from frontdesk.domain.money_context import MoneyContext, money_context

D = Decimal

GBP = MoneyContext("GBP", "en_GB")
JPY = MoneyContext("JPY", "ja_JP")
EUR = MoneyContext("EUR", "de_DE")
BHD = MoneyContext("BHD", "en_GB")
PAIRS = (GBP, JPY, EUR, BHD)


@pytest.mark.parametrize(
    ("money", "amount", "shown", "typed"),
    [
        (GBP, "3000.00", "£3,000.00", "3000.00"),
        (GBP, "30.5", "£30.50", "30.50"),
        (JPY, "3000", "￥3,000", "3000"),
        (EUR, "1234.56", "1.234,56\xa0€", "1234,56"),
        (BHD, "1.234", "BHD1.234", "1.234"),
        (BHD, "0.005", "BHD0.005", "0.005"),
        (GBP, "-5", "-£5.00", "-5.00"),
    ],
)
def test_format_and_prefill(money: MoneyContext, amount: str, shown: str, typed: str) -> None:
    assert money.format(D(amount)) == shown
    assert money.for_input(D(amount)) == typed
    assert money.parse(typed, field="amount", allow_negative=True) == D(amount)


def test_a_jpy_store_prefills_what_its_own_parser_accepts() -> None:
    """Issue 14's bug: a JPY Pay Balance pre-filled "3000.00", which JPY refuses."""
    with pytest.raises(ValidationError, match="whole numbers"):
        JPY.parse("3000.00", field="amount")
    assert JPY.parse(JPY.for_input(D(3000)), field="amount") == D(3000)


def test_the_locale_decides_the_separators_it_reads() -> None:
    assert EUR.parse("1.234,56", field="a") == D("1234.56")
    assert EUR.parse("1234,56 €", field="a") == D("1234.56")
    assert GBP.parse("£1,234.56", field="a") == D("1234.56")
    assert JPY.parse("￥3,000", field="a") == D(3000)


@pytest.mark.parametrize("money", PAIRS, ids=lambda m: f"{m.currency}/{m.locale}")
def test_minor_units_follow_the_currency(money: MoneyContext) -> None:
    minor = 123456
    assert money.to_minor(money.from_minor(minor)) == minor
    assert money.zero == money.from_minor(0)
    assert str(money.zero) == "0" if money.exponent == 0 else "0." + "0" * money.exponent


@pytest.mark.parametrize(
    ("currency", "locale", "message"),
    [("GPB", "en_GB", "currency"), ("JPY", "xx_QQ", "locale"), ("JPY", "", "locale")],
)
def test_unknown_codes_are_refused_on_creation(currency: str, locale: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MoneyContext(currency, locale)


def test_built_once_per_pair_and_immutable() -> None:
    assert money_context("JPY", "ja_JP") is money_context("JPY", "ja_JP")
    with pytest.raises(AttributeError):
        JPY.currency = "GBP"  # type: ignore[misc]


@given(
    money=st.sampled_from(PAIRS),
    minor=st.integers(min_value=-(10**8), max_value=10**8),
)
def test_prefill_round_trips_through_the_parser(money: MoneyContext, minor: int) -> None:
    amount = money.from_minor(minor)
    if abs(amount) > MAX_AMOUNT:
        return
    typed = money.for_input(amount)
    back = money.parse(typed, field="amount", allow_negative=True, allow_zero=True)
    assert back == amount
    # ...and so does the display form, symbol and grouping included.
    shown = money.format(amount).replace("\xa0", " ")
    assert money.parse(shown, field="a", allow_negative=True, allow_zero=True) == amount
