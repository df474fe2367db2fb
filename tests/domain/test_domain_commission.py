"""Commission under the single and dual systems (seed: prepaid services & commission)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from frontdesk.domain.checkout import LineKind
from frontdesk.domain.commission import CommissionSystem, commission_for_line

D = Decimal
SINGLE = CommissionSystem.SINGLE
DUAL = CommissionSystem.DUAL


@pytest.mark.parametrize(
    ("kind", "net", "rate", "expected"),
    [
        (LineKind.SERVICE, "76.50", "10", "7.65"),
        (LineKind.SERVICE, "33.33", "12.5", "4.17"),  # 4.16625 rounds half-up
        (LineKind.SERVICE, "0.10", "15", "0.02"),  # 0.015 rounds half-up
        (LineKind.SERVICE, "0.00", "10", "0.00"),
        # Redeemed visit: the caller passes the per-visit value the client paid.
        (LineKind.PREPAID_REDEEM, "20.00", "10", "2.00"),
        # Sold, not performed: nothing until each visit is redeemed.
        (LineKind.PREPAID_SALE, "100.00", "10", "0.00"),
        (LineKind.PRODUCT, "50.00", "10", "0.00"),
        (LineKind.ADDON_BUY, "50.00", "10", "0.00"),
        (LineKind.ADDON_USE, "0.00", "10", "0.00"),
        (LineKind.MEMBERSHIP_FIRST, "79.00", "10", "0.00"),
        (LineKind.MEMBERSHIP_RENEWAL, "79.00", "10", "0.00"),
        (LineKind.ACCOUNT_CREDIT_PURCHASE, "50.00", "10", "0.00"),
        (LineKind.BANKED_UNITS_PURCHASE, "50.00", "10", "0.00"),
    ],
)
def test_single_system_pays_only_for_performed_services(
    kind: LineKind, net: str, rate: str, expected: str
) -> None:
    result = commission_for_line(SINGLE, kind, D(net), D(rate), D("9.99"), D("9.99"), "GBP")
    assert result == D(expected)
    assert result.as_tuple().exponent == -2


def test_single_system_prepaid_package_pays_once_per_performed_visit() -> None:
    # $20 x 5 sold with Qty Used 1: the sale earns nothing, each of the 5 visits earns 10%.
    sale = commission_for_line(
        SINGLE, LineKind.PREPAID_SALE, D("100.00"), D(10), None, None, currency="GBP"
    )
    visits = [
        commission_for_line(
            SINGLE, LineKind.PREPAID_REDEEM, D("20.00"), D(10), None, None, currency="GBP"
        )
        for _ in range(5)
    ]
    assert sale + sum(visits, start=D(0)) == D("10.00")


@pytest.mark.parametrize(
    ("kind", "sale", "redeem", "quantity", "expected"),
    [
        (LineKind.PREPAID_SALE, "3.00", "5.00", 5, "15.00"),  # per visit sold
        (LineKind.PREPAID_REDEEM, "3.00", "5.00", 1, "5.00"),
        (LineKind.PREPAID_REDEEM, "3.00", "5.00", 2, "10.00"),
        (LineKind.SERVICE, "3.00", "5.00", 1, "8.00"),  # sold and performed at once
        (LineKind.SERVICE, "3.00", None, 1, "3.00"),
        (LineKind.PREPAID_SALE, None, "5.00", 5, "0.00"),  # unset means none for that event
        (LineKind.PREPAID_REDEEM, "3.00", None, 1, "0.00"),
        (LineKind.PRODUCT, "3.00", "5.00", 1, "0.00"),
        (LineKind.MEMBERSHIP_FIRST, "3.00", "5.00", 1, "0.00"),
    ],
)
def test_dual_system_pays_fixed_amounts_on_sale_and_redemption(
    kind: LineKind, sale: str | None, redeem: str | None, quantity: int, expected: str
) -> None:
    result = commission_for_line(
        DUAL,
        kind,
        D("100.00"),
        D(10),
        None if sale is None else D(sale),
        None if redeem is None else D(redeem),
        "GBP",
        quantity=quantity,
    )
    assert result == D(expected)


def test_dual_system_ignores_the_percentage_and_net() -> None:
    low = commission_for_line(DUAL, LineKind.SERVICE, D("1.00"), D(0), D(2), D(3), currency="GBP")
    high = commission_for_line(
        DUAL, LineKind.SERVICE, D("500.00"), D(50), D(2), D(3), currency="GBP"
    )
    assert low == high == D("5.00")


@pytest.mark.parametrize(
    ("system", "net", "rate", "sale", "quantity"),
    [
        (SINGLE, "-1.00", "10", None, 1),
        (SINGLE, "10.00", "101", None, 1),
        (SINGLE, "10.00", "-1", None, 1),
        (DUAL, "10.00", "10", "-2.00", 1),
        (DUAL, "10.00", "10", "2.00", -1),
    ],
)
def test_bad_configuration_is_a_programming_error(
    system: CommissionSystem, net: str, rate: str, sale: str | None, quantity: int
) -> None:
    with pytest.raises(ValueError):
        commission_for_line(
            system,
            LineKind.SERVICE,
            D(net),
            D(rate),
            None if sale is None else D(sale),
            None,
            quantity=quantity,
            currency="GBP",
        )
