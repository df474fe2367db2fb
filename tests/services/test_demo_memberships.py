"""The demo's last 90 days of memberships are made by the services themselves (issue 16,
item 7): the renewal run day by day, the clients' Select choices, a cancellation, with a
card declined once and retried, and one that always declines (past due)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select

from frontdesk.db.tables import (
    LedgerEntry,
    Membership,
    MembershipCycle,
    Notification,
    TicketLine,
)
from frontdesk.demo.memberships import SERVICE_DAYS
from frontdesk.demo.seed import TERMINAL, seed_demo
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.ledger import Reason
from frontdesk.services.audit import verify_ledger
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.payment_gateway import FakeGateway

TODAY = dt.date(2026, 3, 11)
CUTOVER = TODAY - dt.timedelta(days=SERVICE_DAYS)


async def test_the_last_90_days_of_memberships_come_from_the_renewal_run(
    ctx: ServiceContext,
) -> None:
    await seed_demo(ctx, today=TODAY)
    async with ctx.read() as s:
        cycles = list((await s.execute(select(MembershipCycle))).scalars())
        renewal_lines = await s.scalar(
            select(func.count())
            .select_from(TicketLine)
            .where(TicketLine.kind == LineKind.MEMBERSHIP_RENEWAL.value)
        )
        texts = [t for (t,) in await s.execute(select(Notification.text))]
        cancelled = (
            await s.execute(select(Membership).where(Membership.cancel_reason != ""))
        ).scalars()
        cancelled_in_window = [
            m for m in cancelled if m.cancelled_at and m.cancelled_at.date() >= CUTOVER
        ]
        renewal_entries = (
            await s.execute(
                select(LedgerEntry.created_at, LedgerEntry.terminal).where(
                    LedgerEntry.reason == Reason.RENEWAL.value
                )
            )
        ).all()
    assert cycles and all(CUTOVER <= c.cycle_start <= TODAY for c in cycles)
    assert all(c.terminal == TERMINAL for c in cycles)
    statuses = Counter((c.status, c.attempts) for c in cycles)
    assert statuses[("paid", 1)] > 50
    assert statuses[("paid", 2)] >= 1  # declined once, paid by the next day's run
    assert statuses[("failed", 4)] == 1  # the card that always declines: past due
    benefits = Counter(c.benefit for c in cycles if c.status == "paid")
    assert {"credited", "cash", "treatment", "expired", "pending", "none"} <= set(benefits)
    # Every paid cycle is a card ticket the run recorded: takings count it.
    assert renewal_lines == sum(1 for c in cycles if c.status == "paid")
    assert all(c.ticket_id is not None for c in cycles if c.status == "paid")
    assert any(t.startswith("Your wallet just grew!") for t in texts)
    assert any(t.startswith("Choose your monthly benefit") for t in texts)
    assert cancelled_in_window  # cancelled through the service, with its reason
    # Renewal credits are stamped on the day the run made them, never after today.
    assert renewal_entries
    assert all(when.date() <= TODAY for when, _ in renewal_entries)
    assert (await verify_ledger(ctx)).whole

    (failed,) = [c for c in cycles if c.status == "failed"]
    async with ctx.read() as s:
        member = await s.get(Membership, failed.membership_id)
    assert member is not None
    desk = Desk(ctx.as_staff(1))
    assert (await desk.profile.header(member.client_id, None)).past_due

    # The demo's run for today already happened: running it again renews nothing.
    again = await desk.renewals.run(TODAY, FakeGateway())
    assert (again.renewed, again.declined) == (0, 0)
