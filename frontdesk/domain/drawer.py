"""The cash drawer's rules (docs/rules.md#cash-drawer): what it should hold, what a close
records, when it takes cash. Pure: amounts are integer minor units of the store currency.

A drawer belongs to one location, one terminal and one business day. Its history is a
list of events (open, cash in, paid out, close, reopen), never changed; what it should
hold at any moment is

    expected = float + cash tenders kept (amount − change, refunds negative)
               + cash in − paid out

and a close records the counted cash and the difference counted − expected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from frontdesk.domain.business_day import business_day
from frontdesk.domain.errors import ValidationError

NOTE_MAX = 200


class DrawerEvent(StrEnum):
    OPEN = "open"
    CASH_IN = "cash_in"
    PAID_OUT = "paid_out"
    CLOSE = "close"
    REOPEN = "reopen"


class DrawerState(StrEnum):
    """No drawer opened today (cash is still taken: opening is optional, D2), open, or
    closed (no cash until a manager reopens it, D4)."""

    NOT_OPENED = "not_opened"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class DrawerTotals:
    """The day's cash movements through one drawer, in minor units."""

    float_minor: int = 0
    cash_tenders_minor: int = 0
    cash_in_minor: int = 0
    paid_out_minor: int = 0

    @property
    def expected_minor(self) -> int:
        return self.float_minor + self.cash_tenders_minor + self.cash_in_minor - self.paid_out_minor


def state_after(events: list[DrawerEvent]) -> DrawerState:
    """The state a drawer's events leave it in, oldest first."""
    state = DrawerState.NOT_OPENED
    for event in events:
        if event in (DrawerEvent.OPEN, DrawerEvent.REOPEN):
            state = DrawerState.OPEN
        elif event is DrawerEvent.CLOSE:
            state = DrawerState.CLOSED
    return state


def check_can(event: DrawerEvent, state: DrawerState, terminal: str) -> None:
    """Refuse an event the drawer's state does not allow, at the field a screen shows."""
    if event is DrawerEvent.OPEN:
        if state is not DrawerState.NOT_OPENED:
            raise ValidationError("float", f"The cash drawer on {terminal} is already open today")
        return
    if event is DrawerEvent.REOPEN:
        if state is not DrawerState.CLOSED:
            raise ValidationError("drawer", f"The cash drawer on {terminal} is not closed")
        return
    if state is DrawerState.NOT_OPENED:
        raise ValidationError("drawer", f"Open the cash drawer on {terminal} first")
    if state is DrawerState.CLOSED:
        raise ValidationError("drawer", closed_message(terminal))


def closed_message(terminal: str) -> str:
    return f"The cash drawer on {terminal} is closed for today — a manager can reopen it"


def check_close_note(difference_minor: int, note: str) -> None:
    """A close that does not balance says why (D3); one that balances may say nothing."""
    if difference_minor != 0 and not note:
        raise ValidationError("note", "The count differs from the expected amount: say why")


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The drawer's business day as a UTC range [start, end): the store's one rule."""
    return business_day(day)
