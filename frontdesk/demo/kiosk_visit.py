"""A client for the kiosk to greet (issue 18, item 1): someone whose Select benefit
choice is waiting gets an appointment today, so `frontdesk kiosk --demo --location L`
shows the whole path: check-in, balances, the choice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from frontdesk.db.tables import Appointment, Client, Membership, MembershipCycle, Staff
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.renewals import Benefit
from frontdesk.services.desk import Desk

WORK_ROLES = ("owner", "manager", "front_desk")
FIRST_SLOT, LAST_SLOT = dt.time(9, 0), dt.time(18, 0)


async def book_kiosk_visit(desk: Desk, today: dt.date, location_ids: list[int]) -> None:
    """Book the first client with a choice waiting today at the first location, unless
    one of them already has an appointment today."""
    if not location_ids:
        return
    start = dt.datetime.combine(today, dt.time.min)
    async with desk.ctx.read() as session:
        waiting = (
            await session.execute(
                select(Membership.client_id, MembershipCycle.offer_service_id)
                .join(Membership, Membership.id == MembershipCycle.membership_id)
                .join(Client, Client.id == Membership.client_id)
                .where(
                    MembershipCycle.benefit == Benefit.PENDING.value,
                    MembershipCycle.cycle_end > today,
                    MembershipCycle.offer_service_id.is_not(None),
                    Client.merged_into_id.is_(None),
                )
                .order_by(Membership.client_id)
            )
        ).all()
        booked_today = set(
            await session.scalars(
                select(Appointment.client_id).where(
                    Appointment.starts_at >= start,
                    Appointment.starts_at < start + dt.timedelta(days=1),
                )
            )
        )
        staff = list(
            await session.scalars(
                select(Staff.id)
                .where(Staff.active.is_(True), Staff.role.not_in(WORK_ROLES))
                .where((Staff.location_id == location_ids[0]) | Staff.location_id.is_(None))
                .order_by(Staff.id)
            )
        )
    if not waiting or any(client in booked_today for client, _ in waiting):
        return
    client_id, service_id = waiting[0]
    slot = dt.datetime.combine(today, FIRST_SLOT)
    while slot.time() <= LAST_SLOT:
        for staff_id in staff:
            try:
                await desk.appointments.book(
                    client_id=client_id,
                    service_id=service_id or 0,
                    staff_id=staff_id,
                    location_id=location_ids[0],
                    starts_at=slot,
                )
                return
            except ValidationError:
                continue  # that person is busy then
        slot += dt.timedelta(minutes=30)
