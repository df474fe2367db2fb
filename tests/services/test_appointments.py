"""Booking, double-booking and the appointment's statuses, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Appointment
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.services import appointments
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.factories import (
    make_appointment,
    make_client,
    make_location,
    make_service,
    make_staff,
    make_store,
)

TEN = dt.datetime(2025, 11, 23, 10, 0)


@dataclass(frozen=True)
class Salon:
    location_id: int
    staff_id: int
    other_staff_id: int
    client_id: int
    other_client_id: int
    service_id: int  # 60 minutes


@pytest.fixture
async def salon(ctx: ServiceContext) -> Salon:
    await make_store(ctx)
    location = await make_location(ctx, name="Main")
    kay = await make_staff(ctx, name="Dr Kay", location_id=location.id)
    raj = await make_staff(ctx, name="Raj", location_id=None)
    ann = await make_client(ctx, first_name="Ann", last_name="Lee")
    bo = await make_client(ctx, first_name="Bo", last_name="Chen")
    service = await make_service(ctx, name="Facial", duration_minutes=60)
    return Salon(location.id, kay.id, raj.id, ann.id, bo.id, service.id)


async def book(
    ctx: ServiceContext,
    d: Salon,
    starts_at: dt.datetime,
    *,
    staff_id: int | None = None,
    client_id: int | None = None,
) -> int:
    view = await Desk(ctx).appointments.book(
        client_id=client_id or d.client_id,
        service_id=d.service_id,
        staff_id=staff_id or d.staff_id,
        location_id=d.location_id,
        starts_at=starts_at,
    )
    return view.id


async def test_book_ends_after_the_service_duration(ctx: ServiceContext, salon: Salon) -> None:
    view = await Desk(ctx).appointments.book(
        client_id=salon.client_id,
        service_id=salon.service_id,
        staff_id=salon.staff_id,
        location_id=salon.location_id,
        starts_at=TEN,
    )
    assert (view.starts_at, view.ends_at) == (TEN, TEN + dt.timedelta(hours=1))
    assert view.status == "booked"
    assert (view.client_name, view.staff_name, view.service_name) == ("Ann Lee", "Dr Kay", "Facial")
    assert await Desk(ctx).appointments.get(view.id) == view


async def test_double_booking_names_the_other_appointment(
    ctx: ServiceContext, salon: Salon
) -> None:
    await book(ctx, salon, TEN, client_id=salon.other_client_id)
    with pytest.raises(ValidationError) as caught:
        await book(ctx, salon, TEN + dt.timedelta(minutes=30))
    assert caught.value.field == "starts_at"
    message = str(caught.value)
    assert "Dr Kay" in message
    assert "23 Nov 10:00–11:00" in message
    assert "Bo Chen" in message


@pytest.mark.parametrize(
    ("minutes", "allowed"),
    [
        (-60, True),  # ends exactly when the other starts
        (60, True),  # starts exactly when the other ends
        (-59, False),  # overlaps the first minute
        (59, False),  # overlaps the last minute
        (0, False),  # the same slot
    ],
)
async def test_overlap_edges(
    ctx: ServiceContext, salon: Salon, minutes: int, allowed: bool
) -> None:
    await book(ctx, salon, TEN)
    later = TEN + dt.timedelta(minutes=minutes)
    if allowed:
        await book(ctx, salon, later)
    else:
        with pytest.raises(ValidationError):
            await book(ctx, salon, later)


async def test_a_longer_appointment_around_another_is_refused(
    ctx: ServiceContext, salon: Salon
) -> None:
    short = await make_service(ctx, name="Brow tint", duration_minutes=15)
    await Desk(ctx).appointments.book(
        client_id=salon.other_client_id,
        service_id=short.id,
        staff_id=salon.staff_id,
        location_id=salon.location_id,
        starts_at=TEN + dt.timedelta(minutes=20),
    )
    with pytest.raises(ValidationError, match="10:20–10:35"):
        await book(ctx, salon, TEN)


async def test_different_staff_may_share_a_slot(ctx: ServiceContext, salon: Salon) -> None:
    first = await book(ctx, salon, TEN)
    second = await book(
        ctx, salon, TEN, staff_id=salon.other_staff_id, client_id=salon.other_client_id
    )
    booked = [await Desk(ctx).appointments.get(i) for i in (first, second)]
    assert [(a.staff_id, a.client_id, a.starts_at, a.status) for a in booked] == [
        (salon.staff_id, salon.client_id, TEN, "booked"),
        (salon.other_staff_id, salon.other_client_id, TEN, "booked"),
    ]


@pytest.mark.parametrize("how", ["cancel", "no_show"])
async def test_cancelled_or_no_show_frees_the_time(
    ctx: ServiceContext, salon: Salon, how: str
) -> None:
    first = await book(ctx, salon, TEN)
    if how == "cancel":
        await Desk(ctx).appointments.cancel(first, "Rescheduled")
    else:
        await Desk(ctx).appointments.no_show(first)
    second = await book(ctx, salon, TEN, client_id=salon.other_client_id)
    assert second != first


async def test_concurrent_bookings_of_one_slot_leave_one(
    ctx: ServiceContext, salon: Salon, db_url: str
) -> None:
    other = ServiceContext.create(create_engine(db_url), terminal="salon-2")
    try:
        outcomes = await asyncio.gather(
            *(book(c, salon, TEN) for c in [ctx, other, ctx, other]), return_exceptions=True
        )
    finally:
        await other.dispose()
    assert sum(isinstance(o, int) for o in outcomes) == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 3, outcomes
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(Appointment)) == 1


async def test_booking_checks_what_it_is_given(ctx: ServiceContext, salon: Salon) -> None:
    with pytest.raises(NotFound):
        await book(ctx, salon, TEN, client_id=999_999)
    with pytest.raises(ValidationError) as caught:
        await book(ctx, salon, TEN.replace(tzinfo=dt.UTC))
    assert caught.value.field == "starts_at"

    elsewhere = await make_location(ctx, name="Annexe")
    visitor = await make_staff(ctx, name="Lou", location_id=elsewhere.id)
    with pytest.raises(ValidationError, match="another location") as caught:
        await book(ctx, salon, TEN, staff_id=visitor.id)
    assert caught.value.field == "staff_id"

    gone = await make_staff(ctx, name="Former", active=False)
    with pytest.raises(ValidationError) as caught:
        await book(ctx, salon, TEN, staff_id=gone.id)
    assert caught.value.field == "staff_id"

    retired = await make_service(ctx, name="Old facial", duration_minutes=30, active=False)
    with pytest.raises(ValidationError) as caught:
        await Desk(ctx).appointments.book(
            client_id=salon.client_id,
            service_id=retired.id,
            staff_id=salon.staff_id,
            location_id=salon.location_id,
            starts_at=TEN,
        )
    assert caught.value.field == "service_id"


async def test_get_unknown_appointment_is_not_found(ctx: ServiceContext, salon: Salon) -> None:
    with pytest.raises(NotFound):
        await Desk(ctx).appointments.get(999_999)


# -- statuses -------------------------------------------------------------------------


async def test_booked_then_checked_in_then_cancelled(ctx: ServiceContext, salon: Salon) -> None:
    appointment_id = await book(ctx, salon, TEN)
    assert (await Desk(ctx).appointments.check_in(appointment_id)).status == "checked_in"
    with pytest.raises(ValidationError) as caught:
        await Desk(ctx).appointments.check_in(appointment_id)
    assert caught.value.field == "status"
    view = await Desk(ctx).appointments.cancel(appointment_id, "  Felt unwell  ")
    assert (view.status, view.cancel_reason) == ("cancelled", "Felt unwell")


async def test_checked_in_client_can_be_marked_no_show(ctx: ServiceContext, salon: Salon) -> None:
    appointment_id = await book(ctx, salon, TEN)
    await Desk(ctx).appointments.check_in(appointment_id)
    assert (await Desk(ctx).appointments.no_show(appointment_id)).status == "no_show"


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("completed", "cancel"),
        ("completed", "no_show"),
        ("completed", "check_in"),
        ("cancelled", "check_in"),
        ("cancelled", "no_show"),
        ("cancelled", "cancel"),
        ("no_show", "check_in"),
        ("no_show", "cancel"),
        ("checked_in", "check_in"),
    ],
)
async def test_refused_transitions(
    ctx: ServiceContext, salon: Salon, status: str, action: str
) -> None:
    row = await make_appointment(
        ctx,
        client_id=salon.client_id,
        service_id=salon.service_id,
        staff_id=salon.staff_id,
        location_id=salon.location_id,
        status=status,
    )
    with pytest.raises(ValidationError) as caught:
        if action == "cancel":
            await Desk(ctx).appointments.cancel(row.id, "Because")
        elif action == "no_show":
            await Desk(ctx).appointments.no_show(row.id)
        else:
            await Desk(ctx).appointments.check_in(row.id)
    assert caught.value.field == "status"
    assert (await Desk(ctx).appointments.get(row.id)).status == status


@pytest.mark.parametrize("reason", ["", "   ", "line\nbreak", "x" * 201])
async def test_cancel_requires_a_plain_reason(
    ctx: ServiceContext, salon: Salon, reason: str
) -> None:
    appointment_id = await book(ctx, salon, TEN)
    with pytest.raises(ValidationError) as caught:
        await Desk(ctx).appointments.cancel(appointment_id, reason)
    assert caught.value.field == "reason"
    assert (await Desk(ctx).appointments.get(appointment_id)).status == "booked"


def test_transition_table_matches_the_issue() -> None:
    allowed = {(a, b) for a, targets in appointments.TRANSITIONS.items() for b in targets}
    assert allowed == {
        ("booked", "checked_in"),
        ("booked", "cancelled"),
        ("booked", "no_show"),
        ("checked_in", "completed"),
        ("checked_in", "cancelled"),
        ("checked_in", "no_show"),
    }
