"""A new client's fields: the same rules as Profile Details, every bad field named; and
what a search that found nobody pre-fills."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.new_client import (
    NewClient,
    Prefill,
    clean_new_client,
    new_client_problems,
    prefill_from_search,
)

TODAY = dt.date(2026, 11, 29)


def test_a_good_client_is_cleaned_and_folded() -> None:
    new = clean_new_client(
        first_name="  Zoë ",
        last_name="Ångström",
        phone="+44 7700 900123",
        email="Zoe@Example.com",
        birthday="06/05/1991",
        today=TODAY,
    )
    assert new == NewClient(
        "Zoë", "Ångström", "+44 7700 900123", "Zoe@Example.com", dt.date(1991, 5, 6)
    )
    assert (new.folded_first, new.folded_last) == ("zoe", "angstrom")
    assert (new.phone_digits, new.email_lower) == ("07700900123", "zoe@example.com")


def test_only_the_names_are_required() -> None:
    new = clean_new_client(first_name="Bo", last_name="Li", today=TODAY)
    assert (new.phone, new.email, new.birthday) == ("", "", None)


def test_every_bad_field_is_named_at_once() -> None:
    client, problems = new_client_problems(
        first_name="",
        last_name="Le\te",
        phone="abc",
        email="not-an-email",
        birthday="2027-01-01",
        today=TODAY,
    )
    assert client is None
    assert set(problems) == {"first_name", "last_name", "phone", "email", "birthday"}
    assert problems["first_name"] == "Enter a first name"
    assert "hidden characters" in problems["last_name"]
    assert problems["birthday"] == "A birthday must be in the past"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"first_name": "A\x1b[31m"}, "first_name"),
        ({"last_name": "Lee\u200b"}, "last_name"),
        ({"phone": "0770０900123"}, "phone"),
        ({"email": "a@b"}, "email"),
        ({"birthday": "1899-12-31"}, "birthday"),
        ({"first_name": "x" * 121}, "first_name"),
    ],
)
def test_the_first_bad_field_is_raised_by_name(fields: dict[str, str], field: str) -> None:
    values = {"first_name": "Ann", "last_name": "Lee"} | fields
    with pytest.raises(ValidationError) as err:
        clean_new_client(**values, today=TODAY)
    assert err.value.field == field


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", Prefill()),
        ("Zed Quinn", Prefill(first_name="Zed", last_name="Quinn")),
        ("Ana de la Cruz", Prefill(first_name="Ana", last_name="de la Cruz")),
        ("Quinn,  Zed ", Prefill(first_name="Zed", last_name="Quinn")),
        ("zed", Prefill(first_name="zed")),
        ("07700 900 999", Prefill(phone="07700 900 999")),
        ("+44 (0)7700", Prefill(phone="+44 (0)7700")),
        ("zed@example.com", Prefill(email="zed@example.com")),
        ("Zed\x00 Quinn", Prefill(first_name="Zed", last_name="Quinn")),
    ],
)
def test_what_search_text_prefills(typed: str, expected: Prefill) -> None:
    assert prefill_from_search(typed) == expected
