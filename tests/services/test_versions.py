"""No silent overwrite (issue 15, item 2): appointments (add-on lines included) and open
tickets carry a version; a save based on an old read is refused with the terminal and
time of the change that beat it, and nothing is written. Both engines; the race on
PostgreSQL with real concurrent connections queued on the row lock."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import func, select, text

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Appointment, AppointmentAddon, LedgerEntry, OpenTicket
from frontdesk.domain.errors import Conflict, StaleVersion, ValidationError
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from tests.services.clinic import Clinic, build_clinic
from tests.services.test_open_tickets import KEY, build_shop

STALE = re.compile(
    r"^Changed on (?P<terminal>.+) at (?P<hhmm>\d\d:\d\d) — reloaded; check and save again$"
)


def use(clinic: Clinic, units: int, buy: int = 0) -> list[AddonSelection]:
    return [AddonSelection(clinic.botox_id, use=units, buy=buy, expected_owned=10)]


@pytest.fixture
async def clinic(ctx: ServiceContext) -> Clinic:
    return await build_clinic(ctx)


async def terminal(db_url: str, name: str, staff_id: int) -> ServiceContext:
    """Another terminal: its own engine and connection pool on the same database."""
    return ServiceContext.create(create_engine(db_url), terminal=name, staff_id=staff_id)


@pytest.fixture
async def front_desk(db_url: str, clinic: Clinic) -> AsyncIterator[ServiceContext]:
    context = await terminal(db_url, "front-desk", clinic.staff_id)
    try:
        yield context
    finally:
        await context.dispose()


async def stored(ctx: ServiceContext, appointment_id: int) -> tuple[Appointment, int, int]:
    """The appointment row, its add-on line count and the ledger's entry count."""
    async with ctx.read() as session:
        row = await session.get(Appointment, appointment_id)
        assert row is not None
        addons = await session.scalar(
            select(func.count())
            .select_from(AppointmentAddon)
            .where(AppointmentAddon.appointment_id == appointment_id)
        )
        entries = await session.scalar(select(func.count()).select_from(LedgerEntry))
        return row, int(addons or 0), int(entries or 0)


def local_hhmm(at: dt.datetime | None) -> str:
    assert at is not None
    return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone().strftime("%H:%M")


# -- one terminal saves, the other's save from the same read is refused -----------------


async def test_stale_addon_save_is_refused_with_the_other_terminals_name_writing_nothing(
    ctx: ServiceContext, clinic: Clinic, front_desk: ServiceContext
) -> None:
    back = Desk(ctx.as_staff(clinic.staff_id))
    front = Desk(front_desk)
    seen_front = await front.addons.picker(clinic.appointment_id)
    seen_back = await back.addons.picker(clinic.appointment_id)
    assert seen_front.version == seen_back.version == 1

    saved = await front.addons.add_to_service(
        clinic.appointment_id, use(clinic, 4), key=new_key(), expected_version=seen_front.version
    )
    assert saved.appointment.version == 2
    before = await stored(ctx, clinic.appointment_id)

    with pytest.raises(StaleVersion) as caught:
        await back.addons.add_to_service(
            clinic.appointment_id,
            use(clinic, 6, buy=3),
            key=new_key(),
            expected_version=seen_back.version,
        )

    shown = STALE.match(str(caught.value))
    assert shown is not None, str(caught.value)
    row, addons, entries = await stored(ctx, clinic.appointment_id)
    assert shown["terminal"] == "front-desk"
    assert shown["hhmm"] == local_hhmm(row.changed_at)
    assert isinstance(caught.value, Conflict)  # screens that know Conflict still cope
    assert (row.version, addons, entries) == (2, before[1], before[2])
    assert (row.changed_terminal, row.changed_by) == ("front-desk", clinic.staff_id)
    # The reloaded picker shows the front desk's line; saving from it goes through.
    fresh = await back.addons.picker(clinic.appointment_id)
    assert [(line.use_units, line.buy_units) for line in fresh.current] == [(4, 0)]
    again = await back.addons.add_to_service(
        clinic.appointment_id, use(clinic, 6, buy=3), key=new_key(), expected_version=fresh.version
    )
    assert again.appointment.version == 3


Save = Callable[[Desk, Clinic, int], Awaitable[object]]


async def _remove(desk: Desk, clinic: Clinic, version: int) -> object:
    (line,) = (await desk.addons.picker(clinic.appointment_id)).current
    return await desk.addons.remove(line.id, "Changed her mind", expected_version=version)


STALE_SAVES: dict[str, Save] = {
    "check_in": lambda d, c, v: d.appointments.check_in(c.appointment_id, expected_version=v),
    "cancel": lambda d, c, v: d.appointments.cancel(
        c.appointment_id, "Rang in", expected_version=v
    ),
    "no_show": lambda d, c, v: d.appointments.no_show(c.appointment_id, expected_version=v),
    "remove": _remove,
    "buy_more": lambda d, c, v: d.addons.buy_more(
        c.appointment_id, c.botox_id, 2, expected_version=v
    ),
    "add_to_service": lambda d, c, v: d.addons.add_to_service(
        c.appointment_id, use(c, 5), key=new_key(), expected_version=v
    ),
}


