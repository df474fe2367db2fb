"""The demo seed: promised content, a ledger that obeys its invariants, determinism."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import (
    Appointment,
    Client,
    LedgerEntry,
    Location,
    MembershipPlan,
    Package,
    PackageItem,
    Product,
    Service,
    ServiceAddonDefault,
    Staff,
    StaffPermission,
    StoredValueAccount,
    StoreSettings,
)
from frontdesk.demo import names
from frontdesk.demo import seed as seed_module
from frontdesk.demo.seed import SeedReport, seed_demo, seed_demo_schedule_first
from frontdesk.demo.state import demo_state
from frontdesk.domain.errors import Unavailable
from frontdesk.domain.normalize import digits, fold
from frontdesk.domain.permissions import Perm, permissions_of
from frontdesk.services.audit import verify_ledger
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.pins import NoPepper
from frontdesk.services.sign_in import SignInRefused

# A Wednesday, so the demo week has past, present and future days.
TODAY = dt.date(2026, 3, 11)


async def _seeded(ctx: ServiceContext, **kwargs: Any) -> SeedReport:
    return await seed_demo(ctx, today=TODAY, **kwargs)


async def test_seed_fills_the_promised_salon(ctx: ServiceContext) -> None:
    assert await demo_state(ctx) != "complete"
    report = await _seeded(ctx)
    assert await demo_state(ctx) == "complete"
    assert str(report).startswith("seeded 300 clients, 10 staff, 2 locations, ")
    assert str(report).endswith(f"{report.ledger_entries:,} ledger entries")

    async with ctx.read() as s:
        settings = await s.get(StoreSettings, 1)
        assert settings is not None
        assert (settings.business_name, settings.currency, settings.locale) == (
            "Glow & Co. Aesthetics",
            "GBP",
            "en_GB",
        )
        assert settings.future_product_usage and settings.commission_system == "single"

        locations = list((await s.execute(select(Location).order_by(Location.id))).scalars())
        assert [loc.name for loc in locations] == ["Marylebone", "Shoreditch"]
        home, away = locations[0].id, locations[1].id

        staff = list((await s.execute(select(Staff))).scalars())
        assert len(staff) >= 8
        roles = {m.role for m in staff}
        assert {"owner", "manager", "front_desk", "aesthetic_practitioner", "therapist"} <= roles
        assert {m.location_id for m in staff} == {home, away}
        # The roles alone say what each may do: no personal grants repeat them.
        assert await s.scalar(select(func.count()).select_from(StaffPermission)) == 0
        held = {m.role: permissions_of(m.role) for m in staff}
        assert held["owner"] == frozenset(Perm)
        assert Perm.REVERSE_ENTRIES in held["manager"] and Perm.SETUP not in held["manager"]
        assert Perm.REVERSE_ENTRIES not in held["front_desk"]
        for clinician in ("aesthetic_practitioner", "therapist"):
            assert Perm.EDIT_TRANSFORMATION_LOG in held[clinician]
            assert Perm.ADJUST_BALANCES not in held[clinician]

        clients = list((await s.execute(select(Client).order_by(Client.id))).scalars())
        assert len(clients) == report.clients == 300
        assert [c.client_number for c in clients[:3]] == ["C000001", "C000002", "C000003"]
        assert clients[-1].client_number == "C000300"
        by_name = {(c.first_name, c.last_name): c for c in clients}
        for name in [
            ("[b]Bold[/b]", "[@click=app.quit]x"),
            ("Zoë", "Ångström"),
            ("José", "Núñez"),
            ("Siobhán", "Ó Briain"),
            ("芳", "王"),
            ("Мария", "Иванова"),
            ("محمد", "علي"),
            ("さくら", "山田"),
            ("Amelia", "Hart"),
        ]:
            assert name in by_name, name
        longest = max(clients, key=lambda c: len(c.first_name) + len(c.last_name))
        assert len(longest.first_name) >= 55 and len(longest.last_name) >= 55
        assert by_name[("Zoë", "Ångström")].search_last == "angstrom"
        for c in clients:
            assert c.search_first == fold(c.first_name)
            assert c.search_last == fold(c.last_name)
            assert c.phone_digits == digits(c.phone)
            assert c.email_lower == c.email.casefold()
            assert len(c.email) <= 120
        assert len({c.email_lower for c in clients if c.email}) == len(
            [c for c in clients if c.email]
        )
        assert any(c.home_location_id == away for c in clients)
        assert any(c.phone.startswith("+44") for c in clients)
        assert any("(" in c.phone for c in clients)

        plans = {p.name: p for p in (await s.execute(select(MembershipPlan))).scalars()}
        assert set(plans) == {"Glow Auto", "Glow Select", "Essentials"}
        assert plans["Glow Auto"].credit_minor == 5_000 and plans["Glow Auto"].mode == "auto"
        assert plans["Glow Select"].mode == "select"
        assert plans["Glow Select"].cash_alternative_minor == 4_000
        assert plans["Glow Select"].included_service_id is not None
        assert not plans["Essentials"].beauty_bank
        assert report.memberships >= 30

        products = {p.name: p for p in (await s.execute(select(Product))).scalars()}
        botox = products["Botox"]
        assert (botox.unit_price_minor, botox.usage_tracking, botox.addon_eligible) == (
            900,
            True,
            True,
        )
        package = (await s.execute(select(Package))).scalar_one()
        item = (await s.execute(select(PackageItem))).scalar_one()
        assert package.price_minor == 40_000
        assert (item.package_id, item.product_id, item.units) == (package.id, botox.id, 50)
        services = {sv.name: sv for sv in (await s.execute(select(Service))).scalars()}
        botox_service = services["Botox — Anti-wrinkle (3 areas)"]
        default = await s.get(ServiceAddonDefault, (botox_service.id, botox.id))
        assert default is not None and default.default_units == 20

        # Today at the first location: a full book, with the front desk's three stories.
        start = dt.datetime.combine(TODAY, dt.time(0))
        today_rows = (
            await s.execute(
                select(Appointment, Client)
                .join(Client, Client.id == Appointment.client_id)
                .where(
                    Appointment.location_id == home,
                    Appointment.starts_at >= start,
                    Appointment.starts_at < start + dt.timedelta(days=1),
                )
            )
        ).all()
        assert 12 <= len(today_rows) <= 24
        statuses = {a.status for a, _ in today_rows}
        assert {"booked", "checked_in", "completed"} <= statuses

        async def botox_units(client_id: int) -> int | None:
            balance: int | None = await s.scalar(
                select(StoredValueAccount.balance).where(
                    StoredValueAccount.client_id == client_id,
                    StoredValueAccount.product_id == botox.id,
                )
            )
            return balance

        botox_today = [
            (a, c)
            for a, c in today_rows
            if a.service_id == botox_service.id and a.status == "booked"
        ]
        owned = [await botox_units(c.id) for _, c in botox_today]
        assert 10 in owned
        assert any(units in (None, 0) for units in owned)
        amelia = by_name[("Amelia", "Hart")]
        assert await botox_units(amelia.id) == 10
        assert any(c.first_name == "[b]Bold[/b]" for _, c in today_rows)

        # Nobody is in two places at once.
        appts = list((await s.execute(select(Appointment))).scalars())
        for key in ("staff_id", "client_id"):
            spans: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
            for a in appts:
                spans[getattr(a, key)].append((a.starts_at, a.ends_at))
            for items in spans.values():
                items.sort()
                for (_, end), (nxt, _) in pairwise(items):
                    assert end <= nxt, key
        week_start = TODAY - dt.timedelta(days=TODAY.weekday())
        assert {a.starts_at.date() for a in appts} <= {
            week_start + dt.timedelta(days=n) for n in range(7)
        }
        for a in appts:
            assert a.starts_at.time() >= dt.time(9) and a.ends_at.time() <= dt.time(18)
            if a.starts_at.date() > TODAY:
                assert a.status in ("booked", "cancelled")
            if a.starts_at.date() < TODAY:
                assert a.status in ("completed", "no_show", "cancelled")


async def test_demo_ledger_obeys_the_ledger_invariants(ctx: ServiceContext) -> None:
    await _seeded(ctx)
    async with ctx.read() as s:
        accounts = {a.id: a for a in (await s.execute(select(StoredValueAccount))).scalars()}
        entries = list((await s.execute(select(LedgerEntry).order_by(LedgerEntry.id))).scalars())
    assert accounts and entries
    by_account: dict[int, list[LedgerEntry]] = defaultdict(list)
    for e in entries:
        by_account[e.account_id].append(e)
    for account_id, account in accounts.items():
        running = 0
        last_at: dt.datetime | None = None
        for e in by_account[account_id]:
            assert e.amount != 0
            running += e.amount
            assert e.balance_after == running, (account_id, e.id)
            if account.kind in ("product_units", "prepaid_visits"):
                assert e.balance_after >= 0, (account.kind, e.id)
            if account.kind == "wallet_money":
                assert e.balance_after >= 0
            when = e.created_at.replace(tzinfo=e.created_at.tzinfo or dt.UTC)
            assert last_at is None or when >= last_at, (account_id, e.id)
            last_at = when
            assert e.terminal == "demo-seed" and e.staff_id is not None
        assert account.balance == running, account_id
        if account.kind == "product_units":
            assert account.unit_value_minor in (900, 28_000)
        if account.kind == "prepaid_visits":
            assert account.unit_value_minor > 1000

    by_id = {e.id: e for e in entries}
    reversals = [e for e in entries if e.reverses_entry_id is not None]
    assert reversals
    for r in reversals:
        original = by_id[r.reverses_entry_id or 0]
        assert r.amount == -original.amount and r.account_id == original.account_id
        assert r.reason == "reversal"
    reasons = {e.reason for e in entries}
    assert {"sale", "use", "redeem", "credit", "charge", "renewal", "adjust"} <= reasons
    assert "checkout_spend" in reasons
    assert any(e.description == "Monthly Membership Credit" for e in entries)
    audit = await verify_ledger(ctx)  # and its hash chain is whole (L10)
    assert audit.whole and (audit.entries, audit.accounts) == (len(entries), len(accounts))
    kinds = {a.kind: a for a in accounts.values()}
    assert set(kinds) == {"product_units", "prepaid_visits", "account_money", "wallet_money"}
    assert any(a.kind == "account_money" and a.balance < 0 for a in accounts.values())
    assert any(a.kind == "account_money" and a.balance > 0 for a in accounts.values())
    assert any(e.appointment_id is not None and e.reason == "use" for e in entries)


async def _nothing_to_do() -> None:
    return None


async def _snapshot(
    url: str, seed: int, clients: int = 120, *, schedule_first: bool = False
) -> tuple[list[Any], list[Any]]:
    ctx = ServiceContext.create(create_engine(url), terminal="test")
    try:
        if schedule_first:
            await seed_demo_schedule_first(
                ctx, schedule_ready=_nothing_to_do, clients=clients, seed=seed, today=TODAY
            )
        else:
            await seed_demo(ctx, clients=clients, seed=seed, today=TODAY)
        async with ctx.read() as s:
            cols = [c for c in Client.__table__.columns if c.name != "id"]
            client_rows = [tuple(r) for r in (await s.execute(select(*cols).order_by(Client.id)))]
            ledger = [
                tuple(r)
                for r in await s.execute(
                    select(
                        StoredValueAccount.kind,
                        StoredValueAccount.item_key,
                        LedgerEntry.amount,
                        LedgerEntry.reason,
                        LedgerEntry.description,
                    )
                    .join(StoredValueAccount, StoredValueAccount.id == LedgerEntry.account_id)
                    .order_by(LedgerEntry.id)
                )
            ]
        return client_rows, ledger
    finally:
        await ctx.dispose()


async def test_same_seed_same_demo_and_another_seed_differs(
    sqlite_url: str, sqlite_template: Path, tmp_path: Path
) -> None:
    def fresh(name: str) -> str:
        target = tmp_path / name
        target.write_bytes(sqlite_template.read_bytes())
        return f"sqlite+aiosqlite:///{target}"

    first = await _snapshot(sqlite_url, seed=7)
    again = await _snapshot(fresh("again.db"), seed=7)
    other = await _snapshot(fresh("other.db"), seed=8)
    assert first[0] == again[0]
    assert first[1] == again[1]
    assert first[0] != other[0]
    assert first[1] != other[1]


async def test_seeding_twice_refuses(ctx: ServiceContext) -> None:
    await _seeded(ctx, clients=20)
    async with ctx.read() as s:
        before = await s.scalar(select(func.count()).select_from(LedgerEntry))
    with pytest.raises(Unavailable, match="already has clients"):
        await _seeded(ctx, clients=20)
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(Client)) == 20
        assert await s.scalar(select(func.count()).select_from(LedgerEntry)) == before


async def test_larger_runs_add_a_bounded_number_of_wallet_credits(sqlite_url: str) -> None:
    """Beyond the first 300 clients, one in 50 gets a single wallet credit, no more."""
    ctx = ServiceContext.create(create_engine(sqlite_url), terminal="test")
    try:
        report = await seed_demo(ctx, clients=1_200, seed=1, today=TODAY)
        assert report.clients == 1_200
        async with ctx.read() as s:
            extra_wallets = await s.scalar(
                select(func.count())
                .select_from(StoredValueAccount)
                .join(Client, Client.id == StoredValueAccount.client_id)
                .where(Client.client_number > "C000300")
            )
        assert extra_wallets == len(range(300, 1_200, 50))
    finally:
        await ctx.dispose()


async def test_schedule_first_commits_the_week_before_the_history(ctx: ServiceContext) -> None:
    """What a first `frontdesk --demo` relies on: once `schedule_ready` is called, another
    session already reads this week's appointments; the history arrives later, whole."""
    seen: dict[str, object] = {}

    async def schedule_ready() -> None:
        seen["state"] = await demo_state(ctx)
        async with ctx.read() as s:
            seen["appointments today"] = await s.scalar(
                select(func.count())
                .select_from(Appointment)
                .where(func.date(Appointment.starts_at) == TODAY)
            )
            seen["entries"] = await s.scalar(select(func.count()).select_from(LedgerEntry))
        # The staff can sign in as soon as the app opens on the schedule.
        number, name, _, pin = readme_pins()[0]
        seen["owner"] = (await Desk(ctx).sign_in.sign_in(str(number), pin)).name == name

    assert await demo_state(ctx) == "empty"
    report = await seed_demo_schedule_first(ctx, schedule_ready=schedule_ready, today=TODAY)
    assert seen["state"] == "partial"
    assert isinstance(seen["appointments today"], int) and seen["appointments today"] > 0
    assert seen["entries"] == 0
    assert seen["owner"] is True
    assert await demo_state(ctx) == "complete"
    assert report.clients == 300 and report.ledger_entries > 0


