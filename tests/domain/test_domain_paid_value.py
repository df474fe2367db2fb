"""What a client paid for prepaid visits, the value a redeemed visit's commission uses (K1)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.commission import paid_value_of_visits
from frontdesk.domain.money import from_minor, round_half_up

D = Decimal


@pytest.mark.parametrize(
    ("paid", "bought", "visits", "currency", "expected"),
    [
        (30000, 5, 1, "GBP", "60.00"),
        (30000, 5, 2, "GBP", "120.00"),
        (10000, 3, 3, "GBP", "100.00"),  # multiplied before dividing: exact
        (10000, 3, 0, "GBP", "0.00"),
        (10000, 3, 1, "JPY", "3333.333333333333333333333333"),
    ],
)
def test_paid_value(paid: int, bought: int, visits: int, currency: str, expected: str) -> None:
    assert paid_value_of_visits(paid, bought, visits, currency) == D(expected)


@given(paid=st.integers(0, 10**9), bought=st.integers(1, 1000))
def test_all_the_visits_bought_are_worth_what_was_paid(paid: int, bought: int) -> None:
    value = paid_value_of_visits(paid, bought, bought, "GBP")
    assert round_half_up(value, "GBP") == from_minor(paid, "GBP")


@pytest.mark.parametrize(("paid", "bought", "visits"), [(100, 0, 1), (-1, 1, 1), (100, 1, -1)])
def test_impossible_purchases_are_refused(paid: int, bought: int, visits: int) -> None:
    with pytest.raises(ValueError):
        paid_value_of_visits(paid, bought, visits, "GBP")