@pytest.mark.parametrize("action", sorted(STALE_SAVES))
async def test_every_appointment_save_refuses_a_stale_version(
    ctx: ServiceContext, clinic: Clinic, front_desk: ServiceContext, action: str
) -> None:
    back = Desk(ctx.as_staff(clinic.staff_id))
    await back.addons.add_to_service(clinic.appointment_id, use(clinic, 4), key=new_key())
    read = (await back.appointments.get(clinic.appointment_id)).version
    await Desk(front_desk).addons.buy_more(clinic.appointment_id, clinic.botox_id, 1)
    before = await stored(ctx, clinic.appointment_id)

    with pytest.raises(StaleVersion, match=r"^Changed on front-desk at "):
        await STALE_SAVES[action](back, clinic, read)

    after = await stored(ctx, clinic.appointment_id)
    assert (after[0].version, after[0].status, after[1:]) == (
        before[0].version,
        "booked",
        before[1:],
    )
    await STALE_SAVES[action](back, clinic, after[0].version)  # fresh: saved
    assert (await stored(ctx, clinic.appointment_id))[0].version == after[0].version + 1


async def test_every_change_bumps_the_version_and_names_the_terminal(
    ctx: ServiceContext, clinic: Clinic
) -> None:
    desk = Desk(ctx.as_staff(clinic.staff_id))
    booked = await desk.appointments.book(
        client_id=clinic.client_id,
        service_id=clinic.service_id,
        staff_id=clinic.staff_id,
        location_id=clinic.location_id,
        starts_at=dt.datetime(2026, 11, 24, 9, 0),
    )
    assert booked.version == 1
    row, _, _ = await stored(ctx, booked.id)
    assert (row.changed_terminal, row.changed_by) == ("test-desk", clinic.staff_id)
    assert (await desk.appointments.check_in(booked.id)).version == 2
    assert (
        await desk.addons.add_to_service(booked.id, use(clinic, 2), key=new_key())
    ).appointment.version == 3
    assert (await desk.addons.buy_more(booked.id, clinic.botox_id, 1)).version == 4
    assert (await desk.appointments.no_show(booked.id)).version == 5
    # A refused change (a status the appointment can't take) changes nothing.
    with pytest.raises(ValidationError, match="no-show"):
        await desk.appointments.cancel(booked.id, "late", expected_version=5)
    assert (await desk.appointments.get(booked.id)).version == 5


# -- two saves from the same read at once: exactly one wins ----------------------------


async def _waiting_on_locks(ctx: ServiceContext) -> int:
    async with ctx.engine.connect() as conn:
        found = await conn.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
        )
        return int(found or 0)


async def test_two_saves_racing_from_the_same_version_exactly_one_wins(
    ctx: ServiceContext, clinic: Clinic, db_url: str
) -> None:
    """Four terminals, each its own connection pool, save from version 1 at once. On
    PostgreSQL a fifth connection holds the row lock until all four are queued on it, so
    the saves really overlap; SQLite's BEGIN IMMEDIATE queues them the same way."""
    terminals = [await terminal(db_url, f"desk-{i}", clinic.staff_id) for i in range(4)]
    try:
        holder = ctx.engine.connect() if ctx.is_postgres else None
        if holder is not None:
            conn = await holder.__aenter__()
            await conn.begin()
            await conn.execute(
                select(Appointment.id)
                .where(Appointment.id == clinic.appointment_id)
                .with_for_update()
            )

        async def save(t: ServiceContext, units: int) -> str:
            try:
                await Desk(t).addons.add_to_service(
                    clinic.appointment_id, use(clinic, units), key=new_key(), expected_version=1
                )
            except StaleVersion as exc:
                return f"stale:{exc.terminal}"
            return f"saved:{t.actor.terminal}"

        racing = [asyncio.ensure_future(save(t, i + 1)) for i, t in enumerate(terminals)]
        if holder is not None:
            for _ in range(500):
                if await _waiting_on_locks(ctx) >= len(terminals):
                    break
                await asyncio.sleep(0.01)
            assert await _waiting_on_locks(ctx) == len(terminals)
            await holder.__aexit__(None, None, None)  # rolls back, releasing the lock
        outcomes = await asyncio.gather(*racing)
    finally:
        for t in terminals:
            await t.dispose()

    (winner,) = [o.removeprefix("saved:") for o in outcomes if o.startswith("saved:")]
    assert sorted(o for o in outcomes if o.startswith("stale:")) == [f"stale:{winner}"] * 3
    row, addons, _ = await stored(ctx, clinic.appointment_id)
    assert (row.version, row.changed_terminal, addons) == (2, winner, 1)


# -- open tickets ------------------------------------------------------------------------


async def test_open_ticket_park_and_take_back_refuse_a_stale_version(ctx: ServiceContext) -> None:
    """The lock case: this terminal left the ticket open at version v; another took it,
    edited it and left it open again. Taking it back or parking from v is refused."""
    shop = await build_shop(ctx)
    here = Desk(ctx.as_staff(shop.staff_id))
    there = Desk(ServiceContext.create(ctx.engine, terminal="back-room", staff_id=shop.staff_id))
    parked = await here.till.park(shop.ticket)
    assert parked.version == 1
    taken = await there.till.take(KEY)
    assert taken.version == 2
    fewer = shop.ticket.model_copy(update={"lines": ()})
    assert (await there.till.park(fewer, expected_version=taken.version)).version == 3

    with pytest.raises(StaleVersion, match=r"^Changed on back-room at "):
        await here.till.take(KEY, expected_version=parked.version)
    async with ctx.read() as session:
        row = await session.scalar(select(OpenTicket).where(OpenTicket.idempotency_key == KEY))
        assert row is not None
        assert (row.version, row.held_by, row.changed_terminal) == (3, None, "back-room")
    with pytest.raises(StaleVersion):
        await here.till.park(shop.ticket, expected_version=parked.version)

    mine = await here.till.take(KEY, expected_version=3)
    assert (mine.version, mine.held_by, mine.ticket.lines) == (4, "test-desk", ())
    await here.till.release(KEY)
    assert (await there.till.open_tickets(None))[0].version == 5
