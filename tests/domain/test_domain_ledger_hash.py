"""The ledger entry hash (docs/rules.md#the-ledger, L10): one canonical encoding, pinned
here byte for byte, because every entry ever written depends on it staying the same."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.ledger_hash import (
    FIELDS,
    GENESIS,
    EntryContent,
    encode,
    entry_hash,
    time_text,
    utc,
)

CONTENT = EntryContent(
    account_id=7,
    amount=-2500,
    balance_after=1000,
    reason="adjust",
    description='Goodwill "refund" café',
    staff_id=3,
    approved_by=2,
    terminal="till-1",
    created_at=dt.datetime(2026, 3, 11, 9, 30, 0, 123456, tzinfo=dt.UTC),
    ticket_id=None,
    appointment_id=41,
    reverses_entry_id=None,
)


def test_the_encoding_and_the_hash_are_pinned() -> None:
    assert encode(CONTENT, GENESIS) == (
        b'{"account_id":7,"amount":-2500,"appointment_id":41,"approved_by":2,'
        b'"balance_after":1000,"created_at":"2026-03-11T09:30:00.123456Z",'
        b'"description":"Goodwill \\"refund\\" caf\\u00e9","previous":"","reason":"adjust",'
        b'"reverses_entry_id":null,"staff_id":3,"terminal":"till-1","ticket_id":null}'
    )
    assert entry_hash(CONTENT, GENESIS) == (
        "a81dc7e790a4df8f0d131086dc19d12b2acb8a358eabb1a57f52dc2c0685d407"
    )


def test_every_field_and_the_previous_hash_count() -> None:
    changed: dict[str, Any] = {
        "account_id": 8,
        "amount": -2501,
        "balance_after": 999,
        "reason": "credit",
        "description": "Goodwill",
        "staff_id": None,
        "approved_by": None,
        "terminal": "till-2",
        "created_at": CONTENT.created_at + dt.timedelta(microseconds=1),
        "ticket_id": 1,
        "appointment_id": None,
        "reverses_entry_id": 5,
    }
    assert set(changed) == set(FIELDS)
    base = entry_hash(CONTENT, GENESIS)
    hashes = {
        entry_hash(dataclasses.replace(CONTENT, **{k: v}), GENESIS) for k, v in changed.items()
    }
    assert base not in hashes and len(hashes) == len(changed)
    assert entry_hash(CONTENT, base) != base


def test_an_absent_id_is_not_the_id_zero() -> None:
    assert entry_hash(dataclasses.replace(CONTENT, ticket_id=0), GENESIS) != entry_hash(
        CONTENT, GENESIS
    )


# Any instant to the microsecond, in any zone a driver or a caller might hand over.
instants = st.datetimes(
    min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(9998, 12, 30), timezones=st.none()
)
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda m: dt.timezone(dt.timedelta(minutes=m))
)


@given(instants, offsets)
def test_the_same_instant_has_one_text_whatever_its_zone(
    naive: dt.datetime, zone: dt.tzinfo
) -> None:
    """SQLite gives back the naive UTC time, PostgreSQL an aware one; a caller may pass
    any zone. All are the same text, fixed width, in UTC."""
    aware = naive.replace(tzinfo=dt.UTC)
    text = time_text(naive)
    assert time_text(aware) == time_text(aware.astimezone(zone)) == text
    assert len(text) == len("2026-03-11T09:30:00.000000Z") and text.endswith("Z")
    assert utc(aware.astimezone(zone)) == aware


@given(st.text(), st.text(), st.text())
def test_text_fields_cannot_run_into_each_other(
    reason: str, description: str, terminal: str
) -> None:
    """Whatever staff type, the encoding reads back as exactly the fields written."""
    content = dataclasses.replace(
        CONTENT, reason=reason, description=description, terminal=terminal
    )
    decoded = json.loads(encode(content, GENESIS))
    assert (decoded["reason"], decoded["description"], decoded["terminal"]) == (
        reason,
        description,
        terminal,
    )
