"""The one parser for typed amounts, quantities and descriptions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.parsing import (
    clean_description,
    parse_amount,
    parse_quantity,
    parse_signed_quantity,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25", "25.00"),
        ("25.5", "25.50"),
        ("25.50", "25.50"),
        ("1,234.56", "1234.56"),
        ("1,234", "1234.00"),
        ("1,000,000.00", "1000000.00"),
        ("1234.56", "1234.56"),
        ("£25", "25.00"),
        ("£ 25", "25.00"),
        ("25£", "25.00"),
        ("  41.50\t", "41.50"),
        ("+5", "5.00"),
        (".5", "0.50"),
        ("0.01", "0.01"),
        ("007", "7.00"),
        ("1000000.00", "1000000.00"),
    ],
)
def test_parse_amount_accepts(text: str, expected: str) -> None:
    result = parse_amount(text, field="amount", currency="GBP", locale="en_GB")
    assert str(result) == expected


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("", "Enter an amount"),
        ("   ", "Enter an amount"),
        ("NaN", "digits"),
        ("nan", "digits"),
        ("sNaN", "digits"),
        ("Infinity", "digits"),
        ("-Infinity", "digits"),
        ("inf", "digits"),
        ("1e3", "digits"),
        ("1E3", "digits"),
        ("2.5e1", "digits"),
        ("٣", "0-9"),
        ("١٢.٥٠", "0-9"),
        ("１２", "0-9"),  # fullwidth digits
        ("२५", "0-9"),  # Devanagari
        ("²", "digits"),  # superscript: a digit to Python, not to us
        ("1,5", "Thousands separators"),
        ("1,23,456", "Thousands separators"),
        ("12,34.00", "Thousands separators"),
        (",123", "Thousands separators"),
        ("1,2345", "Thousands separators"),
        ("12.345", "at most 2 decimal places"),
        ("0.001", "at most 2 decimal places"),
        ("12.340", "at most 2 decimal places"),
        ("1000000.01", "at most £1,000,000.00"),
        ("2000000", "at most £1,000,000.00"),
        ("0", "more than zero"),
        ("0.00", "more than zero"),
        ("-0", "more than zero"),
        ("-0.00", "more than zero"),
        ("-5", "must not be negative"),
        ("--5", "one sign"),
        ("+-5", "one sign"),
        ("-£-5", "one sign"),
        ("12a", "digits"),
        ("1.2.3", "digits"),
        ("25.", "digits"),
        ("1_000", "digits"),
        ("0x10", "digits"),
        ("€25", "digits"),  # another currency's symbol in a GBP field
        ("25 00", "digits"),
        ("9" * 60, "digits"),
    ],
)
def test_parse_amount_rejects(text: str, message_part: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_amount(text, field="price", currency="GBP", locale="en_GB")
    assert caught.value.field == "price"
    assert message_part in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-10", "-10.00"),
        ("-£10", "-10.00"),
        ("£-10", "-10.00"),
        ("25", "25.00"),
        ("-1,000,000.00", "-1000000.00"),
    ],
)
def test_parse_amount_negative_when_allowed(text: str, expected: str) -> None:
    assert (
        str(parse_amount(text, field="amount", allow_negative=True, currency="GBP", locale="en_GB"))
        == expected
    )


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("-0", "must not be zero"),
        ("0", "must not be zero"),
        ("-0.00", "must not be zero"),
        ("-1000000.01", "at most"),
        ("--1", "one sign"),
    ],
)
def test_parse_amount_negative_allowed_still_rejects(text: str, message_part: str) -> None:
    with pytest.raises(ValidationError, match=message_part):
        parse_amount(text, field="amount", allow_negative=True, currency="GBP", locale="en_GB")


@pytest.mark.parametrize("text", ["0", "0.00", "-0", "-0.00", "£0"])
def test_zero_when_allowed_is_plain_zero(text: str) -> None:
    result = parse_amount(
        text, field="amount", allow_zero=True, allow_negative=True, currency="GBP", locale="en_GB"
    )
    assert result == 0
    assert not result.is_signed()  # no "-0.00" leaking into sign checks or display
    assert str(result) == "0.00"


def test_custom_maximum() -> None:
    assert parse_amount(
        "50", field="a", maximum=Decimal("50"), currency="GBP", locale="en_GB"
    ) == Decimal("50.00")
    with pytest.raises(ValidationError, match=r"at most £50\.00"):
        parse_amount("50.01", field="a", maximum=Decimal("50"), currency="GBP", locale="en_GB")


@pytest.mark.parametrize(
    ("text", "currency", "locale", "expected"),
    [
        ("1.234,56", "EUR", "de_DE", "1234.56"),
        ("1,5", "EUR", "de_DE", "1.50"),
        ("25 €", "EUR", "de_DE", "25.00"),
        ("1 234,56", "EUR", "fr_FR", "1234.56"),  # a plain space stands in for U+202F
        ("1\u202f234,56", "EUR", "fr_FR", "1234.56"),
        ("1,23,456.78", "INR", "en_IN", "123456.78"),  # Indian grouping is right in en_IN
        ("1500", "JPY", "ja_JP", "1500"),
        ("$1,234.50", "USD", "en_US", "1234.50"),
        ("1.234", "BHD", "en_GB", "1.234"),
    ],
)
def test_parse_amount_follows_the_locale(
    text: str, currency: str, locale: str, expected: str
) -> None:
    assert str(parse_amount(text, field="a", currency=currency, locale=locale)) == expected


@pytest.mark.parametrize(
    ("text", "currency", "locale", "message_part"),
    [
        ("1.5", "EUR", "de_DE", "Thousands separators"),
        ("1,234.56", "EUR", "de_DE", "digits"),
        ("12.5", "JPY", "ja_JP", "whole numbers"),
        ("1.2345", "BHD", "en_GB", "at most 3 decimal places"),
    ],
)
def test_parse_amount_locale_rejections(
    text: str, currency: str, locale: str, message_part: str
) -> None:
    with pytest.raises(ValidationError, match=message_part):
        parse_amount(text, field="a", currency=currency, locale=locale)


@given(st.integers(min_value=1, max_value=100_000_000))
def test_parse_amount_round_trips_formatted_amounts(minor: int) -> None:
    amount = Decimal(minor).scaleb(-2)
    assert parse_amount(f"{amount:,.2f}", field="a", currency="GBP", locale="en_GB") == amount
    assert parse_amount(f"£{amount:.2f}", field="a", currency="GBP", locale="en_GB") == amount


@given(st.text(max_size=30))
def test_parse_amount_only_ever_returns_or_raises_validation_error(text: str) -> None:
    try:
        value = parse_amount(
            text, field="a", allow_negative=True, allow_zero=True, currency="GBP", locale="en_GB"
        )
    except ValidationError as error:
        assert error.field == "a"
    else:
        assert value.is_finite()
        assert value.as_tuple().exponent == -2
        assert abs(value) <= Decimal("1000000.00")


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        ("5", {}, 5),
        (" 12 ", {}, 12),
        ("0", {}, 0),
        ("100000", {}, 100_000),
        ("007", {}, 7),
        ("0" * 5000 + "3", {}, 3),
        ("000", {}, 0),
        ("1", {"minimum": 1}, 1),
        ("20", {"maximum": 20}, 20),
    ],
)
def test_parse_quantity_accepts(text: str, kwargs: dict[str, int], expected: int) -> None:
    assert parse_quantity(text, field="qty", **kwargs) == expected


@pytest.mark.parametrize(
    ("text", "kwargs", "message_part"),
    [
        ("", {}, "Enter a number"),
        ("  ", {}, "Enter a number"),
        ("-1", {}, "must not be negative"),
        ("1.5", {}, "whole number"),
        ("1,5", {}, "whole number"),
        ("1.0", {}, "whole number"),
        ("٣", {}, "0-9"),
        ("３", {}, "0-9"),
        ("1e3", {}, "digits 0-9"),
        ("NaN", {}, "digits 0-9"),
        ("1,000", {}, "whole number, without"),
        ("1.5.0", {}, "whole number, without"),
        ("+5", {}, "digits 0-9"),
        ("²", {}, "digits 0-9"),
        ("100001", {}, "at most 100000"),
        ("9" * 5000, {}, "at most 100000"),  # beyond int()'s 4,300-digit limit
        ("0", {"minimum": 1}, "at least 1"),
        ("21", {"maximum": 20}, "at most 20"),
    ],
)
def test_parse_quantity_rejects(text: str, kwargs: dict[str, int], message_part: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_quantity(text, field="qty_used", **kwargs)
    assert caught.value.field == "qty_used"
    assert message_part in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Goodwill credit — appointment issue", "Goodwill credit — appointment issue"),
        ("  padded  ", "padded"),
        ("trailing newline\n", "trailing newline"),
        ("Cafe\u0301", "Café"),  # NFC: e + combining accent becomes one character
        ("x" * 200, "x" * 200),
        ("Zoë's 💅 refill", "Zoë's 💅 refill"),
    ],
)
def test_clean_description_accepts(text: str, expected: str) -> None:
    assert clean_description(text) == expected


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("", "Enter a description"),
        ("   \t ", "Enter a description"),
        ("x" * 201, "200 characters"),
        ("two\nlines", "single line"),
        ("tab\there", "single line"),
        ("carriage\rreturn", "single line"),
        ("nul\x00byte", "single line"),
        ("bell\x07", "single line"),
        ("zero\u200bwidth", "single line"),
        ("right-to-left \u202eoverride", "single line"),
        ("line\u2028separator", "single line"),
        ("escape \x1b[31mred", "single line"),
    ],
)
def test_clean_description_rejects(text: str, message_part: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_description(text, field="reason")
    assert caught.value.field == "reason"
    assert message_part in str(caught.value)


def test_clean_description_optional_and_custom_length() -> None:
    assert clean_description("   ", required=False) == ""
    assert clean_description("abc", max_length=3) == "abc"
    with pytest.raises(ValidationError, match="3 characters"):
        clean_description("abcd", max_length=3)


@pytest.mark.parametrize(
    ("typed", "points"),
    [("50", 50), ("+50", 50), ("-20", -20), (" -1 ", -1), ("1000000", 1_000_000)],
)
def test_signed_quantity_adds_or_takes_away(typed: str, points: int) -> None:
    assert parse_signed_quantity(typed, field="points", maximum=1_000_000) == points


@pytest.mark.parametrize("typed", ["", "0", "-0", "--5", "+-5", "5.5", "-1000001", "ten", "٣"])
def test_signed_quantity_refuses_zero_and_what_is_not_a_whole_number(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_signed_quantity(typed, field="points", maximum=1_000_000)
    assert refused.value.field == "points"
