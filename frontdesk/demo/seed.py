"""The deterministic demo salon: `frontdesk demo seed` and `frontdesk --demo`.

Same seed, same data: every random choice comes from `random.Random` streams derived
from the seed (one per phase, so the first 300 clients are the same whether the demo has
300 or 100,000 clients). Only appointment dates move: they fill the week of `today`.

Stored value is written the way the front desk writes it, through
`frontdesk.db.ledger.post` / `reverse`, never by setting a balance, so the demo ledger
obeys every ledger invariant (balance = sum of entries, running `balance_after`).

Speed: clients go in with bulk Core inserts in chunks; only the first few hundred
clients get a rich history, and larger runs give one extra client in 50 a single wallet
credit, so the ledger work stays bounded however many clients are asked for.

The phases live in their own modules: `catalogue` (settings, locations, staff, what is
sold), `clients`, `bookings` (this week's appointments), `events` and `memberships` (each
rich client's planned history), `history` (posting it), `profile_seed` (profile tabs).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Appointment,
    Client,
    LedgerEntry,
    Location,
    Membership,
    MembershipPlan,
    Product,
    Service,
    Staff,
    StoredValueAccount,
)
from frontdesk.demo import names
from frontdesk.demo.bookings import Booking, insert_appointments, plan_bookings
from frontdesk.demo.catalogue import Catalogue, seed_catalogue
from frontdesk.demo.clients import RICH_CLIENTS, client_rows, insert_clients
from frontdesk.demo.history import History
from frontdesk.demo.kiosk_visit import book_kiosk_visit
from frontdesk.demo.memberships import LiveMembership
from frontdesk.demo.money import DEMO_MONEY, DemoMoney
from frontdesk.demo.profile_seed import seed_profiles
from frontdesk.demo.renewal_days import live_membership_days
from frontdesk.demo.staff_pins import DemoPins
from frontdesk.demo.state import mark_complete
from frontdesk.domain.errors import Unavailable, ValidationError
from frontdesk.domain.money_context import MoneyContext
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk

__all__ = [
    "MAX_CLIENTS",
    "RICH_CLIENTS",
    "TERMINAL",
    "SeedReport",
    "client_rows",
    "plan_bookings",
    "seed_demo",
    "seed_demo_schedule_first",
]

TERMINAL = "demo-seed"
MAX_CLIENTS = 1_000_000


@dataclass(frozen=True, slots=True)
class SeedReport:
    clients: int
    staff: int
    locations: int
    services: int
    products: int
    membership_plans: int
    memberships: int
    appointments: int
    accounts: int
    ledger_entries: int
    reversals: int

    def __str__(self) -> str:
        return (
            f"seeded {self.clients:,} clients, {self.staff:,} staff, "
            f"{self.locations:,} locations, {self.appointments:,} appointments, "
            f"{self.ledger_entries:,} ledger entries"
        )


async def seed_demo(
    ctx: ServiceContext,
    *,
    clients: int = RICH_CLIENTS,
    seed: int = 1,
    today: dt.date | None = None,
    pins: DemoPins | None = None,
    money: MoneyContext = DEMO_MONEY,
) -> SeedReport:
    """Fill an empty (migrated) database with the demo salon, in one transaction.

    Refuses a database that already has clients: demo data never mixes with real data.
    `pins`: the staff's PIN hashes if already started (else they start here). `money`:
    the store's currency and locale; every demo amount is converted into it.
    """
    pins = pins or await DemoPins.start(ctx.engine.url)
    async with ctx.transaction() as session:
        plan = await _seed_schedule(session, clients, seed, today, pins, DemoMoney(money))
        live = await _seed_history(session, plan)
    return await _live_days(ctx, plan, live)


async def seed_demo_schedule_first(
    ctx: ServiceContext,
    *,
    schedule_ready: Callable[[], Awaitable[object]],
    clients: int = RICH_CLIENTS,
    seed: int = 1,
    today: dt.date | None = None,
    pins: DemoPins | None = None,
    money: MoneyContext = DEMO_MONEY,
) -> SeedReport:
    """The same demo in two transactions, so a first `frontdesk --demo` can open sooner.

    The first commits what today's schedule shows (reference data, staff who can sign
    in, clients, this week's appointments), then calls `schedule_ready`; the second adds
    the ledger history and profiles. Readers see the history all at once or not at all;
    a set-up stopped between the two leaves a `partial` demo (no ledger entries), which
    `frontdesk --demo` rebuilds.
    """
    pins = pins or await DemoPins.start(ctx.engine.url)
    async with ctx.transaction() as session:
        plan = await _seed_schedule(session, clients, seed, today, pins, DemoMoney(money))
    await schedule_ready()
    async with ctx.transaction() as session:
        live = await _seed_history(session, plan)
    return await _live_days(ctx, plan, live)


async def _live_days(ctx: ServiceContext, plan: _Plan, live: list[LiveMembership]) -> SeedReport:
    """The last 90 days of memberships through the services, then the counts."""
    story = plan.rich[names.AMELIA] if len(plan.rich) > names.AMELIA else None
    await live_membership_days(
        ctx, live, seed=plan.seed, today=plan.today, terminal=TERMINAL, keep_paying=story
    )
    await book_kiosk_visit(await _owner_desk(ctx), plan.today, plan.catalogue.location_ids)
    async with ctx.transaction() as session:  # last: the demo is whole from here
        await mark_complete(session, TERMINAL)
    async with ctx.read() as session:
        return await _report(session)


async def _owner_desk(ctx: ServiceContext) -> Desk:
    async with ctx.read() as session:
        owner = await session.scalar(
            select(Staff.id).where(Staff.role == "owner").order_by(Staff.id).limit(1)
        )
    return Desk(ctx.as_staff(owner))


@dataclass(slots=True)
class _Plan:
    catalogue: Catalogue
    client_ids: list[int]
    rich: list[int]
    bookings: list[Booking]
    seed: int
    today: dt.date


async def _seed_schedule(
    session: AsyncSession,
    clients: int,
    seed: int,
    today: dt.date | None,
    pins: DemoPins,
    money: DemoMoney,
) -> _Plan:
    if not 1 <= clients <= MAX_CLIENTS:
        raise ValidationError("clients", f"The demo needs between 1 and {MAX_CLIENTS:,} clients")
    today = today or dt.date.today()
    if await session.scalar(select(Client.id).limit(1)) is not None:
        raise Unavailable(
            "This database already has clients; the demo only seeds an empty database "
            "(use a new database, or `frontdesk --demo --reset`)"
        )
    catalogue = await seed_catalogue(session, today, pins, money)
    client_ids = await insert_clients(session, catalogue.location_ids, clients, seed, today)
    rich = client_ids[: min(clients, RICH_CLIENTS)]
    bookings = await insert_appointments(session, catalogue, rich, seed, today)
    return _Plan(catalogue, client_ids, rich, bookings, seed, today)


async def _seed_history(session: AsyncSession, plan: _Plan) -> list[LiveMembership]:
    """The bulk history; the memberships the renewal run takes over (ids flushed)."""
    history = History(session, plan.catalogue, TERMINAL, plan.today)
    await history.rich_clients(plan.rich, plan.bookings, plan.seed)
    await history.extra_wallets(plan.client_ids, plan.seed)
    await seed_profiles(
        session,
        plan.rich,
        random.Random(f"{plan.seed}:profiles"),
        today=plan.today,
        actor=history.actor,
    )
    await session.flush()
    return history.live_memberships


async def _count(session: AsyncSession, model: Any, *where: Any) -> int:
    stmt = select(func.count()).select_from(model)
    if where:
        stmt = stmt.where(*where)
    return int(await session.scalar(stmt) or 0)


async def _report(session: AsyncSession) -> SeedReport:
    await session.flush()
    return SeedReport(
        clients=await _count(session, Client),
        staff=await _count(session, Staff),
        locations=await _count(session, Location),
        services=await _count(session, Service),
        products=await _count(session, Product),
        membership_plans=await _count(session, MembershipPlan),
        memberships=await _count(session, Membership),
        appointments=await _count(session, Appointment),
        accounts=await _count(session, StoredValueAccount),
        ledger_entries=await _count(session, LedgerEntry),
        reversals=await _count(session, LedgerEntry, LedgerEntry.reverses_entry_id.is_not(None)),
    )
