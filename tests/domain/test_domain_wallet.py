"""Beauty Bank renewal credit and manual adjustments (seed: The Beauty Bank)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from frontdesk.domain.errors import InsufficientBalance, ValidationError
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.wallet import (
    RenewalChoice,
    RenewalMode,
    check_wallet_adjustment,
    describe_adjustment,
    renewal_wallet_credit,
)

GBP = MoneyContext("GBP", "en_GB")

D = Decimal


@pytest.mark.parametrize(
    ("enabled", "mode", "choice", "expected"),
    [
        (True, "auto", None, "50.00"),  # banks the credit amount, no action needed
        (True, "auto", "treatment", "50.00"),  # a choice means nothing in auto mode
        (True, "select", "cash", "20.00"),  # the cash alternative, not the credit amount
        (True, "select", "treatment", "0.00"),  # treatment credit is issued instead
        (True, "select", None, "0.00"),  # forgot to choose: neither this cycle
        (False, "auto", None, "0.00"),
        (False, "select", "cash", "0.00"),
    ],
)
def test_renewal_wallet_credit(
    enabled: bool, mode: RenewalMode, choice: RenewalChoice | None, expected: str
) -> None:
    result = renewal_wallet_credit(enabled, mode, D(50), D(20), choice, "GBP")
    assert result == D(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("credit", "cash", "mode"),
    [(D(-1), D(20), "auto"), (D(50), D(-1), "select"), (D(50), D(20), "monthly")],
)
def test_renewal_rejects_bad_plan_settings(credit: Decimal, cash: Decimal, mode: str) -> None:
    with pytest.raises(ValueError):
        renewal_wallet_credit(True, mode, credit, cash, "cash", "GBP")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("balance", "delta", "may", "confirmed", "new_balance"),
    [
        ("50.00", "25.00", False, False, "75.00"),
        ("50.00", "-10.00", False, False, "40.00"),
        ("50.00", "-50.00", False, False, "0.00"),  # to zero is not below zero
        ("50.00", "-60.00", True, True, "-10.00"),  # permitted and confirmed
        ("-30.00", "10.00", False, False, "-20.00"),  # a credit towards zero is always fine
        ("0.00", "0.01", False, False, "0.01"),
    ],
)
def test_wallet_adjustment_allowed(
    balance: str, delta: str, may: bool, confirmed: bool, new_balance: str
) -> None:
    result = check_wallet_adjustment(
        D(balance), D(delta), may_go_negative=may, allow_negative_confirmed=confirmed, money=GBP
    )
    assert result == D(new_balance)


@pytest.mark.parametrize(
    ("balance", "delta", "may", "confirmed", "message"),
    [
        ("50.00", "-60.00", False, False, "Only £50.00 in the Beauty Bank; can't deduct £60.00"),
        ("50.00", "-60.00", False, True, "Only £50.00 in the Beauty Bank; can't deduct £60.00"),
        ("50.00", "-60.00", True, False, "This takes the balance to -£10.00; confirm"),
        ("-5.00", "-1.00", False, False, "Only -£5.00 in the Beauty Bank; can't deduct £1.00"),
    ],
)
def test_wallet_adjustment_below_zero_needs_permission_and_confirmation(
    balance: str, delta: str, may: bool, confirmed: bool, message: str
) -> None:
    with pytest.raises(InsufficientBalance) as caught:
        check_wallet_adjustment(
            D(balance), D(delta), may_go_negative=may, allow_negative_confirmed=confirmed, money=GBP
        )
    assert str(caught.value).startswith(message)
    assert caught.value.field == "amount"
    assert caught.value.available == D(balance)
    assert caught.value.requested == -D(delta)


def test_zero_adjustment_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        check_wallet_adjustment(
            D(50), D("0.00"), may_go_negative=True, allow_negative_confirmed=True, money=GBP
        )
    assert caught.value.field == "amount"


@pytest.mark.parametrize(
    ("balance", "delta", "text"),
    [
        ("50.00", "-10.00", "Deduct £10.00 → new balance £40.00"),
        ("50.00", "25.00", "Credit £25.00 → new balance £75.00"),
        ("5.00", "-10.00", "Deduct £10.00 → new balance -£5.00"),
        ("0", "50", "Credit £50.00 → new balance £50.00"),
    ],
)
def test_describe_adjustment_puts_the_sign_into_words(balance: str, delta: str, text: str) -> None:
    assert describe_adjustment(D(balance), D(delta), GBP) == text


def test_describe_zero_adjustment_is_refused() -> None:
    with pytest.raises(ValidationError):
        describe_adjustment(D(50), D(0), GBP)
