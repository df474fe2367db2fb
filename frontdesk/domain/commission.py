"""Staff commission per checkout line, under the salon's chosen commission system.

Decision (docs/rules.md#commission: "the same rules apply to prepaid services as to
normally sold/scheduled services"):

* **Single** system - commission is earned only when a service is *performed*, never when
  it is merely sold. A ``service`` line earns ``service_rate_percent`` of its net amount.
  A ``prepaid_redeem`` line is priced 0.00, so the caller passes the value the client
  paid for the visits redeemed (`paid_value_of_visits`) as ``net_amount``; it earns the
  same rate. A ``prepaid_sale`` line earns nothing: its visits have not been performed.
  Visits performed on the day of the sale (Qty Used) are performed visits like any
  other, so the caller records them as a ``prepaid_redeem`` commission on their share of
  the sale's net. Products, add-ons, memberships and credit purchases earn nothing here
  (service commission only).
* **Dual** system - fixed amounts set per service: ``sale_amount`` per visit when a
  service is sold and ``redeem_amount`` per visit when it is performed. A ``prepaid_sale``
  earns the sale amount for each visit sold, a ``prepaid_redeem`` the redeem amount for
  each visit redeemed, and an ordinary ``service`` line (sold and performed at once) earns
  both for each visit on it. An amount left unset (None) means the service pays nothing
  for that event.

Percentages are rounded half-up to the minor unit once per line.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from frontdesk.domain.checkout import LineKind
from frontdesk.domain.money import currency_exponent, from_minor, percent_of, round_half_up


class CommissionSystem(StrEnum):
    SINGLE = "single"
    DUAL = "dual"

    @property
    def label(self) -> str:
        """As the store settings name it (seed 004: one amount, or sale + redeem)."""
        return "Single" if self is CommissionSystem.SINGLE else "Dual (sale + redeem)"


def commission_for_line(
    system: CommissionSystem,
    line_kind: LineKind,
    net_amount: Decimal,
    service_rate_percent: Decimal,
    sale_amount: Decimal | None,
    redeem_amount: Decimal | None,
    currency: str,
    *,
    quantity: int = 1,
) -> Decimal:
    """Commission earned by the staff member on one line (see the module docstring).

    ``quantity`` is the number of visits on the line and only matters in the dual system,
    whose amounts are per visit; the single system works from ``net_amount``, which
    already covers every visit on the line.
    """
    if net_amount < 0:
        raise ValueError("net_amount must not be negative")
    if quantity < 0:
        raise ValueError("quantity must not be negative")
    if not Decimal(0) <= service_rate_percent <= Decimal(100):
        raise ValueError("service_rate_percent must be between 0 and 100")
    zero = from_minor(0, currency)

    if system is CommissionSystem.SINGLE:
        if line_kind in (LineKind.SERVICE, LineKind.PREPAID_REDEEM):
            return percent_of(net_amount, service_rate_percent, currency)
        return zero

    sale = sale_amount if sale_amount is not None else zero
    redeem = redeem_amount if redeem_amount is not None else zero
    if sale < 0 or redeem < 0:
        raise ValueError("Commission amounts must not be negative")
    if line_kind is LineKind.PREPAID_SALE:
        per_visit = sale
    elif line_kind is LineKind.PREPAID_REDEEM:
        per_visit = redeem
    elif line_kind is LineKind.SERVICE:
        per_visit = sale + redeem
    else:
        return zero
    return round_half_up(per_visit * quantity, currency)


def paid_value_of_visits(paid_minor: int, visits_paid: int, visits: int, currency: str) -> Decimal:
    """What the client paid for ``visits`` prepaid visits, at the average price per visit
    of their purchases (``paid_minor`` net for ``visits_paid`` visits).

    Not rounded: the commission that uses it rounds once per line. Multiplying before
    dividing keeps it exact whenever it can be (3 visits of 100.00 for 3 is 100.00).
    """
    if visits_paid <= 0 or paid_minor < 0 or visits < 0:
        raise ValueError("paid visits must be positive, amounts and visits not negative")
    exponent = Decimal(10) ** -currency_exponent(currency)
    return Decimal(paid_minor * visits) / Decimal(visits_paid) * exponent