async def test_schedule_first_builds_the_same_demo_as_one_transaction(
    sqlite_template: Path, tmp_path: Path
) -> None:
    def fresh(name: str) -> str:
        target = tmp_path / name
        target.write_bytes(sqlite_template.read_bytes())
        return f"sqlite+aiosqlite:///{target}"

    at_once = await _snapshot(fresh("at-once.db"), seed=3)
    in_two = await _snapshot(fresh("in-two.db"), seed=3, schedule_first=True)
    assert at_once == in_two
    assert at_once[1], "the demo has a ledger history"


# --- the demo's staff: PINs, and who records what ----------------------------------------

README = Path(__file__).resolve().parents[2] / "README.md"
README_HEADER = "| number | name | role | PIN |"


def readme_pins() -> list[tuple[int, str, str, str]]:
    """The README's table of demo staff: (number, name, role, PIN)."""
    lines = README.read_text(encoding="utf-8").splitlines()
    rows: list[tuple[int, str, str, str]] = []
    for line in lines[lines.index(README_HEADER) + 2 :]:
        if not line.startswith("|"):
            break
        number, name, role, pin = (c.strip().strip("`") for c in line.strip("|").split("|"))
        rows.append((int(number), name, role, pin))
    return rows


def test_the_readme_lists_every_demo_pin_once() -> None:
    listed = readme_pins()
    assert [(n, name, role.replace(" ", "_"), pin) for n, name, role, pin in listed] == [
        (n, name, role, pin) for n, (name, role, _, pin) in enumerate(names.STAFF, start=1)
    ]
    pins = [pin for *_, pin in listed]
    assert len(set(pins)) == len(pins)
    assert all(len(pin) == 4 and pin.isdigit() for pin in pins)


