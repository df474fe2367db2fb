"""A small clinic for the search, profile and balance-dialog tests, and a host app.

Rows go in through `tests/services/factories.py` and the ledger's own `post` (with fixed
times, so history dates are the same on every run). `ProfileHost` opens its `Desk`
inside its own event loop, as the signed-in `staff_id`, pushes the screen under test
and records what it dismissed with.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from frontdesk.db import ledger
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import (
    Client,
    LedgerEntry,
    Membership,
    MembershipPlan,
    Staff,
    StoredValueAccount,
)
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.ledger_hash import GENESIS
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from screens.low_spec import SteadyCursor
from screens.profile import ClientProfileScreen
from screens.profile_tabs.account import AccountTab
from screens.terminal_caps import wants_ansi_theme
from tests.desks import NO_AREAS, Areas, open_desk
from tests.services.factories import (
    bank_units,
    make_appointment,
    make_client,
    make_location,
    make_product,
    make_service,
    make_staff,
    make_store,
)
from tests.waiting import wait_until

SIZE = (80, 24)
NOW = dt.datetime(2026, 11, 23, 9, 41)
UPCOMING = dt.datetime(2026, 11, 26, 14, 30)
PAST = dt.datetime(2026, 11, 2, 11, 0)
MARKUP_FIRST = "[b]Bold[/b]"
MARKUP_LAST = "[@click=app.quit]x"
ANN_PHONE = "07700 900123"
ANN_EMAIL = "ann.lee@example.com"
ANN_NUMBER = "C1001"


def at(day: int, hour: int = 10) -> dt.datetime:
    """A fixed UTC time in November 2026 for ledger entries."""
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class ProfileClinic:
    home_id: int  # Marylebone: Ann's home
    away_id: int  # Shoreditch: Ann is a travel member here
    reception_id: int  # front desk: adjusts balances, takes payments; no more
    manager_id: int  # also deducts below zero, reverses entries, refunds tickets
    ann_id: int  # wallet £40.00, owes £30.00, 10 Botox, prepaid facials, a membership
    bob_id: int  # nothing at all: every empty state
    markup_id: int  # a name that is markup
    facial_account_id: int


async def _post(
    ctx: ServiceContext,
    client_id: int,
    kind: StoredValueKind,
    amount: int,
    description: str,
    when: dt.datetime,
    *,
    reason: Reason = Reason.ADJUST,
    service_id: int | None = None,
) -> int:
    async with ctx.transaction() as session:
        account = await ledger.get_or_create_account(
            session, client_id, kind, service_id=service_id
        )
        await ledger.post(
            session,
            account.id,
            amount,
            reason=reason.value,
            description=description,
            actor=ctx.actor,
            allow_negative=True,
            when=when,
        )
        return account.id


async def build_profile_clinic(ctx: ServiceContext, *, ann_data: bool = True) -> ProfileClinic:
    await make_store(ctx, business_name="Glow Clinic")
    home = await make_location(ctx, name="Marylebone")
    away = await make_location(ctx, name="Shoreditch")
    reception = await make_staff(ctx, name="Rita Reception", role="front_desk", location_id=home.id)
    manager = await make_staff(ctx, name="Mo Manager", role="manager", location_id=home.id)
    ctx = ctx.as_staff(reception.id)  # the set-up's entries name someone too (issue 13)
    ann = await make_client(
        ctx,
        first_name="Ann",
        last_name="Lee",
        phone=ANN_PHONE,
        email=ANN_EMAIL,
        client_number=ANN_NUMBER,
    )
    bob = await make_client(ctx, first_name="Bob", last_name="Empty", client_number="C1002")
    markup = await make_client(
        ctx, first_name=MARKUP_FIRST, last_name=MARKUP_LAST, client_number="C1003"
    )
    await make_client(ctx, first_name="Annabel", last_name="Stone", phone="020 7946 0000")
    facial = await make_service(ctx, name="Signature Facial", price_minor=8_000)
    manicure = await make_service(ctx, name="Manicure", price_minor=2_500)
    botox = await make_product(ctx, name="Botox", unit_price_minor=900)
    async with ctx.transaction() as session:
        await session.execute(
            update(Client).where(Client.id.in_([ann.id, bob.id])).values(home_location_id=home.id)
        )
    facial_account = 0
    if ann_data:
        async with ctx.transaction() as session:
            plan = MembershipPlan(
                name="Glow Gold", price_minor=7_900, beauty_bank=True, credit_minor=5_000
            )
            session.add(plan)
            await session.flush()
            session.add(
                Membership(
                    client_id=ann.id,
                    plan_id=plan.id,
                    status="active",
                    started_on=dt.date(2026, 1, 5),
                    next_renewal=dt.date(2026, 12, 5),
                )
            )
        wallet = StoredValueKind.WALLET_MONEY
        await _post(
            ctx, ann.id, wallet, 5_000, "Monthly Membership Credit", at(1), reason=Reason.RENEWAL
        )
        await _post(
            ctx, ann.id, wallet, -1_000, "Spent at checkout", at(9), reason=Reason.CHECKOUT_SPEND
        )
        await _post(
            ctx,
            ann.id,
            StoredValueKind.ACCOUNT_MONEY,
            -3_000,
            "Unpaid balance from last visit",
            at(10),
            reason=Reason.CHARGE,
        )
        await bank_units(ctx, client_id=ann.id, product_id=botox.id, units=10)
        facial_account = await _post(
            ctx,
            ann.id,
            StoredValueKind.PREPAID_VISITS,
            5,
            "Bought 5 facials",
            at(3),
            reason=Reason.SALE,
            service_id=facial.id,
        )
        await _post(
            ctx,
            ann.id,
            StoredValueKind.PREPAID_VISITS,
            -2,
            "Redeemed",
            at(12),
            reason=Reason.REDEEM,
            service_id=facial.id,
        )
        await _post(
            ctx,
            ann.id,
            StoredValueKind.PREPAID_VISITS,
            1,
            "Bought 1 manicure",
            at(4),
            reason=Reason.SALE,
            service_id=manicure.id,
        )
        await _post(
            ctx,
            ann.id,
            StoredValueKind.PREPAID_VISITS,
            -1,
            "Redeemed",
            at(5),
            reason=Reason.REDEEM,
            service_id=manicure.id,
        )
        await make_appointment(
            ctx,
            client_id=ann.id,
            service_id=facial.id,
            staff_id=reception.id,
            location_id=home.id,
            starts_at=UPCOMING,
        )
        await make_appointment(
            ctx,
            client_id=ann.id,
            service_id=facial.id,
            staff_id=reception.id,
            location_id=home.id,
            starts_at=PAST,
            status="completed",
        )
    return ProfileClinic(
        home.id, away.id, reception.id, manager.id, ann.id, bob.id, markup.id, facial_account
    )


async def build_profile_clinic_at(url: str, **options: Any) -> ProfileClinic:
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        return await build_profile_clinic(ctx, **options)
    finally:
        await ctx.dispose()


def build_profile_clinic_sync(url: str, **options: Any) -> ProfileClinic:
    """For plain-`def` snapshot tests."""
    return asyncio.run(build_profile_clinic_at(url, **options))


async def bulk_wallet_history(url: str, client_id: int, count: int) -> int:
    """`count` Beauty Bank entries in one INSERT, `balance_after` running like `post`'s.

    Alternates +£2.00 / −£1.00 (never below zero) from the account's current balance and
    moves the cached balance to match. Returns the final balance in pence.
    """
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            account_id = await conn.scalar(
                select(StoredValueAccount.id).where(
                    StoredValueAccount.client_id == client_id,
                    StoredValueAccount.kind == StoredValueKind.WALLET_MONEY.value,
                )
            )
            if account_id is None:
                inserted = (
                    await conn.execute(
                        insert(StoredValueAccount).values(
                            client_id=client_id,
                            kind=StoredValueKind.WALLET_MONEY.value,
                            item_key="wallet",
                            unit_value_minor=1,
                            balance=0,
                        )
                    )
                ).inserted_primary_key
                assert inserted is not None
                account_id = inserted[0]
            head = (
                await conn.execute(
                    select(StoredValueAccount.balance, StoredValueAccount.last_hash).where(
                        StoredValueAccount.id == account_id
                    )
                )
            ).one()
            balance = int(head.balance)
            # Recorded as the salon's first staff member: every entry names someone.
            staff_id = await conn.scalar(select(func.min(Staff.id)))
            rows = []
            start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
            for n in range(count):
                amount = 200 if n % 2 == 0 else -100
                balance += amount
                rows.append(
                    {
                        "account_id": account_id,
                        "amount": amount,
                        "balance_after": balance,
                        "reason": Reason.ADJUST.value,
                        "description": f"Bulk entry {n + 1}",
                        "staff_id": staff_id,
                        "terminal": "bulk",
                        "created_at": start + dt.timedelta(hours=n),
                    }
                )
            last_hash = ledger.chain_rows(rows, head.last_hash or GENESIS)
            await conn.execute(insert(LedgerEntry), rows)
            await conn.execute(
                update(StoredValueAccount)
                .where(StoredValueAccount.id == account_id)
                .values(balance=balance, last_hash=last_hash)
            )
            return balance
    finally:
        await engine.dispose()


async def ledger_count(url: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(LedgerEntry)) or 0)
    finally:
        await engine.dispose()


ScreenFactory = Callable[[Desk], Screen[Any]]


class ProfileHost(SteadyCursor, App[None]):
    """Pushes one screen on mount as `staff_id`; `results` collects what it dismisses with."""

    def __init__(
        self,
        url: str,
        make_screen: ScreenFactory,
        *,
        staff_id: int | None = None,
        areas: Areas = NO_AREAS,
        ansi: bool | None = None,
    ) -> None:
        super().__init__()
        self._url = url
        self._make_screen = make_screen
        self._staff_id = staff_id
        self._areas = areas
        self._desk: Desk | None = None
        self.results: list[object] = []
        self.clock: Callable[[], dt.datetime] = lambda: NOW
        if ansi if ansi is not None else wants_ansi_theme():
            self.theme = "ansi-dark"

    @property
    def desk(self) -> Desk:
        assert self._desk is not None, "the desk opens when the app mounts"
        return self._desk

    def on_mount(self) -> None:
        self._desk = open_desk(
            self._url, terminal="test", staff_id=self._staff_id, areas=self._areas
        )
        self.push_screen(self._make_screen(self._desk), self.results.append)

    async def on_unmount(self) -> None:
        if self._desk is not None:
            await self._desk.close()


def text_of(app: App[Any], selector: str) -> str:
    """What a Static shows, as plain text."""
    return str(app.screen.query_one(selector, Static).render())


def notes(app: App[Any]) -> list[str]:
    return [str(n.message) for n in app._notifications]


def tab_ready(app: App[Any], pane_id: str) -> bool:
    """The profile is on top showing tab `pane_id`, built and no longer loading."""
    screen = app.screen
    if not isinstance(screen, ClientProfileScreen) or screen.active_tab != pane_id:
        return False
    tab = screen.tab_widget(pane_id)
    return tab is not None and not tab.reading and not tab.loading


def section_shown(app: App[Any], section: str) -> bool:
    """The Account tab is showing its `section` (acct-wallet, acct-prepaid, …)."""
    found = app.screen.query(AccountTab)
    if not found:
        return False
    tab = found.first()
    # A section is read when first shown, under its own pane's loading cover.
    return (
        tab.active_section == section
        and not tab.reading
        and not tab.loading
        and section in tab.sections_loaded
        and not tab.query_one(f"#{section}").loading
    )


async def profile_opened(pilot: Pilot[Any]) -> None:
    await wait_until(
        pilot, lambda: tab_ready(pilot.app, "overview"), what="the profile on Overview"
    )
