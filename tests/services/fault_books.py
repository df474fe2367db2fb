"""What the fault suite reads and writes: a funded client, a ticket, the balances."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from frontdesk.db.tables import StoredValueAccount
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.world import World, build_world

WALLET_EACH, CARD_EACH = Decimal("10.00"), Decimal("80.00")  # a £90 facial: £10 Bank, £80 card


async def wallet_minor(ctx: ServiceContext, client_id: int) -> int:
    async with ctx.read() as s:
        balance = await s.scalar(
            select(StoredValueAccount.balance).where(
                StoredValueAccount.client_id == client_id,
                StoredValueAccount.kind == StoredValueKind.WALLET_MONEY.value,
            )
        )
    return int(balance or 0)


async def count(ctx: ServiceContext, table: type) -> int:
    async with ctx.read() as s:
        return int(await s.scalar(select(func.count()).select_from(table)) or 0)


def facial_ticket(w: World, key: str) -> CheckoutInput:
    return CheckoutInput(
        idempotency_key=key,
        client_id=w.client,
        lines=(LineInput(kind=LineKind.SERVICE, service_id=w.facial, staff_id=w.therapist),),
        use_wallet=True,
        wallet_amount=WALLET_EACH,
        tenders=(TenderInput(method="card", amount=CARD_EACH),),
    )


async def funded_world(ctx: ServiceContext, float_: Decimal = Decimal(100)) -> World:
    """The test salon, its first client holding `float_` of Beauty Bank."""
    w = await build_world(ctx)
    desk = Desk(ctx.as_staff(w.manager))
    await desk.balances.adjust_wallet(w.client, float_, "Float for the test", key=new_key())
    return w
