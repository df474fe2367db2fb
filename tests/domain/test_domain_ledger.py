"""Ledger vocabulary and append-only arithmetic."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.ledger import Reason, StoredValueKind, reversal_amount


def test_stored_value_kinds_are_the_four_the_schema_stores() -> None:
    assert {k.value for k in StoredValueKind} == {
        "product_units",
        "prepaid_visits",
        "account_money",
        "wallet_money",
    }


def test_reason_codes_fit_the_column() -> None:
    assert all(len(reason.value) <= 20 for reason in Reason)
    assert Reason("checkout_spend") is Reason.CHECKOUT_SPEND


@given(st.integers(-(10**12), 10**12), st.lists(st.integers(-(10**9), 10**9), max_size=50))
def test_reversing_every_entry_restores_the_start(start: int, amounts: list[int]) -> None:
    reversals = [reversal_amount(a) for a in reversed(amounts)]
    balance = start
    for amount in amounts + reversals:
        balance += amount
    assert balance == start
    assert all(a + r == 0 for a, r in zip(amounts, reversed(reversals), strict=True))