async def test_the_demo_staff_sign_in_with_the_readme_pins(ctx: ServiceContext) -> None:
    await _seeded(ctx, clients=20)
    desk = Desk(ctx)
    for number, name, role, pin in readme_pins():
        signed = await desk.sign_in.sign_in(str(number), pin)
        assert (signed.name, signed.role.replace("_", " ")) == (name, role)
        assert signed.permissions == permissions_of(signed.role)
    owner_pin = readme_pins()[0][3]
    with pytest.raises(SignInRefused):
        await desk.sign_in.sign_in("2", owner_pin)  # one person's PIN is not another's


# What each kind of demo entry needs of the person who records it (docs/rules.md, X2).
NEEDED = {
    "sale": Perm.TAKE_PAYMENTS,
    "use": Perm.TAKE_PAYMENTS,
    "redeem": Perm.TAKE_PAYMENTS,
    "payment": Perm.TAKE_PAYMENTS,
    "checkout_spend": Perm.TAKE_PAYMENTS,
    "adjust": Perm.ADJUST_BALANCES,
    "credit": Perm.ADJUST_BALANCES,
    "charge": Perm.ADJUST_BALANCES,
    "renewal": Perm.RUN_RENEWALS,
    "reversal": Perm.REVERSE_ENTRIES,
}


