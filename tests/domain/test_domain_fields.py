"""Cleaning typed names, phones, emails, notes and dates (profile forms, the booking form)."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.fields import (
    DATE_FORMS,
    NOTE_MAX,
    choice,
    clean_email,
    clean_name,
    clean_note,
    clean_phone,
    parse_birthday,
    parse_date,
)
from frontdesk.domain.normalize import has_forbidden

TODAY = dt.date(2026, 11, 23)
BOOKING_HINT = "Enter a date like 24/11/2026, 2026-11-24, tomorrow or +3"


# --- dates --------------------------------------------------------------------------------

# (typed, date in a profile field, date in the booking form's Date field); None: refused.
DATES: list[tuple[str, dt.date | None, dt.date | None]] = [
    ("2026-11-24", dt.date(2026, 11, 24), dt.date(2026, 11, 24)),
    (" 2026-11-24 ", dt.date(2026, 11, 24), dt.date(2026, 11, 24)),
    ("24/11/2026", dt.date(2026, 11, 24), dt.date(2026, 11, 24)),
    ("1/2/1990", dt.date(1990, 2, 1), dt.date(1990, 2, 1)),
    ("29/02/2028", dt.date(2028, 2, 29), dt.date(2028, 2, 29)),
    ("2027-1-5", None, dt.date(2027, 1, 5)),  # leading zeros dropped: booking only
    ("today", None, TODAY),
    ("Today", None, TODAY),
    (" TOMORROW ", None, TODAY + dt.timedelta(days=1)),
    ("yesterday", None, TODAY - dt.timedelta(days=1)),
    ("+0", None, TODAY),
    ("+3", None, TODAY + dt.timedelta(days=3)),
    ("+ 3", None, TODAY + dt.timedelta(days=3)),
    ("+999", None, TODAY + dt.timedelta(days=999)),
    ("+1000", None, None),
    ("-1", None, None),
    ("next tuesday", None, None),
    ("24.11.2026", None, None),
    ("24/11/26", None, None),
    ("2026/11/24", None, None),
    ("٢٤/١١/٢٠٢٦", None, None),  # Arabic-Indic digits
    ("２０２６-１１-２４", None, None),  # full-width digits
]


def _in_profile(typed: str) -> dt.date | None:
    return parse_date(typed, "when")


def _in_booking(typed: str) -> dt.date | None:
    return parse_date(typed, "when", relative_to=TODAY, short_iso=True, hint=BOOKING_HINT)


@pytest.mark.parametrize(("typed", "profile", "booking"), DATES)
def test_parse_date_forms_per_caller(
    typed: str, profile: dt.date | None, booking: dt.date | None
) -> None:
    callers = ((_in_profile, profile, DATE_FORMS), (_in_booking, booking, BOOKING_HINT))
    for parse, expected, hint in callers:
        if expected is None:
            with pytest.raises(ValidationError) as err:
                parse(typed)
            assert (err.value.field, str(err.value)) == ("when", hint)
        else:
            assert parse(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", "\t"])
@pytest.mark.parametrize("relative", [None, TODAY])
def test_parse_date_blank_is_none(typed: str, relative: dt.date | None) -> None:
    assert parse_date(typed, "when", relative_to=relative, short_iso=True) is None


@pytest.mark.parametrize(
    ("typed", "short_iso"),
    [
        ("31/02/2026", False),
        (" 31/02/2026 ", True),
        ("2026-13-01", False),
        ("2026-2-30", True),
        ("00/01/2026", False),
        ("2026-00-10", False),
        ("29/02/2027", True),
    ],
)
def test_parse_date_names_a_date_that_does_not_exist(typed: str, short_iso: bool) -> None:
    with pytest.raises(ValidationError) as err:
        parse_date(typed, "entry_date", short_iso=short_iso)
    assert err.value.field == "entry_date"
    assert str(err.value) == f"{typed.strip()} is not a real date"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("", None), ("31/12/1990", dt.date(1990, 12, 31)), ("1900-01-01", dt.date(1900, 1, 1))],
)
def test_parse_birthday_accepts(typed: str, expected: dt.date | None) -> None:
    assert parse_birthday(typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-11-23", "A birthday must be in the past"),
        ("01/01/2030", "A birthday must be in the past"),
        ("31/12/1899", "A birthday must be after 1900"),
        ("31/02/1990", "31/02/1990 is not a real date"),
        ("today", DATE_FORMS),
    ],
)
def test_parse_birthday_refuses(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_birthday(typed, TODAY)
    assert (err.value.field, str(err.value)) == ("birthday", message)


# --- names, phones, emails, notes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(" Zoë ", "Zoë"), ("Zoe\u0308", "Zoë"), ("Ångström", "Ångström"), ("x" * 120, "x" * 120)],
)
def test_clean_name_trims_and_composes(typed: str, expected: str) -> None:
    assert clean_name(typed, "first_name", "first name") == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a first name"),
        ("   ", "Enter a first name"),
        ("Ann\tMarie", "Use plain text (no tabs, line breaks or hidden characters)"),
        ("Ann\nMarie", "Use plain text (no tabs, line breaks or hidden characters)"),
        ("Lee\u200b", "Use plain text (no tabs, line breaks or hidden characters)"),
        ("x" * 121, "Keep the first name to 120 characters (now 121)"),
    ],
)
def test_clean_name_refuses(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        clean_name(typed, "first_name", "first name")
    assert (err.value.field, str(err.value)) == ("first_name", message)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", ""),
        ("  ", ""),
        (" +44 (0)7700 900-123 ", "+44 (0)7700 900-123"),
        ("1234567", "1234567"),
    ],
)
def test_clean_phone_accepts(typed: str, expected: str) -> None:
    assert clean_phone(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("123456", "A phone number has 7 to 15 digits (this has 6)"),
        ("1234567890123456", "A phone number has 7 to 15 digits (this has 16)"),
        ("07700 ABC 123", "Type the phone number with digits 0-9 (and + ( ) -)"),
        ("٠٧٧٠٠٩٠٠١٢٣", "Type the phone number with digits 0-9 (and + ( ) -)"),
    ],
)
def test_clean_phone_refuses(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        clean_phone(typed)
    assert (err.value.field, str(err.value)) == ("phone", message)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("", ""), (" Zoe.A@Example.com ", "Zoe.A@Example.com"), ("zoë@exämple.de", "zoë@exämple.de")],
)
def test_clean_email_accepts(typed: str, expected: str) -> None:
    assert clean_email(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("not-an-email", "Type the email address like name@example.com"),
        ("a@b", "Type the email address like name@example.com"),
        ("two@@example.com", "Type the email address like name@example.com"),
        ("zoë\u200b@example.com", "Type the email address like name@example.com"),
        ("a@" + "b" * 115 + ".com", "Keep the email address to 120 characters"),
    ],
)
def test_clean_email_refuses(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        clean_email(typed)
    assert (err.value.field, str(err.value)) == ("email", message)


def test_clean_note_keeps_lines_and_refuses_hidden_characters() -> None:
    assert clean_note(" Prefers mornings.\r\nAllergic to latex. ") == (
        "Prefers mornings.\nAllergic to latex."
    )
    assert clean_note("   ") == ""
    for bad in ("bad\x00note", "tab\there", "rtl\u202eoverride"):
        with pytest.raises(ValidationError) as err:
            clean_note(bad, "notes")
        assert (err.value.field, str(err.value)) == (
            "notes",
            "Use plain text (no tabs or hidden characters)",
        )
    with pytest.raises(ValidationError) as err:
        clean_note("  ", required=True)
    assert (err.value.field, str(err.value)) == ("note", "Enter a note")
    assert clean_note("x" * NOTE_MAX) == "x" * NOTE_MAX
    with pytest.raises(ValidationError) as err:
        clean_note("x" * (NOTE_MAX + 1))
    assert str(err.value) == f"Keep it to {NOTE_MAX} characters (now {NOTE_MAX + 1})"


def test_choice_names_what_is_allowed() -> None:
    assert choice("sms", ("email", "sms"), "channel") == "sms"
    with pytest.raises(ValidationError) as err:
        choice("fax", ("email", "sms"), "channel")
    assert (err.value.field, str(err.value)) == ("channel", "Choose one of: email, sms")


@pytest.mark.parametrize(
    ("text", "allow", "expected"),
    [
        ("plain text, é ü 中文", "", False),
        ("line\nbreak", "", True),
        ("line\nbreak", "\n", False),
        ("tab\t", "\n", True),
        ("nul\x00", "", True),
        ("zero\u200bwidth", "", True),
        ("rtl\u202e", "", True),
        ("line\u2028sep", "", True),
        ("para\u2029sep", "", True),
    ],
)
def test_has_forbidden(text: str, allow: str, expected: bool) -> None:
    assert has_forbidden(text, allow=allow) is expected
