"""Prepaid visits: the Qty Prch / Qty Used rule and redemption limits."""

from __future__ import annotations

import pytest

from frontdesk.domain.errors import InsufficientBalance, ValidationError
from frontdesk.domain.prepaid import validate_redeem, visits_to_credit


@pytest.mark.parametrize(
    ("purchased", "used", "credited"),
    [
        (5, 1, 4),  # seed: buy five, first one performed today
        (5, 0, 5),  # seed: prepaying only, nothing performed today
        (1, 1, 0),
        (1, 0, 1),
        (10, 10, 0),
    ],
)
def test_visits_to_credit(purchased: int, used: int, credited: int) -> None:
    assert visits_to_credit(purchased, used) == credited


def test_qty_used_defaults_to_one_like_the_ticket() -> None:
    assert visits_to_credit(5) == 4


@pytest.mark.parametrize(
    ("purchased", "used", "field"),
    [(0, 0, "qty_purchased"), (-1, 0, "qty_purchased"), (5, 6, "qty_used"), (5, -1, "qty_used")],
)
def test_visits_to_credit_rejects(purchased: int, used: int, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        visits_to_credit(purchased, used)
    assert caught.value.field == field


@pytest.mark.parametrize("remaining", [1, 4])
def test_validate_redeem_accepts_one_up_to_what_is_left(remaining: int) -> None:
    def accepted(qty: int) -> bool:
        try:
            validate_redeem(remaining, qty)
        except (ValidationError, InsufficientBalance):
            return False
        return True

    tried = range(-1, remaining + 3)
    assert [qty for qty in tried if accepted(qty)] == list(range(1, remaining + 1))


@pytest.mark.parametrize(("remaining", "qty"), [(4, 0), (4, -1), (0, 0)])
def test_validate_redeem_needs_at_least_one(remaining: int, qty: int) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_redeem(remaining, qty)
    assert caught.value.field == "qty"


@pytest.mark.parametrize(
    ("remaining", "qty", "message"),
    [
        (3, 4, "Only 3 prepaid visits left"),
        (1, 2, "Only 1 prepaid visit left"),
        (0, 1, "Only 0 prepaid visits left"),
    ],
)
def test_validate_redeem_refuses_more_than_remaining(
    remaining: int, qty: int, message: str
) -> None:
    with pytest.raises(InsufficientBalance) as caught:
        validate_redeem(remaining, qty)
    assert str(caught.value) == message
    assert (caught.value.available, caught.value.requested, caught.value.field) == (
        remaining,
        qty,
        "qty",
    )
