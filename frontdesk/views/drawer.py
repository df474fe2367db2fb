"""The cash drawer as the Drawer screen shows it (docs/rules.md#cash-drawer)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from frontdesk.views import InStoreMoney, View


class DrawerEventView(View):
    id: int
    kind: str  # frontdesk.domain.drawer.DrawerEvent
    amount: Decimal
    note: str
    staff_name: str
    terminal: str
    created_at: dt.datetime


class DrawerView(InStoreMoney):
    """Today's drawer on one terminal at one location: its lines, what it should hold and
    the last close's count. `state` is a `DrawerState` value; amounts are store money."""

    location_id: int
    terminal: str
    business_date: dt.date
    state: str
    float_amount: Decimal
    cash_tenders: Decimal
    cash_in: Decimal
    paid_out: Decimal
    expected: Decimal
    counted: Decimal | None = None
    difference: Decimal | None = None
    close_note: str = ""
    events: tuple[DrawerEventView, ...] = ()
    # True when a resend of the same key answers with the first result.
    replayed: bool = False
