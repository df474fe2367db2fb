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
class Desk:
    location_id: int
    staff_id: int
    other_staff_id: int
    client_id: int
    other_client_id: int
    service_id: int  # 60 minutes


@pytest.fixture
async def desk(ctx: ServiceContext) -> Desk:
    await make_store(ctx)
    location = await make_location(ctx, name="Main")
    kay = await make_staff(ctx, name="Dr Kay", location_id=location.id)
    raj = await make_staff(ctx, name="Raj", location_id=None)
    ann = await make_client(ctx, first_name="Ann", last_name="Lee")
    bo = await make_client(ctx, first_name="Bo", last_name="Chen")
    service = await make_service(ctx, name="Facial", duration_minutes=60)
    return Desk(location.id, kay.id, raj.id, ann.id, bo.id, service.id)


async def book(
    ctx: ServiceContext,
    d: Desk,
    starts_at: dt.datetime,
    *,
    staff_id: int | None = None,
    client_id: int | None = None,
) -> int:
    view = await appointments.book(
        ctx,
        client_id=client_id or d.client_id,
        service_id=d.service_id,
        staff_id=staff_id or d.staff_id,
        location_id=d.location_id,
        starts_at=starts_at,
    )
    return view.id


async def test_book_ends_after_the_service_duration(ctx: ServiceContext, desk: Desk) -> None:
    view = await appointments.book(
        ctx,
        client_id=desk.client_id,
        service_id=desk.service_id,
        staff_id=desk.staff_id,
        location_id=desk.location_id,
        starts_at=TEN,
    )
    assert (view.starts_at, view.ends_at) == (TEN, TEN + dt.timedelta(hours=1))
    assert view.status == "booked"
    assert (view.client_name, view.staff_name, view.service_name) == ("Ann Lee", "Dr Kay", "Facial")
    assert await appointments.get_appointment(ctx, view.id) == view


async def test_double_booking_names_the_other_appointment(ctx: ServiceContext, desk: Desk) -> None:
    await book(ctx, desk, TEN, client_id=desk.other_client_id)
    with pytest.raises(ValidationError) as caught:
        await book(ctx, desk, TEN + dt.timedelta(minutes=30))
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
async def test_overlap_edges(ctx: ServiceContext, desk: Desk, minutes: int, allowed: bool) -> None:
    await book(ctx, desk, TEN)
    later = TEN + dt.timedelta(minutes=minutes)
    if allowed:
        await book(ctx, desk, later)
    else:
        with pytest.raises(ValidationError):
            await book(ctx, desk, later)


async def test_a_longer_appointment_around_another_is_refused(
    ctx: ServiceContext, desk: Desk
) -> None:
    short = await make_service(ctx, name="Brow tint", duration_minutes=15)
    await appointments.book(
        ctx,
        client_id=desk.other_client_id,
        service_id=short.id,
        staff_id=desk.staff_id,
        location_id=desk.location_id,
        starts_at=TEN + dt.timedelta(minutes=20),
    )
    with pytest.raises(ValidationError, match="10:20–10:35"):
        await book(ctx, desk, TEN)


async def test_different_staff_may_share_a_slot(ctx: ServiceContext, desk: Desk) -> None:
    first = await book(ctx, desk, TEN)
    second = await book(
        ctx, desk, TEN, staff_id=desk.other_staff_id, client_id=desk.other_client_id
    )
    booked = [await appointments.get_appointment(ctx, i) for i in (first, second)]
    assert [(a.staff_id, a.client_id, a.starts_at, a.status) for a in booked] == [
        (desk.staff_id, desk.client_id, TEN, "booked"),
        (desk.other_staff_id, desk.other_client_id, TEN, "booked"),
    ]


@pytest.mark.parametrize("how", ["cancel", "no_show"])
async def test_cancelled_or_no_show_frees_the_time(
    ctx: ServiceContext, desk: Desk, how: str
) -> None:
    first = await book(ctx, desk, TEN)
    if how == "cancel":
        await appointments.cancel(ctx, first, "Rescheduled")
    else:
        await appointments.no_show(ctx, first)
    second = await book(ctx, desk, TEN, client_id=desk.other_client_id)
    assert second != first


