"""The typed errors screens show as they are."""

from __future__ import annotations

import datetime as dt
import pickle
import time
from decimal import Decimal

import pytest

from frontdesk.domain.errors import (
    AlreadyReversed,
    Conflict,
    DomainError,
    InsufficientBalance,
    NotFound,
    PermissionDenied,
    StaleVersion,
    TravelMemberReadOnly,
    Unavailable,
    ValidationError,
)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (ValidationError("amount", "Enter an amount"), "Enter an amount"),
        (InsufficientBalance(8, 10), "Only 8 available; 10 requested"),
        (
            InsufficientBalance(Decimal("5.00"), Decimal("7.50")),
            "Only 5.00 available; 7.50 requested",
        ),
        (
            InsufficientBalance(8, 10, "use", "Only 8 units left (another terminal used some)"),
            "Only 8 units left (another terminal used some)",
        ),
        (
            Conflict("Only 8 units left (another terminal used some)", owned=8),
            "Only 8 units left (another terminal used some)",
        ),
        (
            PermissionDenied("wallet.negative"),
            "You need the “wallet.negative” permission to do this",
        ),
        (NotFound("client"), "Client not found"),
        (NotFound("Client 42"), "Client 42 not found"),
        (AlreadyReversed(17), "Entry 17 has already been reversed"),
        (Unavailable("Database unavailable"), "Database unavailable"),
    ],
)
def test_messages_are_for_people(error: DomainError, message: str) -> None:
    assert isinstance(error, DomainError)
    assert str(error) == message
    assert error.message == message


def test_structured_attributes() -> None:
    assert ValidationError("qty", "x").field == "qty"
    assert Conflict("x", owned=3).owned == 3
    assert Conflict("x").owned is None
    error = InsufficientBalance(8, 10, field="use")
    assert (error.available, error.requested, error.field) == (8, 10, "use")
    assert PermissionDenied("p").permission == "p"
    assert AlreadyReversed(4).entry_id == 4


@pytest.mark.parametrize(
    "error",
    [
        ValidationError("amount", "Enter an amount"),
        InsufficientBalance(8, 10, "use", "Only 8 units left"),
        Conflict("changed", owned=2),
        PermissionDenied("p"),
        NotFound("client"),
        AlreadyReversed(3),
        Unavailable("down"),
    ],
)
def test_errors_survive_pickling(error: DomainError) -> None:
    # Workers and test runners pickle exceptions; a multi-argument __init__ breaks that
    # unless __reduce__ says how to rebuild it.
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert vars(copy) == vars(error)
    assert str(copy) == str(error)


def test_travel_member_read_only_names_the_home_location_and_pickles() -> None:
    error = TravelMemberReadOnly("Main")
    assert isinstance(error, PermissionDenied)
    assert str(error) == (
        "This client is a travel member (home location: Main); their profile details and "
        "account are read-only here. Edit them at Main."
    )
    assert error.permission == "edit a travel member's details away from their home location"
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), str(again), again.home_name) == (TravelMemberReadOnly, str(error), "Main")


def test_stale_version_names_the_terminal_inert_and_the_time_on_the_desks_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        at = dt.datetime(2026, 11, 29, 1, 5, tzinfo=dt.UTC)
        error = StaleVersion("front-desk", at, 7)
        assert str(error) == "Changed on front-desk at 10:05 — reloaded; check and save again"
        assert isinstance(error, Conflict)
        # SQLite hands back naive UTC; the same time on the desk's clock.
        assert "at 10:05" in str(StaleVersion("front-desk", at.replace(tzinfo=None), 7))
        sneaky = StaleVersion("desk\x1b]0;pwned\x07", at, 7)
        assert "\x1b" not in str(sneaky) and "\x07" not in str(sneaky)
        assert str(sneaky).startswith("Changed on desk␛]0;pwned␇ at ")
        assert str(StaleVersion(None, None, 2)) == (
            "Changed on another terminal — reloaded; check and save again"
        )
        back = pickle.loads(pickle.dumps(error))
        assert (str(back), back.terminal, back.version) == (str(error), "front-desk", 7)
    finally:
        monkeypatch.undo()
        time.tzset()
