"""Takings by day over a period (issue 17, item 5: the Reports screen's 30-day chart).

One query over the period's payments, bucketed by the desk's local day: each day's amount
is what that day's report calls its tenders total (net of change and of refunds paid
back), at the same place (`place_of`, as `day.py` places a payment), so the chart and the
day report never disagree. Reading 30 day reports for one chart would be 30 transactions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import aliased

from frontdesk.db.tables import Payment, Staff, Ticket
from frontdesk.domain.business_day import business_day
from frontdesk.domain.day_report import place_of
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.money import from_minor
from frontdesk.domain.permissions import Perm
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.staff import require
from frontdesk.views.reports import DailyTakings, DayTakings

TicketStaff = aliased(Staff)
RowStaff = aliased(Staff)
LONGEST = 366  # a year of days: the chart's longest period


def _local_day(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().date()


class TakingsCases(Area):
    async def takings_by_day(
        self, first: dt.date, last: dt.date, location_id: int | None = None
    ) -> DailyTakings:
        """Net tenders per business day from `first` to `last` (both included), every day
        listed (a zero when nothing was taken). Needs the reports permission."""
        if first > last:
            raise ValidationError("first", "The first day is after the last")
        if (last - first).days >= LONGEST:
            raise ValidationError("first", f"At most {LONGEST} days at once")
        start, _ = business_day(first)
        _, end = business_day(last)
        async with self.ctx.read() as session:
            await require(session, self.ctx.actor, Perm.REPORTS)
            store = await load_store(session)
            rows = await session.execute(
                select(
                    Payment.ticket_id,
                    Payment.amount_minor,
                    Payment.change_minor,
                    Payment.created_at,
                    Ticket.location_id,
                    TicketStaff.location_id,
                    RowStaff.location_id,
                )
                .outerjoin(Ticket, Ticket.id == Payment.ticket_id)
                .outerjoin(TicketStaff, TicketStaff.id == Ticket.staff_id)
                .outerjoin(RowStaff, RowStaff.id == Payment.staff_id)
                .where(Payment.created_at >= start, Payment.created_at < end)
            )
            minor: dict[dt.date, int] = defaultdict(int)
            for ticket_id, paid, change, at, t_loc, t_staff_loc, staff_loc in rows.all():
                place = place_of(t_loc, None, t_staff_loc) if ticket_id is not None else staff_loc
                if location_id is None or place == location_id:
                    minor[_local_day(at)] += paid - change
        cur = store.currency
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        return DailyTakings(
            currency=cur,
            locale=store.locale,
            first=first,
            last=last,
            location_id=location_id,
            days=tuple(DayTakings(day=d, amount=from_minor(minor[d], cur)) for d in days),
        )
