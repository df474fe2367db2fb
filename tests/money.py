"""The test store's currency and locale, and amounts written for it.

Screen tests build their store in `FRONTDESK_TEST_MONEY` ("JPY/ja_JP"; default
"GBP/en_GB") so the whole screen suite can run in another currency (issue 14, item 7).
Tests write amounts as they read in GBP ("41.50"), and these helpers carry them over as
the same number of minor units (41.50 → 4150 pence → ¥4,150): prices, discounts and
half-up rounding then come out the same in every currency, and only what the store
shows and takes changes.
"""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from frontdesk.domain.money import to_minor
from frontdesk.domain.money_context import MoneyContext

ENV = "FRONTDESK_TEST_MONEY"


def _from_env() -> MoneyContext:
    currency, _, locale = os.environ.get(ENV, "GBP/en_GB").partition("/")
    return MoneyContext(currency, locale)


TEST_MONEY = _from_env()
IN_GBP = (TEST_MONEY.currency, TEST_MONEY.locale) == ("GBP", "en_GB")

# For the few tests about GBP's own rules (two decimal places, "£" in a message, the
# pixels of a screenshot); the domain tests cover those rules in other currencies.
gbp_only = pytest.mark.skipif(
    not IN_GBP, reason=f"about GBP/en_GB itself; {ENV}={TEST_MONEY.currency}/{TEST_MONEY.locale}"
)


def amount(gbp: str) -> Decimal:
    """`gbp` ("41.50", "-5") as the same minor units in the test store's currency."""
    return TEST_MONEY.from_minor(to_minor(Decimal(gbp.replace(",", "")), "GBP"))


def money(gbp: str) -> str:
    """How the test store shows `gbp`: "£41.50", "￥4,150"."""
    return TEST_MONEY.format(amount(gbp))


def typed(gbp: str) -> str:
    """What staff type for `gbp` in the test store: "41.50", "4150"."""
    return TEST_MONEY.for_input(amount(gbp))