async def test_concurrent_bookings_of_one_slot_leave_one(
    ctx: ServiceContext, desk: Desk, db_url: str
) -> None:
    other = ServiceContext.create(create_engine(db_url), terminal="desk-2")
    try:
        outcomes = await asyncio.gather(
            *(book(c, desk, TEN) for c in [ctx, other, ctx, other]), return_exceptions=True
        )
    finally:
        await other.dispose()
    assert sum(isinstance(o, int) for o in outcomes) == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 3, outcomes
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(Appointment)) == 1


async def test_booking_checks_what_it_is_given(ctx: ServiceContext, desk: Desk) -> None:
    with pytest.raises(NotFound):
        await book(ctx, desk, TEN, client_id=999_999)
    with pytest.raises(ValidationError) as caught:
        await book(ctx, desk, TEN.replace(tzinfo=dt.UTC))
    assert caught.value.field == "starts_at"

    elsewhere = await make_location(ctx, name="Annexe")
    visitor = await make_staff(ctx, name="Lou", location_id=elsewhere.id)
    with pytest.raises(ValidationError, match="another location") as caught:
        await book(ctx, desk, TEN, staff_id=visitor.id)
    assert caught.value.field == "staff_id"

    gone = await make_staff(ctx, name="Former", active=False)
    with pytest.raises(ValidationError) as caught:
        await book(ctx, desk, TEN, staff_id=gone.id)
    assert caught.value.field == "staff_id"

    retired = await make_service(ctx, name="Old facial", duration_minutes=30, active=False)
    with pytest.raises(ValidationError) as caught:
        await appointments.book(
            ctx,
            client_id=desk.client_id,
            service_id=retired.id,
            staff_id=desk.staff_id,
            location_id=desk.location_id,
            starts_at=TEN,
        )
    assert caught.value.field == "service_id"


async def test_get_unknown_appointment_is_not_found(ctx: ServiceContext, desk: Desk) -> None:
    with pytest.raises(NotFound):
        await appointments.get_appointment(ctx, 999_999)


# -- statuses -------------------------------------------------------------------------


async def test_booked_then_checked_in_then_cancelled(ctx: ServiceContext, desk: Desk) -> None:
    appointment_id = await book(ctx, desk, TEN)
    assert (await appointments.check_in(ctx, appointment_id)).status == "checked_in"
    with pytest.raises(ValidationError) as caught:
        await appointments.check_in(ctx, appointment_id)
    assert caught.value.field == "status"
    view = await appointments.cancel(ctx, appointment_id, "  Felt unwell  ")
    assert (view.status, view.cancel_reason) == ("cancelled", "Felt unwell")


async def test_checked_in_client_can_be_marked_no_show(ctx: ServiceContext, desk: Desk) -> None:
    appointment_id = await book(ctx, desk, TEN)
    await appointments.check_in(ctx, appointment_id)
    assert (await appointments.no_show(ctx, appointment_id)).status == "no_show"


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
    ctx: ServiceContext, desk: Desk, status: str, action: str
) -> None:
    row = await make_appointment(
        ctx,
        client_id=desk.client_id,
        service_id=desk.service_id,
        staff_id=desk.staff_id,
        location_id=desk.location_id,
        status=status,
    )
    with pytest.raises(ValidationError) as caught:
        if action == "cancel":
            await appointments.cancel(ctx, row.id, "Because")
        elif action == "no_show":
            await appointments.no_show(ctx, row.id)
        else:
            await appointments.check_in(ctx, row.id)
    assert caught.value.field == "status"
    assert (await appointments.get_appointment(ctx, row.id)).status == status


@pytest.mark.parametrize("reason", ["", "   ", "line\nbreak", "x" * 201])
async def test_cancel_requires_a_plain_reason(ctx: ServiceContext, desk: Desk, reason: str) -> None:
    appointment_id = await book(ctx, desk, TEN)
    with pytest.raises(ValidationError) as caught:
        await appointments.cancel(ctx, appointment_id, reason)
    assert caught.value.field == "reason"
    assert (await appointments.get_appointment(ctx, appointment_id)).status == "booked"


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
