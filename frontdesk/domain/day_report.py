"""The day report's rules (issue 17, item 2): which day, which place, which line an entry
feeds, and the check that the takings add up to the tenders. docs/rules.md#day-report.

Pure: integer minor units in, integer minor units out; the service reads the rows and the
read model turns the results into the store's currency.

**The business day** is the store's calendar day on the desk's own clock (the machine's
local time zone, the same clock `local_today` reads): from local midnight to the next
local midnight, so a day across a daylight-saving change is 23 or 25 hours long. Rows
are stamped in UTC; the report converts the two midnights to UTC and takes what lies
between them (start included, end excluded).

**The place** of a row: a ticket's location; a ticket without one (older tickets, the
renewal run) and a row with no ticket (a Pay Balance payment, a manual adjustment) count
at the location of the staff member who wrote it; a ledger entry tied to an appointment
but not a ticket (add-on units used) at the appointment's location. With no location
asked for, the report is the whole store and every row counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from frontdesk.domain.ledger import Reason, StoredValueKind

# Reasons that correct or undo an earlier entry rather than issue or spend value.
CORRECTION_REASONS = frozenset({Reason.REFUND.value, Reason.REVERSAL.value, Reason.MERGE.value})


def local_hour(moment: dt.datetime, tz: dt.tzinfo | None = None) -> int:
    """The hour (0-23) on the desk's clock of an aware UTC `moment`."""
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(tz).hour


def place_of(
    location_id: int | None, appointment_location_id: int | None, staff_location_id: int | None
) -> int | None:
    """Where a row counts (see the module's docstring): its own location first."""
    if location_id is not None:
        return location_id
    if appointment_location_id is not None:
        return appointment_location_id
    return staff_location_id


class Line(StrEnum):
    """The stored-value lines of the report, one per thing a client can hold."""

    BEAUTY_BANK = "Beauty Bank"
    ACCOUNT_CREDIT = "Account credit"
    OWED = "Owed"
    PREPAID_VISITS = "Prepaid visits"
    BANKED_UNITS = "Banked units"


# What the "in" and "out" columns mean on each line, as the report heads them.
LINE_WORDS: dict[Line, tuple[str, str]] = {
    Line.BEAUTY_BANK: ("issued", "spent"),
    Line.ACCOUNT_CREDIT: ("issued", "used"),
    Line.OWED: ("charged", "paid"),
    Line.PREPAID_VISITS: ("sold", "redeemed"),
    Line.BANKED_UNITS: ("bought", "used"),
}


@dataclass(frozen=True, slots=True)
class Share:
    """One entry's effect on one line: `amount` in the line's own terms (value going up
    is positive), `count` in visits or units (0 for money)."""

    line: Line
    amount: int
    count: int
    correction: bool


@dataclass(slots=True)
class Movement:
    """A line's day: in and out (both ≥ 0), corrections (signed), all in minor units;
    `count_in`/`count_out` in visits or units. net = in − out + corrections."""

    line: Line
    amount_in: int = 0
    amount_out: int = 0
    corrections: int = 0
    count_in: int = 0
    count_out: int = 0

    @property
    def net(self) -> int:
        return self.amount_in - self.amount_out + self.corrections

    def add(self, share: Share) -> None:
        if share.correction:
            self.corrections += share.amount
        elif share.amount > 0:
            self.amount_in += share.amount
            self.count_in += share.count
        else:
            self.amount_out -= share.amount
            self.count_out -= share.count


def shares(
    kind: str, reason: str, amount: int, balance_after: int, unit_value_minor: int
) -> list[Share]:
    """What one ledger entry does to the report's lines.

    Wallet money is the Beauty Bank line. Account money is two lines: a balance above
    zero is credit the client holds, below zero is money they owe, so an entry crossing
    zero is split there (a Pay Balance that clears £20 owed and leaves £10 credit is £20
    paid and £10 credit issued). Visits and units are valued at the sale value of one,
    as the account recorded it (docs/rules.md, L8). Refunds, reversals and merges are
    corrections, kept apart from what was issued or spent.
    """
    correction = reason in CORRECTION_REASONS
    if kind == StoredValueKind.WALLET_MONEY.value:
        return [Share(Line.BEAUTY_BANK, amount, 0, correction)]
    if kind == StoredValueKind.PREPAID_VISITS.value:
        return [Share(Line.PREPAID_VISITS, amount * unit_value_minor, amount, correction)]
    if kind == StoredValueKind.PRODUCT_UNITS.value:
        return [Share(Line.BANKED_UNITS, amount * unit_value_minor, amount, correction)]
    before = balance_after - amount
    credit = max(balance_after, 0) - max(before, 0)
    owed = max(-balance_after, 0) - max(-before, 0)
    out = []
    if credit:
        out.append(Share(Line.ACCOUNT_CREDIT, credit, 0, correction))
    if owed:
        out.append(Share(Line.OWED, owed, 0, correction))
    return out


@dataclass(frozen=True, slots=True)
class TakingsCheck:
    """The report's check on its face: what the tickets say was taken, from their lines,
    equals what the tenders say, from the payments. All in minor units.

    sales − member discount − promotion − Beauty Bank − account credit
      + balance payments − refunds paid back = tenders (card + cash net of change + other)
    """

    sales: int
    membership_discount: int
    promotion_discount: int
    wallet: int
    account_credit: int
    balance_payments: int
    refunds: int
    tenders: int

    @property
    def expected(self) -> int:
        return (
            self.sales
            - self.membership_discount
            - self.promotion_discount
            - self.wallet
            - self.account_credit
            + self.balance_payments
            - self.refunds
        )

    @property
    def difference(self) -> int:
        return self.tenders - self.expected

    @property
    def reconciles(self) -> bool:
        return self.difference == 0
