"""Commissions per staff member for a period (docs/rules.md#commission, K5), each line
traceable to its ticket: the rows checkout wrote under the store's system at the time
(single or dual, K1-K2) and the negative rows a refund wrote (K3).

A refund is shown where it happened: the commission stays in the period it was earned in
and the refund's negative row falls in the period of the refund, so a period's total is
what its days earned net of what they took back, and a period already paid out is never
rewritten by a later refund. Both rows name the ticket, and each says whether the ticket
has been refunded since.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from frontdesk.db.tables import Commission, Staff, Ticket, TicketLine
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.money import from_minor
from frontdesk.domain.permissions import Perm
from frontdesk.domain.rollforward import day_bounds
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.staff import require
from frontdesk.views.ledger_reports import CommissionLine, CommissionReport, StaffCommission


class CommissionReports(Area):
    """What each staff member earned in commission over a period."""

    async def for_period(
        self,
        first: dt.date,
        last: dt.date,
        *,
        location_id: int | None = None,
        tz: dt.tzinfo | None = None,
    ) -> CommissionReport:
        """Every commission row written from the start of `first` to the end of `last`
        (local days, `tz`; None: this machine's), per staff member by name, oldest first.
        `location_id`: tickets taken at that location only."""
        try:
            start, end = day_bounds(first, last, tz)
        except ValueError:
            raise ValidationError("to", "The period ends before it starts") from None
        stmt = (
            select(
                Commission, Staff.name, TicketLine.description, TicketLine.kind, Ticket.reversed_at
            )
            .join(Staff, Staff.id == Commission.staff_id)
            .join(TicketLine, TicketLine.id == Commission.ticket_line_id)
            .join(Ticket, Ticket.id == Commission.ticket_id)
            .where(Commission.created_at >= start, Commission.created_at < end)
            .order_by(Staff.name, Staff.id, Commission.created_at, Commission.id)
        )
        if location_id is not None:
            stmt = stmt.where(Ticket.location_id == location_id)
        async with self.ctx.read() as session:
            await require(session, self.ctx.actor, Perm.REPORTS)
            store = await load_store(session)
            rows = (await session.execute(stmt)).all()
        cur = store.currency
        per_staff: dict[int, tuple[str, list[CommissionLine]]] = {}
        for row, staff_name, description, line_kind, reversed_at in rows:
            _, lines = per_staff.setdefault(row.staff_id, (staff_name, []))
            lines.append(
                CommissionLine(
                    commission_id=row.id,
                    at=_utc(row.created_at),
                    ticket_id=row.ticket_id,
                    ticket_line_id=row.ticket_line_id,
                    description=description,
                    line_kind=line_kind,
                    kind=row.kind,
                    amount=from_minor(row.amount_minor, cur),
                    refunded=reversed_at is not None,
                )
            )
        return CommissionReport(
            currency=cur,
            locale=store.locale,
            first=first,
            last=last,
            system=store.commission_system,
            location_id=location_id,
            staff=tuple(
                StaffCommission(staff_id=sid, staff_name=name, lines=tuple(lines))
                for sid, (name, lines) in per_staff.items()
            ),
        )


def _utc(at: dt.datetime) -> dt.datetime:
    """SQLite hands a stored UTC time back without its zone."""
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
