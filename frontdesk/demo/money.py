"""The demo's money: its own choice of currency and locale, and its prices in any other.

The demo's amounts are written in pence (the salon it imitates is in London). A demo built
in another currency (`frontdesk demo seed --currency JPY --locale ja_JP`) converts each
of them at a fixed, rough rate and rounds to a tidy step, so prices read like a real
price list there (¥18,000, not ¥17,982) and every amount the seed derives from them
(balances, payments, renewals) follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from frontdesk.domain.money_context import MoneyContext

# The demo's own choice (`frontdesk --demo`), stated here and nowhere else.
DEMO_MONEY = MoneyContext("GBP", "en_GB")

# Rough units of each currency per pound: good enough for a demo's price list. A
# currency not listed keeps the numbers as they are (a "£90" treatment costs 90.00).
RATES: dict[str, Decimal] = {
    "GBP": Decimal(1),
    "EUR": Decimal("1.15"),
    "USD": Decimal("1.25"),
    "CHF": Decimal("1.1"),
    "AUD": Decimal("1.9"),
    "CAD": Decimal("1.7"),
    "JPY": Decimal(200),
    "KRW": Decimal(1700),
    "SEK": Decimal(13),
    "NOK": Decimal(13),
    "DKK": Decimal("8.6"),
    "BHD": Decimal("0.48"),
    "KWD": Decimal("0.39"),
}


@dataclass(frozen=True, slots=True)
class DemoMoney:
    """The store's money context plus the conversion of the demo's pence into it."""

    money: MoneyContext

    @property
    def rate(self) -> Decimal:
        return RATES.get(self.money.currency, Decimal(1))

    def minor(self, pence: int) -> int:
        """`pence` (a demo amount in GBP minor units) in the store's minor units, tidy."""
        exponent = self.money.exponent
        if self.rate == 1 and exponent == 2:
            return pence
        # The tidy step in minor units: 10 yen, 0.05 euro, 0.050 dinar.
        step = 10 if exponent == 0 else 5 * 10 ** max(exponent - 2, 0)
        exact = Decimal(pence) / 100 * self.rate * Decimal(10) ** exponent
        steps = (exact / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return int(steps) * step

    def amount(self, pence: int) -> Decimal:
        return self.money.from_minor(self.minor(pence))
