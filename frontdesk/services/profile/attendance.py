"""Attendance: visits per location, no-shows, cancellations and unpaid past visits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Row, and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Appointment,
    LedgerEntry,
    Location,
    Service,
    Staff,
    StoredValueAccount,
    Ticket,
    TicketLine,
)
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.profile.lookups import load_client
from frontdesk.views.profile import Attendance, LocationVisits, UnpaidVisit

MAX_UNPAID_LISTED = 100
VISIT_STATUSES = ("completed", "checked_in")


async def _missed_counts(session: AsyncSession, mine: ColumnElement[bool]) -> dict[str, int]:
    """No-shows and cancellations, by status."""
    rows = await session.execute(
        select(Appointment.status, func.count())
        .where(mine, Appointment.status.in_(("no_show", "cancelled")))
        .group_by(Appointment.status)
    )
    return {status: int(n) for status, n in rows.all()}


async def _visits_per_location(
    session: AsyncSession, is_visit: ColumnElement[bool]
) -> Sequence[Row[int, str, int]]:
    """(location id, name, visits), most visited first."""
    rows = await session.execute(
        select(Location.id, Location.name, func.count(Appointment.id))
        .join(Appointment, Appointment.location_id == Location.id)
        .where(is_visit)
        .group_by(Location.id, Location.name)
        .order_by(func.count(Appointment.id).desc(), Location.name)
    )
    return rows.all()


def _unpaid(client_id: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Conditions on an appointment: no unreversed ticket line and no unreversed prepaid
    redemption of this client's pays for it."""
    paid_by_ticket = exists().where(
        TicketLine.appointment_id == Appointment.id,
        TicketLine.ticket_id == Ticket.id,
        Ticket.reversed_at.is_(None),
    )
    client_accounts = select(StoredValueAccount.id).where(
        StoredValueAccount.client_id == client_id,
        StoredValueAccount.kind == StoredValueKind.PREPAID_VISITS.value,
    )
    reverser = LedgerEntry.__table__.alias("reverser")
    paid_by_prepaid = exists().where(
        LedgerEntry.account_id.in_(client_accounts.scalar_subquery()),
        LedgerEntry.appointment_id == Appointment.id,
        LedgerEntry.reason == Reason.REDEEM.value,
        ~exists().where(reverser.c.reverses_entry_id == LedgerEntry.id),
    )
    return ~paid_by_ticket, ~paid_by_prepaid


async def _unpaid_rows(
    session: AsyncSession, unpaid_where: ColumnElement[bool]
) -> Sequence[Row[Appointment, str, int, str, str]]:
    """The newest unpaid visits (at most MAX_UNPAID_LISTED) with the names they show."""
    rows = await session.execute(
        select(Appointment, Service.name, Service.price_minor, Staff.name, Location.name)
        .join(Service, Service.id == Appointment.service_id)
        .join(Staff, Staff.id == Appointment.staff_id)
        .join(Location, Location.id == Appointment.location_id)
        .where(unpaid_where)
        .order_by(Appointment.starts_at.desc(), Appointment.id.desc())
        .limit(MAX_UNPAID_LISTED)
    )
    return rows.all()


class AttendanceCases(Area):
    """The Attendance tab."""

    async def attendance(self, client_id: int, *, now: dt.datetime | None = None) -> Attendance:
        """Visits per location, no-shows, cancellations, and past visits nothing has paid.

        A visit (completed or checked in, already started) is paid when a line of a ticket
        that was not reversed covers it, or a prepaid visit was redeemed for it.
        """
        wall_now = (now or dt.datetime.now()).replace(tzinfo=None)
        async with self.ctx.read() as session:
            await load_client(session, client_id)
            currency = (await load_store(session)).currency
            mine = Appointment.client_id == client_id
            counts = await _missed_counts(session, mine)
            is_visit = and_(
                mine, Appointment.status.in_(VISIT_STATUSES), Appointment.starts_at <= wall_now
            )
            per_location = await _visits_per_location(session, is_visit)
            unpaid_where = and_(is_visit, *_unpaid(client_id))
            unpaid_count = int(
                await session.scalar(
                    select(func.count()).select_from(Appointment).where(unpaid_where)
                )
                or 0
            )
            rows = await _unpaid_rows(session, unpaid_where)
            return Attendance(
                visits=sum(n for _, _, n in per_location),
                by_location=tuple(
                    LocationVisits(location_id=i, location_name=name, visits=n)
                    for i, name, n in per_location
                ),
                no_shows=int(counts.get("no_show", 0)),
                cancellations=int(counts.get("cancelled", 0)),
                unpaid_count=unpaid_count,
                unpaid=tuple(
                    UnpaidVisit(
                        appointment_id=a.id,
                        starts_at=a.starts_at,
                        status=a.status,
                        service_name=svc,
                        staff_name=staff_name,
                        location_name=loc,
                        price=from_minor(price, currency),
                    )
                    for a, svc, price, staff_name, loc in rows
                ),
            )
