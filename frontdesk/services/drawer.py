"""The cash drawer (issue 17, item 1; docs/rules.md#cash-drawer): `desk.drawer`.

One drawer per location, terminal and business day. Open it with a float, put cash in or
pay cash out with a reason, close it by typing the counted cash: the close records what
the drawer should hold (`frontdesk.domain.drawer`: float + the day's cash tenders on this
terminal at this location + cash in − paid out) and the difference. A closed drawer takes
no cash until a manager reopens it; checkout asks `refuse_cash_if_closed` under the same
row lock the close takes, so on PostgreSQL a cash sale and a close on one drawer never
overlap: the sale either lands before the close counts it, or is refused after.

Every event is a new row (never updated or deleted); the head row's `state` is a cached
summary of them, changed under its lock.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import CashDrawer, CashDrawerEvent, Location, Payment, Ticket
from frontdesk.db.tables import Staff as StaffRow
from frontdesk.db.tables.base import local_today
from frontdesk.domain.drawer import (
    DrawerEvent,
    DrawerState,
    DrawerTotals,
    check_can,
    check_close_note,
    closed_message,
    day_bounds,
)
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.money import MAX_AMOUNT, from_minor, to_minor
from frontdesk.domain.parsing import clean_description
from frontdesk.domain.permissions import Perm
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.staff import require
from frontdesk.services.write_keys import real_outcome
from frontdesk.views import StoreView
from frontdesk.views.drawer import DrawerEventView, DrawerView


async def _head(
    session: AsyncSession, location_id: int, terminal: str, day: dt.date, *, lock: bool
) -> CashDrawer | None:
    """Today's drawer row, locked when `lock` (PostgreSQL: FOR UPDATE; SQLite's BEGIN
    IMMEDIATE already serialises writers)."""
    query = select(CashDrawer).where(
        CashDrawer.location_id == location_id,
        CashDrawer.terminal == terminal,
        CashDrawer.business_date == day,
    )
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def refuse_cash_if_closed(
    session: AsyncSession, location_id: int | None, terminal: str, day: dt.date
) -> None:
    """For checkout, before it writes a cash tender: lock this terminal's drawer for the
    day and refuse cash if it is closed (D4). No drawer opened today, or a ticket with no
    location, takes cash as before: opening a drawer is optional (D2)."""
    if location_id is None:
        return
    drawer = await _head(session, location_id, terminal, day, lock=True)
    if drawer is not None and drawer.state == DrawerState.CLOSED.value:
        raise ValidationError("tenders", closed_message(terminal))


async def refuse_cash_if_terminal_closed(
    session: AsyncSession, terminal: str, day: dt.date, *, field: str = "method"
) -> None:
    """For cash taken without a ticket (Pay Balance): it has no location, so it counts
    in this terminal's drawer wherever that is (D3), and is refused while any of them is
    closed today. Locks them, as checkout and the close do."""
    states = (
        await session.scalars(
            select(CashDrawer.state)
            .where(CashDrawer.terminal == terminal, CashDrawer.business_date == day)
            .order_by(CashDrawer.id)
            .with_for_update()
        )
    ).all()
    if DrawerState.CLOSED.value in states:
        raise ValidationError(field, closed_message(terminal))


async def _cash_tenders_minor(
    session: AsyncSession, location_id: int, terminal: str, day: dt.date
) -> int:
    """The cash kept on `terminal` on `day` for tickets at `location_id`: each cash
    payment less its change; a refund's twin is negative. A Pay Balance in cash has no
    ticket and so no location: it counts in the drawer of the terminal that took it."""
    start, end = day_bounds(day)
    total = await session.scalar(
        select(func.coalesce(func.sum(Payment.amount_minor - Payment.change_minor), 0))
        .select_from(Payment)
        .outerjoin(Ticket, Ticket.id == Payment.ticket_id)
        .where(
            Payment.method == "cash",
            Payment.terminal == terminal,
            Payment.created_at >= start,
            Payment.created_at < end,
            (Payment.ticket_id.is_(None)) | (Ticket.location_id == location_id),
        )
    )
    return int(total or 0)


def _totals(events: list[CashDrawerEvent], cash_tenders_minor: int) -> DrawerTotals:
    def total(kind: DrawerEvent) -> int:
        return sum(e.amount_minor for e in events if e.kind == kind.value)

    return DrawerTotals(
        float_minor=total(DrawerEvent.OPEN),
        cash_tenders_minor=cash_tenders_minor,
        cash_in_minor=total(DrawerEvent.CASH_IN),
        paid_out_minor=total(DrawerEvent.PAID_OUT),
    )


def _amount_minor(amount: Decimal, currency: str, field: str, *, allow_zero: bool) -> int:
    """An amount staff typed, in exact minor units, or a message at its field."""
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
        floor = "zero or more" if allow_zero else "an amount greater than zero"
        raise ValidationError(field, f"Enter {floor}")
    if amount > MAX_AMOUNT:
        raise ValidationError(field, f"Amount is over the {MAX_AMOUNT:f} limit")
    try:
        return to_minor(amount, currency)
    except ValueError:
        raise ValidationError(field, f"Too many decimal places for {currency}") from None


class CashDrawerArea(Area):
    """Today's drawer on this terminal: read, open, cash in, paid out, close, reopen."""

    async def today(self, location_id: int) -> DrawerView:
        """Today's drawer on this terminal at `location_id` (a drawer not opened yet reads
        as "not opened", with today's cash tenders all the same)."""
        async with self.ctx.read() as session:
            store = await load_store(session)
            await self._location(session, location_id)
            day = local_today()
            drawer = await _head(session, location_id, self.ctx.actor.terminal, day, lock=False)
            return await self._view(session, store, location_id, day, drawer)

    @real_outcome(DrawerView)
    async def open(self, location_id: int, float_amount: Decimal, *, key: str) -> DrawerView:
        """Open today's drawer with its float (zero or more)."""
        return await self._write(
            location_id, DrawerEvent.OPEN, float_amount, "", key=key, field="float"
        )

    @real_outcome(DrawerView)
    async def cash_in(
        self, location_id: int, amount: Decimal, reason: str, *, key: str
    ) -> DrawerView:
        """Cash put into the open drawer, with its reason."""
        return await self._write(
            location_id, DrawerEvent.CASH_IN, amount, reason, key=key, field="amount"
        )

    @real_outcome(DrawerView)
    async def paid_out(
        self, location_id: int, amount: Decimal, reason: str, *, key: str
    ) -> DrawerView:
        """Cash taken out of the open drawer, with its reason."""
        return await self._write(
            location_id, DrawerEvent.PAID_OUT, amount, reason, key=key, field="amount"
        )

    @real_outcome(DrawerView)
    async def close(self, location_id: int, counted: Decimal, note: str, *, key: str) -> DrawerView:
        """Close today's drawer with the cash counted in it; the difference from the
        expected amount is recorded, and needs a note when it is not zero (D3)."""
        return await self._write(
            location_id, DrawerEvent.CLOSE, counted, note, key=key, field="counted"
        )

    @real_outcome(DrawerView)
    async def reopen(self, location_id: int, reason: str, *, key: str) -> DrawerView:
        """A manager reopens a closed drawer (D4), saying why."""
        return await self._write(
            location_id, DrawerEvent.REOPEN, Decimal(0), reason, key=key, field="reason"
        )

    async def _write(
        self,
        location_id: int,
        event: DrawerEvent,
        amount: Decimal,
        text: str,
        *,
        key: str,
        field: str,
    ) -> DrawerView:
        note = self._text(event, text)
        permission = Perm.REOPEN_DRAWER if event is DrawerEvent.REOPEN else Perm.TAKE_PAYMENTS
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, permission)
            store = await load_store(session)
            moves = event in (DrawerEvent.CASH_IN, DrawerEvent.PAID_OUT)
            minor = _amount_minor(amount, store.currency, field, allow_zero=not moves)
            claim = await self.claim(
                session,
                key,
                f"drawer.{event.value}",
                location_id=location_id,
                amount=minor,
                note=note,
            )
            if (first := claim.replay(DrawerView)) is not None:
                return first
            await self._location(session, location_id)
            day = local_today()
            drawer = await self._append(session, location_id, day, event, minor, note)
            view = await self._view(session, store, location_id, day, drawer)
            return await claim.done(session, view)

    async def _append(
        self,
        session: AsyncSession,
        location_id: int,
        day: dt.date,
        event: DrawerEvent,
        minor: int,
        note: str,
    ) -> CashDrawer:
        """Under the drawer's lock: check the event against its state, write it, and
        bring the head's state along (a first open makes the head)."""
        terminal = self.ctx.actor.terminal
        drawer = await _head(session, location_id, terminal, day, lock=True)
        state = DrawerState(drawer.state) if drawer is not None else DrawerState.NOT_OPENED
        check_can(event, state, terminal)
        if drawer is None:
            drawer = CashDrawer(
                location_id=location_id,
                terminal=terminal,
                business_date=day,
                state=DrawerState.OPEN.value,
            )
            session.add(drawer)
            await session.flush()
        row = CashDrawerEvent(
            drawer_id=drawer.id,
            kind=event.value,
            amount_minor=minor,
            note=note,
            staff_id=self.ctx.actor.staff_id,
            terminal=terminal,
        )
        if event is DrawerEvent.CLOSE:
            # Counted under the lock: a cash sale on this drawer either committed before
            # it (and is counted) or waits for it and is then refused.
            totals = await self._totals(session, drawer, location_id, day)
            row.expected_minor = totals.expected_minor
            row.difference_minor = minor - totals.expected_minor
            check_close_note(row.difference_minor, note)
        session.add(row)
        closing = event is DrawerEvent.CLOSE
        drawer.state = DrawerState.CLOSED.value if closing else DrawerState.OPEN.value
        await session.flush()
        return drawer

    @staticmethod
    def _text(event: DrawerEvent, text: str) -> str:
        """The reason (cash in, paid out, reopen: required) or a close's note (required
        only when the count differs, checked once the difference is known)."""
        if event is DrawerEvent.OPEN:
            return ""
        if event is DrawerEvent.CLOSE:
            return clean_description(text, field="note", required=False)
        return clean_description(text, field="reason")

    @staticmethod
    async def _location(session: AsyncSession, location_id: int) -> None:
        if await session.get(Location, location_id) is None:
            raise NotFound("location")

    async def _totals(
        self, session: AsyncSession, drawer: CashDrawer, location_id: int, day: dt.date
    ) -> DrawerTotals:
        events = await self._events(session, drawer.id)
        tenders = await _cash_tenders_minor(session, location_id, drawer.terminal, day)
        return _totals(events, tenders)

    @staticmethod
    async def _events(session: AsyncSession, drawer_id: int) -> list[CashDrawerEvent]:
        return list(
            (
                await session.execute(
                    select(CashDrawerEvent)
                    .where(CashDrawerEvent.drawer_id == drawer_id)
                    .order_by(CashDrawerEvent.id)
                )
            )
            .scalars()
            .all()
        )

    async def _view(
        self,
        session: AsyncSession,
        store: StoreView,
        location_id: int,
        day: dt.date,
        drawer: CashDrawer | None,
    ) -> DrawerView:
        terminal = self.ctx.actor.terminal
        cur = store.currency
        events = await self._events(session, drawer.id) if drawer is not None else []
        totals = _totals(events, await _cash_tenders_minor(session, location_id, terminal, day))
        names = await self._names(session, {e.staff_id for e in events})
        closes = [e for e in events if e.kind == DrawerEvent.CLOSE.value]
        last = closes[-1] if closes else None
        state = DrawerState(drawer.state) if drawer is not None else DrawerState.NOT_OPENED
        return DrawerView(
            currency=cur,
            locale=store.locale,
            location_id=location_id,
            terminal=terminal,
            business_date=day,
            state=state.value,
            float_amount=from_minor(totals.float_minor, cur),
            cash_tenders=from_minor(totals.cash_tenders_minor, cur),
            cash_in=from_minor(totals.cash_in_minor, cur),
            paid_out=from_minor(totals.paid_out_minor, cur),
            expected=from_minor(totals.expected_minor, cur),
            counted=from_minor(last.amount_minor, cur) if last is not None else None,
            difference=(
                from_minor(last.difference_minor, cur)
                if last is not None and last.difference_minor is not None
                else None
            ),
            close_note=last.note if last is not None else "",
            events=tuple(
                DrawerEventView(
                    id=e.id,
                    kind=e.kind,
                    amount=from_minor(e.amount_minor, cur),
                    note=e.note,
                    staff_name=names.get(e.staff_id, "") if e.staff_id is not None else "",
                    terminal=e.terminal,
                    created_at=e.created_at,
                )
                for e in events
            ),
        )

    @staticmethod
    async def _names(session: AsyncSession, ids: set[int | None]) -> dict[int, str]:
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return {}
        rows = await session.execute(
            select(StaffRow.id, StaffRow.name).where(StaffRow.id.in_(wanted))
        )
        return {int(i): str(n) for i, n in rows.all()}
