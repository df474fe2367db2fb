"""Liability as of the end of a day and the roll-forward between two days (docs/rules.md,
L12-L14), per kind and home location, on both engines: checked against sums computed
here straight from the raw entries, over a small scripted salon and over the demo.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select

from frontdesk.db.tables import Client, LedgerEntry, Location, Staff, StoredValueAccount
from frontdesk.db.tables.base import written_at
from frontdesk.demo.seed import seed_demo
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import PermissionDenied, ValidationError
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.domain.rollforward import (
    COLUMN_OF,
    AccountSums,
    Column,
    column_of,
    day_bounds,
    roll_forward,
)
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.ledger_reports import NO_HOME, RollForwardReport
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.world import World, build_world

D = Decimal
UTC = dt.UTC
DAY1 = dt.date(2026, 3, 9)
DAY2 = dt.date(2026, 3, 10)
K = StoredValueKind


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


# --- pure -----------------------------------------------------------------------------


def test_every_reason_falls_in_exactly_one_column() -> None:
    assert set(COLUMN_OF) == set(Reason)
    for reason in Reason:
        assert column_of(reason.value) is COLUMN_OF[reason]
    assert column_of("from_another_tool") is Column.ADJUSTMENTS  # never dropped


def test_an_account_from_owed_to_credit_moves_the_balance_not_only_the_liability() -> None:
    """−£10 owed, then £15 paid: the balance moves £15, the liability only £5."""
    rows = [
        AccountSums(1, K.ACCOUNT_MONEY, 7, 1, "charge", -1000, 0, -1000),
        AccountSums(1, K.ACCOUNT_MONEY, 7, 1, "payment", 0, 1500, 1500),
        AccountSums(2, K.PREPAID_VISITS, None, 8000, "sale", 5, 0, 5),
        AccountSums(2, K.PREPAID_VISITS, None, 8000, "redeem", 0, -2, -2),
    ]
    money, visits = roll_forward(rows)
    assert (money.opening, money.closing, money.spent, money.difference) == (-1000, 500, 0, 0)
    assert money.moves[Column.ISSUED] == 1500
    assert (money.opening_liability, money.opening_owed) == (0, 1000)
    assert (money.closing_liability, money.closing_owed) == (500, 0)
    assert (visits.location_id, visits.opening, visits.spent, visits.closing) == (
        None,
        40_000,
        16_000,
        24_000,
    )


def test_a_day_is_the_local_day_in_utc() -> None:
    london = ZoneInfo("Europe/London")
    # 29 March 2026: the clocks go forward, so the day is 23 hours long.
    start, end = day_bounds(dt.date(2026, 3, 29), dt.date(2026, 3, 29), london)
    assert (start, end) == (at(dt.date(2026, 3, 29), 0), at(dt.date(2026, 3, 29), 23))
    tokyo = ZoneInfo("Asia/Tokyo")
    start, _ = day_bounds(DAY2, DAY2, tokyo)
    assert start == at(DAY1, 15)
    with pytest.raises(ValueError):
        day_bounds(DAY2, DAY1, UTC)


# --- a scripted salon -----------------------------------------------------------------


async def _salon(ctx: ServiceContext) -> tuple[World, int, int]:
    """The world's two clients at Main, a third at a second location, a fourth with no
    home; day 1 and day 2 of credits, charges, Beauty Bank, visits, a refund, a
    reversal and a merge from the second location into the first."""
    w = await build_world(ctx)

    async def client(n: int, home: int | None) -> int:
        async with ctx.transaction() as s:
            return (
                await s.execute(
                    insert(Client)
                    .values(
                        client_number=f"C{n:06d}",
                        first_name=f"Client{n}",
                        last_name="Test",
                        search_first=f"client{n}",
                        search_last="test",
                        phone_digits="",
                        email_lower="",
                        home_location_id=home,
                    )
                    .returning(Client.id)
                )
            ).scalar_one()

    async with ctx.transaction() as s:
        second = (
            await s.execute(
                insert(Location).values(name="Annex", address="").returning(Location.id)
            )
        ).scalar_one()
    annex_client = await client(3, second)
    homeless = await client(4, None)
    desk = Desk(ctx.as_staff(w.manager))
    with written_at(at(DAY1, 10)):
        await desk.balances.issue_account_credit(w.client, D("20"), "Overpaid", key=new_key())
        await desk.balances.charge_account(w.other_client, D("30"), "Tab", key=new_key())
        await desk.balances.adjust_wallet(annex_client, D("12.50"), "Goodwill", key=new_key())
        sale = await desk.till.complete(
            CheckoutInput(
                idempotency_key="massages",
                client_id=homeless,
                lines=(
                    LineInput(
                        kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=5, qty_used=0
                    ),
                ),
                tenders=(TenderInput(method="card", amount=D("400.00")),),
            )
        )
    with written_at(at(DAY2, 11)):
        await desk.balances.pay_balance(w.other_client, D("45"), "cash", key=new_key())
        wrong = await desk.balances.adjust_wallet(annex_client, D("5"), "Typo", key=new_key())
        await desk.balances.reverse_entry(wrong.entry.id, "Typed twice", key=new_key())
        await desk.till.reverse(sale.ticket_id, "Changed her mind")
        # A duplicate record at the Annex, with £3 of Beauty Bank, merged into Amelia.
        duplicate = await client(5, second)
        await desk.balances.adjust_wallet(duplicate, D("3"), "Welcome", key=new_key())
        await desk.client_records.merge(w.client, duplicate, "Same person")
    with written_at(at(DAY2 + dt.timedelta(days=1), 9)):  # after the period: not counted
        await desk.balances.issue_account_credit(w.client, D("1"), "Later", key=new_key())
    return w, second, homeless


async def raw_sums(ctx: ServiceContext, before: dt.datetime) -> dict[tuple[str, int | None], int]:
    """Per kind and home location, Σ(positive account balances × unit value) of the
    entries before `before`, computed here from every raw entry."""
    async with ctx.read() as s:
        rows = (
            await s.execute(
                select(
                    LedgerEntry.account_id,
                    LedgerEntry.amount,
                    LedgerEntry.created_at,
                    StoredValueAccount.kind,
                    StoredValueAccount.unit_value_minor,
                    Client.home_location_id,
                )
                .join(StoredValueAccount, StoredValueAccount.id == LedgerEntry.account_id)
                .join(Client, Client.id == StoredValueAccount.client_id)
            )
        ).all()
    balance: dict[int, int] = defaultdict(int)
    about: dict[int, tuple[str, int | None, int]] = {}
    for account, amount, created, kind, value, home in rows:
        created = created if created.tzinfo else created.replace(tzinfo=UTC)
        about[account] = (kind, home, value)
        if created < before:
            balance[account] += amount
    out: dict[tuple[str, int | None], int] = defaultdict(int)
    for account, total in balance.items():
        kind, home, value = about[account]
        out[(kind, home)] += max(total, 0) * value
    return dict(out)


async def test_liability_on_a_past_day_is_the_sum_of_its_entries(ctx: ServiceContext) -> None:
    w, second, _ = await _salon(ctx)
    reports = Desk(ctx.as_staff(w.manager)).ledger_reports
    day1 = await reports.liability_on(DAY1, tz=UTC)
    assert day1.as_of == at(DAY2, 0)
    got = {(ln.kind.value, ln.location_id): ln for ln in day1.lines}
    expected = await raw_sums(ctx, at(DAY2, 0))
    assert {k: int(v.liability * 100) for k, v in got.items()} == expected
    main = got[(K.ACCOUNT_MONEY.value, w.location)]
    # Amelia's £20 credit is a liability; Zoë's £30 owed is not, but is in the balance.
    assert (main.liability, main.owed, main.balance) == (D("20.00"), D("30.00"), D("-10.00"))
    assert got[(K.WALLET_MONEY.value, second)].liability == D("12.50")
    visits = got[(K.PREPAID_VISITS.value, None)]
    assert (visits.location_name, visits.liability) == (NO_HOME, D("400.00"))
    # The same total as the whole-business liability at that instant (L8).
    whole = await Desk(ctx.as_staff(w.manager)).balances.liability(
        at(DAY2, 0) - dt.timedelta(microseconds=1)
    )
    assert day1.liability() == whole.total == D("432.50")
    # One location only.
    annex = await reports.liability_on(DAY1, location_id=second, tz=UTC)
    assert [(ln.kind, ln.liability) for ln in annex.lines] == [(K.WALLET_MONEY, D("12.50"))]


async def test_the_roll_forward_of_a_day_reconciles_column_by_column(ctx: ServiceContext) -> None:
    w, second, _ = await _salon(ctx)
    report = await Desk(ctx.as_staff(w.manager)).ledger_reports.roll_forward(DAY2, DAY2, tz=UTC)
    assert report.reconciles
    lines = {(ln.kind, ln.location_id): ln for ln in report.lines}
    account = lines[(K.ACCOUNT_MONEY, w.location)]
    # −£10 (£20 credit, £30 owed) + £45 paid = £35: Zoë now has £15 credit.
    assert (account.opening, account.issued, account.closing) == (
        D("-10.00"),
        D("45.00"),
        D("35.00"),
    )
    assert (account.closing_liability, account.closing_owed) == (D("35.00"), D("0.00"))
    wallet = lines[(K.WALLET_MONEY, second)]
    assert (wallet.opening, wallet.adjustments, wallet.reversals, wallet.closing) == (
        D("12.50"),
        D("8.00"),  # £5 typed twice and the duplicate's £3 welcome
        D("-5.00"),
        D("12.50"),
    )
    visits = lines[(K.PREPAID_VISITS, None)]
    assert (visits.opening, visits.refunds, visits.closing) == (D("400.00"), D("-400.00"), D(0))
    # The merge moved £3 from the Annex to Main: business-wide it nets to nothing.
    assert lines[(K.WALLET_MONEY, w.location)].merges == D("3.00")
    assert wallet.merges == D("-3.00") and report.total(K.WALLET_MONEY).merges == 0
    # The day after is outside: its £1 credit is not in the closing balance.
    assert report.total(K.ACCOUNT_MONEY).closing == D("35.00")
    # Two days chained: the first's closing is the second's opening.
    first = await Desk(ctx.as_staff(w.manager)).ledger_reports.roll_forward(DAY1, DAY1, tz=UTC)
    for kind in K:
        assert first.total(kind).closing == report.total(kind).opening
    assert await _period_is_whole(first)


async def _period_is_whole(report: RollForwardReport) -> bool:
    return report.reconciles and all(ln.difference == 0 for ln in report.lines)


async def test_a_period_that_ends_before_it_starts_is_refused(ctx: ServiceContext) -> None:
    """(Who may read the reports is in test_permissions' table.)"""
    w = await build_world(ctx)
    manager = Desk(ctx.as_staff(w.manager))
    with pytest.raises(ValidationError) as refused:
        await manager.ledger_reports.roll_forward(DAY2, DAY1)
    assert refused.value.field == "to"
    with pytest.raises(ValidationError):
        await manager.commission_reports.for_period(DAY2, DAY1)
    with pytest.raises(PermissionDenied):  # a front-desk person
        await Desk(ctx.as_staff(w.desk)).ledger_reports.roll_forward(DAY1, DAY2)


# --- the demo -------------------------------------------------------------------------

TODAY = dt.date(2026, 3, 11)


async def test_the_demo_history_rolls_forward_to_the_minor_unit(ctx: ServiceContext) -> None:
    await seed_demo(ctx, today=TODAY)
    async with ctx.read() as s:
        owner = await s.scalar(select(Staff.id).where(Staff.role == "owner").limit(1))
        oldest = await s.scalar(select(func.min(LedgerEntry.created_at)))
        newest = await s.scalar(select(func.max(LedgerEntry.created_at)))
    assert owner is not None and oldest is not None and newest is not None
    reports = Desk(ctx.as_staff(owner)).ledger_reports
    first, last = oldest.date() - dt.timedelta(days=1), newest.date() + dt.timedelta(days=1)
    whole = await reports.roll_forward(first, last, tz=UTC)
    assert whole.reconciles
    for kind in K:
        assert whole.total(kind).opening == 0  # nothing before the first entry
    # Every kind is there, and the demo moves more than one column.
    assert {ln.kind for ln in whole.lines} == set(K)
    account = whole.total(K.ACCOUNT_MONEY)
    assert account.issued and account.spent and account.reversals
    assert whole.total(K.WALLET_MONEY).adjustments and whole.total(K.PREPAID_VISITS).spent
    # Some demo clients owe money: the balance is the liability less what they owe.
    assert account.closing_owed > 0
    assert account.closing == account.closing_liability - account.closing_owed
    # Cut in three periods: each reconciles, each closes where the next opens.
    cuts = [first, TODAY - dt.timedelta(days=60), TODAY - dt.timedelta(days=7), last]
    periods = [
        await reports.roll_forward(a if i == 0 else a + dt.timedelta(days=1), b, tz=UTC)
        for i, (a, b) in enumerate(pairwise(cuts))
    ]
    for earlier, later in pairwise(periods):
        assert earlier.reconciles and later.reconciles
        for kind in K:
            assert earlier.total(kind).closing == later.total(kind).opening
    for kind in K:
        assert periods[-1].total(kind).closing == whole.total(kind).closing
        moved = [whole.total(kind)] + [p.total(kind) for p in periods]
        for column in ("issued", "spent", "adjustments", "reversals", "refunds", "merges"):
            assert getattr(moved[0], column) == sum(
                (getattr(p, column) for p in moved[1:]), D(0)
            ), (kind, column)
    # The liability at the end of a past day, against the raw entries.
    past = TODAY - dt.timedelta(days=30)
    on = await reports.liability_on(past, tz=UTC)
    expected = await raw_sums(ctx, at(past + dt.timedelta(days=1), 0))
    got = {(ln.kind.value, ln.location_id): ln.liability for ln in on.lines}
    assert {k: v for k, v in got.items() if v} == {
        k: from_minor(v, "GBP") for k, v in expected.items() if v
    }
    assert on.liability() > 0


async def test_an_entry_at_midnight_belongs_to_the_day_it_opens(ctx: ServiceContext) -> None:
    w = await build_world(ctx)
    desk = Desk(ctx.as_staff(w.manager))
    midnight = at(DAY2, 0)
    with written_at(midnight - dt.timedelta(microseconds=1)):
        await desk.balances.issue_account_credit(w.client, D("1"), "Last of day 1", key=new_key())
    with written_at(midnight):
        await desk.balances.issue_account_credit(w.client, D("2"), "First of day 2", key=new_key())
    day1 = await desk.ledger_reports.liability_on(DAY1, tz=UTC)
    assert day1.liability() == D("1.00")
    day2 = await desk.ledger_reports.roll_forward(DAY2, DAY2, tz=UTC)
    money = day2.total(K.ACCOUNT_MONEY)
    assert (money.opening, money.issued, money.closing) == (D("1.00"), D("2.00"), D("3.00"))
    # In Tokyo both were written on 10 March (09:00 local): one local day holds both.
    tokyo = await desk.ledger_reports.roll_forward(DAY2, DAY2, tz=ZoneInfo("Asia/Tokyo"))
    assert tokyo.total(K.ACCOUNT_MONEY).issued == D("3.00")
