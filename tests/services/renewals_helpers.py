"""What the renewal tests share: a membership due on a day, the client's balances, the
cycles and the outbox as rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select, update

from frontdesk.db.tables import (
    Membership,
    MembershipCycle,
    Notification,
    Payment,
    StoredValueAccount,
    Ticket,
)
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.services.context import ServiceContext
from frontdesk.services.payment_gateway import ChargeResult, FakeGateway
from tests.services.world import day


async def member(
    ctx: ServiceContext,
    client: int,
    plan: int,
    *,
    due: dt.date | None = None,
    status: str = "active",
) -> int:
    """A membership whose next cycle starts on `due` (the test's day 0 unless said)."""
    start = due or day(0)
    async with ctx.transaction() as s:
        row = Membership(
            client_id=client,
            plan_id=plan,
            status=status,
            started_on=start - dt.timedelta(days=31),
            next_renewal=start,
        )
        s.add(row)
        await s.flush()
        return row.id


async def balance(ctx: ServiceContext, client: int, kind: StoredValueKind) -> int:
    async with ctx.read() as s:
        found = await s.scalar(
            select(func.coalesce(func.sum(StoredValueAccount.balance), 0)).where(
                StoredValueAccount.client_id == client, StoredValueAccount.kind == kind.value
            )
        )
    return int(found or 0)


async def wallet(ctx: ServiceContext, client: int) -> int:
    return await balance(ctx, client, StoredValueKind.WALLET_MONEY)


async def cycles(ctx: ServiceContext) -> list[MembershipCycle]:
    async with ctx.read() as s:
        return list((await s.scalars(select(MembershipCycle).order_by(MembershipCycle.id))).all())


async def notes(ctx: ServiceContext) -> list[tuple[int, str, str]]:
    async with ctx.read() as s:
        rows = await s.execute(
            select(Notification.client_id, Notification.channel, Notification.text).order_by(
                Notification.id
            )
        )
        return [(int(c), str(ch), str(t)) for c, ch, t in rows.all()]


async def takings(ctx: ServiceContext) -> tuple[int, int]:
    """(tickets, card payments in minor units): what the reports would sum."""
    async with ctx.read() as s:
        tickets = await s.scalar(select(func.count()).select_from(Ticket))
        card = await s.scalar(
            select(func.coalesce(func.sum(Payment.amount_minor), 0)).where(Payment.method == "card")
        )
    return int(tickets or 0), int(card or 0)


async def next_renewal(ctx: ServiceContext, membership: int) -> dt.date | None:
    async with ctx.read() as s:
        found: dt.date | None = await s.scalar(
            select(Membership.next_renewal).where(Membership.id == membership)
        )
    return found


class CrashAfterCharge:
    """A gateway that charges (through `inner`) and then never answers: as if the run
    died between the charge and the record."""

    def __init__(self, inner: FakeGateway) -> None:
        self.inner = inner

    async def charge(
        self, key: str, client_id: int, amount: Decimal, currency: str
    ) -> ChargeResult:
        await self.inner.charge(key, client_id, amount, currency)
        raise ConnectionResetError("the run was killed here")


class PausesWhileCharging:
    """A gateway during whose charge of `client` another terminal pauses `membership`:
    the payment is taken, but the ticket can no longer be written for it."""

    def __init__(self, inner: FakeGateway, ctx: ServiceContext, client: int, membership: int):
        self.inner = inner
        self.ctx = ctx
        self.client = client
        self.membership = membership

    async def charge(
        self, key: str, client_id: int, amount: Decimal, currency: str
    ) -> ChargeResult:
        if client_id == self.client:
            async with self.ctx.transaction() as s:
                await s.execute(
                    update(Membership)
                    .where(Membership.id == self.membership)
                    .values(status="paused")
                )
        return await self.inner.charge(key, client_id, amount, currency)
