"""The client kiosk's service face (issue 18, item 1): exact matches only, one neutral
refusal for everything else, a visit bound to the checked-in client, check-ins recorded
with the terminal and staff member, and a manager's PIN to open and to leave. On SQLite
and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from frontdesk.db.tables import Appointment, AppointmentCheckIn, Client
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.kiosk import (
    LOCKOUT_MISSES,
    NO_MATCH,
    Kiosk,
    KioskNoMatch,
    KioskRefused,
    UnknownLocation,
)
from tests.money import TEST_MONEY
from tests.services.factories import bank_units, make_client
from tests.services.kiosk_world import (
    AMELIA_PHONE,
    PINS,
    TERMINAL,
    ZOE_PHONE,
    KioskWorld,
    build_kiosk_world,
    kiosk_at,
    opened_kiosk,
)
from tests.services.renewals_helpers import balance, wallet


@pytest.fixture
async def kw(ctx: ServiceContext) -> KioskWorld:
    return await build_kiosk_world(ctx)


async def refused(kiosk: Kiosk, text: str) -> str:
    with pytest.raises(KioskNoMatch) as caught:
        await kiosk.check_in(text)
    return str(caught.value)


async def test_a_whole_phone_number_or_client_number_finds_the_one_client(
    db_url: str, kw: KioskWorld
) -> None:
    kiosk = await opened_kiosk(db_url, kw)
    try:
        for typed in (AMELIA_PHONE, "+44 7700 900001", "07700900001", "C000001", " c000001 "):
            visit = await kiosk.check_in(typed)
            assert visit.greeting.first_name == "Amelia"
            assert visit.greeting.times_text == "10:30"
    finally:
        await kiosk.close()


async def test_everything_else_gets_the_same_neutral_message(
    ctx: ServiceContext, db_url: str, kw: KioskWorld
) -> None:
    # Two clients sharing a phone, both booked today here: "several" is a miss too.
    twin = await make_client(ctx, first_name="Twin", phone="07700 955555", client_number="C000500")
    twin2 = await make_client(ctx, first_name="Twin2", phone="07700 955555")
    await make_client(ctx, first_name="Nobook", phone="07700 966666")
    async with ctx.transaction() as s:
        first = await s.get(Appointment, 1)
        assert first is not None
        for client in (twin.id, twin2.id):
            s.add(
                Appointment(
                    client_id=client,
                    service_id=first.service_id,
                    staff_id=first.staff_id,
                    location_id=first.location_id,
                    starts_at=first.starts_at,
                    ends_at=first.ends_at,
                    status="booked",
                )
            )
    kiosk = await opened_kiosk(db_url, kw)
    try:
        misses = [
            "07700 999999",  # nobody
            "07700 955555",  # two clients
            "07700 966666",  # a client with no appointment today
            ZOE_PHONE,  # booked today, at another location
            "C000002",  # the same, by number
            "07700 9000",  # the start of a phone number
            "900001",  # the end of one
            "1",  # a client number without its form
            "Amelia",  # a name
            "Amelia Hart",
            "C00000",  # the start of a number
        ]
        messages = set()
        for n, typed in enumerate(misses):
            if n and n % (LOCKOUT_MISSES - 1) == 0:
                await kiosk.check_in(AMELIA_PHONE)  # not locked out meanwhile...
                await (await kiosk.check_in(AMELIA_PHONE)).confirm()  # ...and reset
            messages.add(await refused(kiosk, typed))
        assert messages == {NO_MATCH}
    finally:
        await kiosk.close()


async def test_five_misses_in_a_row_lock_check_in_with_the_same_message(
    db_url: str, kw: KioskWorld
) -> None:
    now = [1000.0]
    kiosk = await kiosk_at(db_url, clock=lambda: now[0])
    kiosk = await kiosk.open(str(kw.world.manager), PINS["manager"])
    try:
        for _ in range(LOCKOUT_MISSES):
            await refused(kiosk, "07700 999999")
        assert await refused(kiosk, AMELIA_PHONE) == NO_MATCH  # locked: even a right one
        now[0] += 121
        assert (await kiosk.check_in(AMELIA_PHONE)).greeting.first_name == "Amelia"
    finally:
        await kiosk.close()


async def test_a_merged_record_is_not_found(
    ctx: ServiceContext, db_url: str, kw: KioskWorld
) -> None:
    async with ctx.transaction() as s:
        await s.execute(update(Client).where(Client.id == kw.world.client).values(merged_into_id=2))
    kiosk = await kiosk_at(db_url)
    try:
        await refused(kiosk, AMELIA_PHONE)
    finally:
        await kiosk.close()


async def test_confirm_checks_in_as_the_manager_on_the_kiosk_terminal(
    ctx: ServiceContext, db_url: str, kw: KioskWorld
) -> None:
    kiosk = await opened_kiosk(db_url, kw)
    try:
        visit = await kiosk.check_in(AMELIA_PHONE)
        summary = await visit.confirm()
        await visit.confirm()  # again: still one arrival
    finally:
        await kiosk.close()
    assert summary.first_name == "Amelia"
    async with ctx.read() as s:
        (row,) = (await s.scalars(select(AppointmentCheckIn))).all()
        appointment = await s.get(Appointment, row.appointment_id)
    assert appointment is not None
    assert (appointment.client_id, appointment.status) == (kw.world.client, "checked_in")
    assert (row.staff_id, row.terminal) == (kw.world.manager, TERMINAL)
    assert (appointment.changed_by, appointment.changed_terminal) == (kw.world.manager, TERMINAL)


async def test_an_unopened_kiosk_writes_nothing(
    ctx: ServiceContext, db_url: str, kw: KioskWorld
) -> None:
    kiosk = await kiosk_at(db_url)
    try:
        visit = await kiosk.check_in(AMELIA_PHONE)
        with pytest.raises(Exception, match="permission"):
            await visit.confirm()
    finally:
        await kiosk.close()
    async with ctx.read() as s:
        assert (await s.scalars(select(AppointmentCheckIn))).all() == []


async def test_the_summary_is_the_clients_own_and_the_choice_is_made_once(
    ctx: ServiceContext, db_url: str, kw: KioskWorld
) -> None:
    w = kw.world
    await bank_units(ctx.as_staff(w.manager), client_id=w.client, product_id=w.botox, units=7)
    await bank_units(ctx.as_staff(w.manager), client_id=w.other_client, product_id=w.botox, units=3)
    kiosk = await opened_kiosk(db_url, kw)
    try:
        visit = await kiosk.check_in("C000001")
        summary = await visit.confirm()
        assert [(u.product_name, u.units) for u in summary.units] == [("Botox", 7)]
        assert summary.beauty_bank == TEST_MONEY.zero
        (benefit,) = summary.benefits
        assert (benefit.plan_name, benefit.cash) == ("Glow Select", TEST_MONEY.from_minor(4000))
        chosen = await visit.choose(benefit.cycle_id, "cash", key=new_key())
        assert chosen.cash == TEST_MONEY.from_minor(4000)
        with pytest.raises(ValidationError):
            await visit.choose(benefit.cycle_id, "treatment", key=new_key())
        after = await visit.summary()
        assert after.benefits == ()
        assert after.beauty_bank == TEST_MONEY.from_minor(4000)
        assert await wallet(ctx, w.client) == 4000
        assert await balance(ctx, w.client, StoredValueKind.PREPAID_VISITS) == 0
    finally:
        await kiosk.close()


async def test_a_visit_cannot_choose_for_another_clients_cycle(
    ctx: ServiceContext, db_url: str, kw: KioskWorld
) -> None:
    """Zoë's own pending cycle is out of reach of Amelia's visit."""
    from frontdesk.services.desk import Desk
    from frontdesk.services.payment_gateway import FakeGateway
    from tests.services.renewals_helpers import member
    from tests.services.world import day

    w = kw.world
    await member(ctx, w.other_client, w.plan_select, due=day(1))
    await Desk(ctx.as_staff(w.manager)).renewals.run(day(1), FakeGateway())
    (zoes,) = await Desk(ctx.as_staff(w.manager)).renewals.pending(w.other_client, day(1))
    kiosk = await opened_kiosk(db_url, kw)
    try:
        visit = await kiosk.check_in(AMELIA_PHONE)
        with pytest.raises(ValidationError, match="no benefit to choose"):
            await visit.choose(zoes.cycle_id, "cash", key=new_key())
    finally:
        await kiosk.close()
    assert await wallet(ctx, w.other_client) == 0


async def test_only_a_managers_or_owners_pin_opens_and_leaves(db_url: str, kw: KioskWorld) -> None:
    w = kw.world
    kiosk = await kiosk_at(db_url)
    try:
        with pytest.raises(KioskRefused) as desk_pin:
            await kiosk.open(str(w.desk), PINS["desk"])
        with pytest.raises(KioskRefused) as wrong:
            await kiosk.open(str(w.manager), "9999")
        assert str(desk_pin.value) == str(wrong.value)  # never says which
        opened = await kiosk.open(str(w.owner), PINS["owner"])
        assert opened.opened_by == w.owner
        with pytest.raises(KioskRefused):
            await opened.leave(str(w.desk), PINS["desk"])
        assert await opened.leave(str(w.manager), PINS["manager"]) == w.manager
    finally:
        await kiosk.close()


async def test_an_unknown_location_lists_the_names(db_url: str, kw: KioskWorld) -> None:
    with pytest.raises(UnknownLocation, match="'Nowhere'; the locations are: Harbour, Main"):
        await Kiosk.at(db_url, terminal=TERMINAL, location="Nowhere")
    kiosk = await Kiosk.at(db_url, terminal=TERMINAL, location="HARBOUR")
    try:
        assert kiosk.location_name == "Harbour"
    finally:
        await kiosk.close()


async def test_a_check_in_row_is_never_changed_or_deleted(
    ctx: ServiceContext, db_url: str, kw: KioskWorld
) -> None:
    from sqlalchemy import delete
    from sqlalchemy.exc import DBAPIError

    kiosk = await opened_kiosk(db_url, kw)
    try:
        await (await kiosk.check_in(AMELIA_PHONE)).confirm()
    finally:
        await kiosk.close()
    for statement in (
        update(AppointmentCheckIn).values(terminal="elsewhere"),
        delete(AppointmentCheckIn),
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with ctx.engine.begin() as conn:
                await conn.execute(statement)
    async with ctx.read() as s:
        (row,) = (await s.scalars(select(AppointmentCheckIn))).all()
    assert row.terminal == TERMINAL