async def test_every_demo_entry_is_recorded_by_someone_whose_role_may_make_it(
    ctx: ServiceContext,
) -> None:
    await _seeded(ctx)
    async with ctx.read() as s:
        roles = {sid: role for sid, role in (await s.execute(select(Staff.id, Staff.role))).all()}
        threshold = await s.scalar(select(StoreSettings.approval_threshold_minor))
        rows = (
            await s.execute(
                select(
                    LedgerEntry.reason,
                    LedgerEntry.amount,
                    LedgerEntry.staff_id,
                    LedgerEntry.approved_by,
                    StoredValueAccount.unit_value_minor,
                ).join(StoredValueAccount, StoredValueAccount.id == LedgerEntry.account_id)
            )
        ).all()
    assert threshold == 10_000
    assert set(NEEDED) == {r.reason for r in rows}
    approved = 0
    for r in rows:
        assert r.staff_id is not None
        assert NEEDED[r.reason] in permissions_of(roles[r.staff_id]), r
        worth = abs(r.amount) * r.unit_value_minor
        if r.reason in ("adjust", "credit", "charge") and worth > threshold:
            # The two-person rule (X4): a second person who may approve.
            assert r.approved_by not in (None, r.staff_id), r
            assert Perm.APPROVE in permissions_of(roles[r.approved_by])
            approved += 1
        elif r.reason != "reversal":
            assert r.approved_by is None, r
    assert approved > 0, "the demo shows an approved adjustment"


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_a_demo_on_postgresql_without_a_pepper_is_refused_before_anything(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FRONTDESK_PEPPER")
    with pytest.raises(NoPepper):
        await _seeded(ctx, clients=20)
    assert await demo_state(ctx) == "empty"
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(Staff)) == 0


async def test_a_seed_stopped_during_the_renewal_days_is_partial(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 90 days of renewals are many transactions after the history: stopped among
    them, the demo has ledger entries but is not whole, and `--demo` must rebuild it."""

    class Stopped(Exception):
        pass

    async def stopped(*_args: object, **_kwargs: object) -> None:
        raise Stopped

    monkeypatch.setattr(seed_module, "live_membership_days", stopped)
    with pytest.raises(Stopped):
        await _seeded(ctx)
    async with ctx.read() as s:
        assert (await s.scalar(select(func.count()).select_from(LedgerEntry)) or 0) > 0
    assert await demo_state(ctx) == "partial"
