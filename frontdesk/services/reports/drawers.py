"""The day report's cash drawers (docs/rules.md#cash-drawer, #day-report): per terminal,
the float, cash in and paid out with their reasons, and the last close's count against
what was expected then. Read from the drawer's append-only events, never recomputed: the
difference shown is the one recorded when the drawer was counted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import CashDrawer, CashDrawerEvent, Location
from frontdesk.domain.drawer import DrawerEvent
from frontdesk.domain.money import from_minor
from frontdesk.views.reports import DrawerLine, DrawerMove

_MOVES = {DrawerEvent.CASH_IN.value: "cash in", DrawerEvent.PAID_OUT.value: "paid out"}


@dataclass
class _Drawer:
    """One drawer's events summed as they are read."""

    terminal: str
    location_name: str
    state: str
    minor: dict[str, int] = field(default_factory=dict)  # by event kind
    moves: list[DrawerMove] = field(default_factory=list)
    close: CashDrawerEvent | None = None  # the last one

    def add(self, event: CashDrawerEvent, currency: str) -> None:
        self.minor[event.kind] = self.minor.get(event.kind, 0) + event.amount_minor
        if event.kind in _MOVES:
            amount = from_minor(event.amount_minor, currency)
            self.moves.append(DrawerMove(kind=_MOVES[event.kind], amount=amount, reason=event.note))
        if event.kind == DrawerEvent.CLOSE.value:
            self.close = event

    def line(self, currency: str) -> DrawerLine:
        close = self.close
        return DrawerLine(
            terminal=self.terminal,
            location_name=self.location_name,
            state=self.state,
            float_amount=from_minor(self.minor.get(DrawerEvent.OPEN.value, 0), currency),
            cash_in=from_minor(self.minor.get(DrawerEvent.CASH_IN.value, 0), currency),
            paid_out=from_minor(self.minor.get(DrawerEvent.PAID_OUT.value, 0), currency),
            moves=tuple(self.moves),
            counted=None if close is None else from_minor(close.amount_minor, currency),
            expected=(
                None
                if close is None or close.expected_minor is None
                else from_minor(close.expected_minor, currency)
            ),
            difference=(
                None
                if close is None or close.difference_minor is None
                else from_minor(close.difference_minor, currency)
            ),
            note="" if close is None else close.note,
        )


async def drawer_lines(
    session: AsyncSession, on: dt.date, location_id: int | None, currency: str
) -> tuple[DrawerLine, ...]:
    """Every drawer of business day `on` (at `location_id`; None: all), by location and
    terminal, each with its events in order."""
    stmt = (
        select(CashDrawer, Location.name, CashDrawerEvent)
        .join(Location, Location.id == CashDrawer.location_id)
        .join(CashDrawerEvent, CashDrawerEvent.drawer_id == CashDrawer.id)
        .where(CashDrawer.business_date == on)
        .order_by(Location.name, CashDrawer.terminal, CashDrawerEvent.id)
    )
    if location_id is not None:
        stmt = stmt.where(CashDrawer.location_id == location_id)
    drawers: dict[int, _Drawer] = {}
    for drawer, place, event in (await session.execute(stmt)).all():
        summed = drawers.setdefault(drawer.id, _Drawer(drawer.terminal, place, drawer.state))
        summed.add(event, currency)
    return tuple(d.line(currency) for d in drawers.values())
