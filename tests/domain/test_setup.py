"""The setup screens' field rules (frontdesk/domain/setup.py): times, minutes, currency
and locale codes, and a location's hours, each refused at its field."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.setup import (
    LocationInput,
    check_location,
    clean_currency,
    clean_locale,
    parse_minutes,
    parse_time,
)


@pytest.mark.parametrize(
    ("typed", "time"),
    [("09:00", dt.time(9)), ("9:30", dt.time(9, 30)), ("18.45", dt.time(18, 45))],
)
def test_times_are_read_as_typed(typed: str, time: dt.time) -> None:
    assert parse_time(typed, "opens_at") == time


@pytest.mark.parametrize("typed", ["", "9", "24:00", "12:60", "０９:００", "9am", "09:00:00"])
def test_other_times_are_refused_at_the_field(typed: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_time(typed, "closes_at")
    assert err.value.field == "closes_at"


@pytest.mark.parametrize("typed", ["0", "241", "", "five", "١٠", "-5", "2.5"])
def test_idle_minutes_are_1_to_240_in_ascii_digits(typed: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_minutes(typed)
    assert err.value.field == "idle_lock_minutes"
    assert parse_minutes(" 240 ") == 240 and parse_minutes("1") == 1


def test_currency_and_locale_codes() -> None:
    assert clean_currency(" jpy ") == "JPY"
    assert clean_locale("de-DE") == "de_DE"
    for bad in ("", "XXQ", "pounds"):
        with pytest.raises(ValidationError):
            clean_currency(bad)
    for bad in ("", "zz_ZZ_nowhere", "éé"):
        with pytest.raises(ValidationError) as err:
            clean_locale(bad)
        assert err.value.field == "locale"


def test_a_location_closes_after_it_opens() -> None:
    shop = LocationInput(" Soho ", " 1 Dean St ", dt.time(9), dt.time(18))
    assert check_location(shop) == LocationInput("Soho", "1 Dean St", dt.time(9), dt.time(18))
    with pytest.raises(ValidationError) as err:
        check_location(LocationInput("Soho", "", dt.time(18), dt.time(18)))
    assert err.value.field == "closes_at"
    with pytest.raises(ValidationError) as err:
        check_location(LocationInput("Soho", "a\tb", dt.time(9), dt.time(18)))
    assert err.value.field == "address"
