"""The ticket's spa: the seeds' own examples, a host app, and key helpers.

- Seed 003: Glovora's member (15% off) with £35 in the Beauty Bank, booked for a £90
  treatment.
- Seed 004: a client buying 5 brow tints at 20.00 a visit, booked for one later.
The seed 000 clinic (owns 10 Botox units, needs 15) is `picker_fixtures.build_clinic_at`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Membership, MembershipPlan, Payment, Ticket
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from screens.ticket import TicketScreen
from screens.widgets.picker import PickerModal
from tests.desks import NO_AREAS, Areas
from tests.money import TEST_MONEY, amount
from tests.screens.picker_fixtures import HostApp
from tests.services.factories import (
    make_appointment,
    make_client,
    make_location,
    make_service,
    make_staff,
    make_store,
)
from tests.waiting import wait_until

NOW = dt.datetime(2026, 11, 23, 10, 41)
START = dt.datetime(2026, 11, 23, 10, 0)


@dataclass(frozen=True)
class Spa:
    location_id: int
    staff_id: int  # Tia, a therapist: takes payments (the tickets act as her)
    desk_id: int  # Fran, front desk: adjusts balances
    member_id: int  # seed 003: 15% member, £35 Beauty Bank
    brows_id: int  # seed 004: buys brow tints prepaid
    treatment_id: int  # £90
    brow_tint_id: int  # £20 a visit
    treatment_appt: int
    brow_appt: int


SPA_WALLET = amount("35")  # £35.00, or the same minor units in the test store


async def build_spa(
    url: str,
    *,
    first_name: str = "Amelia",
    wallet: Decimal = SPA_WALLET,
    currency: str = TEST_MONEY.currency,
    locale: str = TEST_MONEY.locale,
) -> Spa:
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        await make_store(ctx, business_name="Glovora", currency=currency, locale=locale)
        location = await make_location(ctx, name="Mayfair")
        staff = await make_staff(ctx, name="Tia", role="therapist", location_id=location.id)
        # Front desk tops up the Beauty Bank below: a therapist may not adjust balances.
        fran = await make_staff(ctx, name="Fran", role="front_desk", location_id=location.id)
        member = await make_client(ctx, first_name=first_name, last_name="Hart")
        brows = await make_client(ctx, first_name="Bea", last_name="Brow")
        treatment = await make_service(ctx, name="Signature Facial", price_minor=9_000)
        brow_tint = await make_service(ctx, name="Brow Tint", price_minor=2_000)
        async with ctx.transaction() as session:
            plan = MembershipPlan(name="Glow Auto", price_minor=7_900, discount_percent=Decimal(15))
            session.add(plan)
            await session.flush()
            session.add(
                Membership(
                    client_id=member.id,
                    plan_id=plan.id,
                    status="active",
                    started_on=dt.date(2026, 1, 5),
                )
            )
        treatment_appt = await make_appointment(
            ctx,
            client_id=member.id,
            service_id=treatment.id,
            staff_id=staff.id,
            location_id=location.id,
            starts_at=START,
        )
        brow_appt = await make_appointment(
            ctx,
            client_id=brows.id,
            service_id=brow_tint.id,
            staff_id=staff.id,
            location_id=location.id,
            starts_at=START + dt.timedelta(hours=2),
        )
    finally:
        await ctx.dispose()
    if wallet:
        desk = Desk.open(url, terminal="setup", staff_id=fran.id)
        try:
            await desk.balances.adjust_wallet(
                member.id, wallet, "Monthly Membership Credit", key=new_key()
            )
        finally:
            await desk.close()
    return Spa(
        location.id,
        staff.id,
        fran.id,
        member.id,
        brows.id,
        treatment.id,
        brow_tint.id,
        treatment_appt.id,
        brow_appt.id,
    )


def ticket_app(
    url: str,
    client_id: int,
    location_id: int,
    appointment_id: int | None = None,
    areas: Areas = NO_AREAS,
    staff_id: int | None = None,
) -> HostApp:
    return HostApp(
        url,
        lambda desk: TicketScreen(
            desk,
            client_id,
            location_id=location_id,
            appointment_id=appointment_id,
            clock=lambda: NOW,
        ),
        areas=areas,
        staff_id=staff_id,
    )


def ticket(app: App[Any]) -> TicketScreen:
    screen = app.screen
    assert isinstance(screen, TicketScreen), screen
    return screen


def quoted(app: App[Any]) -> bool:
    """The ticket is on top with its latest quote shown."""
    screen = app.screen
    return isinstance(screen, TicketScreen) and screen.quote is not None and not screen.stale


async def ticket_opened(pilot: Pilot[Any]) -> None:
    await wait_until(pilot, lambda: quoted(pilot.app), what="the ticket, priced")


def totals(app: App[Any]) -> list[str]:
    return [
        " ".join(row.split())
        for row in str(ticket(app).query_one("#totals-text", Static).render()).splitlines()
    ]


def field(app: App[Any], selector: str) -> str:
    return ticket(app).query_one(selector, Input).value


def shown(app: App[Any], selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def press_and_quote(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await ticket_opened(pilot)


async def completed(pilot: Pilot[Any]) -> None:
    await wait_until(
        pilot, lambda: ticket(pilot.app).result is not None, what="the ticket completed"
    )


async def pick(pilot: Pilot[Any], option_id: str) -> None:
    """In the picker on top, move down to `option_id` and choose it."""
    await wait_until(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, PickerModal)
            and pilot.app.screen.query_one(OptionList).get_option_at_index(0).id is not None
        ),
        what="the picker, loaded",
    )
    options = pilot.app.screen.query_one(OptionList)
    for _ in range(options.option_count):
        highlighted = options.highlighted
        if highlighted is not None and options.get_option_at_index(highlighted).id == option_id:
            await pilot.press("enter")
            return
        await pilot.press("down")
    raise AssertionError(f"no option {option_id}")


async def count(url: str, table: type[Ticket] | type[Payment]) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(table)) or 0)
    finally:
        await engine.dispose()


async def payments(url: str) -> list[tuple[str, int, int]]:
    """(method, amount, change) in minor units, in the order paid."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(Payment.method, Payment.amount_minor, Payment.change_minor).order_by(
                    Payment.id
                )
            )
            return [(m, a, c) for m, a, c in rows.all()]
    finally:
        await engine.dispose()
