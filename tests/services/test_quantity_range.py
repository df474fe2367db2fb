"""Out-of-range quantities are field errors before anything is written (issue 15, item 8).

PostgreSQL's INTEGER is 32 bits: 2**31 sent to it is the driver's overflow (a raw
`DataError`), and a number past 64 bits fails even earlier in the driver. Every quantity a
service takes is checked first, on both engines, and refused as a `ValidationError`
naming its field; and nothing the driver says ever leaves a service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from decimal import Decimal
from functools import partial

import pytest
from sqlalchemy import func, select

from frontdesk.db.tables import OpenTicket, StoredValueAccount, Ticket
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.factories import make_appointment
from tests.services.world import World, build_world, ledger_rows

HUGE = [2**31, 2**63, 10**30]
DRIVER_WORDS = ("Error", "asyncpg", "sqlite3", "psycopg", "Traceback", "out of int")


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def _written(ctx: ServiceContext) -> tuple[int, int, int, int]:
    async with ctx.read() as session:
        counts = [
            await session.scalar(select(func.count()).select_from(table))
            for table in (Ticket, OpenTicket, StoredValueAccount)
        ]
    return (await ledger_rows(ctx), *(int(c or 0) for c in counts))  # type: ignore[return-value]


async def _refused(
    ctx: ServiceContext, field: str, call: Callable[[], Awaitable[object]]
) -> ValidationError:
    before = await _written(ctx)
    with pytest.raises(ValidationError) as refused:
        await call()
    assert refused.value.field == field, refused.value
    assert await _written(ctx) == before, "nothing is written"
    return refused.value


def _ticket(w: World, line: LineInput, key: str = "range-1") -> CheckoutInput:
    return CheckoutInput(
        idempotency_key=key,
        client_id=w.client,
        lines=(line,),
        tenders=(TenderInput(method="cash", amount=Decimal("1000")),),
    )


LINES: list[tuple[str, Callable[[World, int], LineInput], str]] = [
    (
        "service",
        lambda w, n: LineInput(kind=LineKind.SERVICE, service_id=w.facial, quantity=n),
        "quantity",
    ),
    (
        "retail",
        lambda w, n: LineInput(kind=LineKind.PRODUCT, product_id=w.serum, quantity=n),
        "quantity",
    ),
    (
        "prepaid",
        lambda w, n: LineInput(kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=n),
        "quantity",
    ),
    (
        "prepaid used",
        lambda w, n: LineInput(
            kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=2, qty_used=n
        ),
        "qty_used",
    ),
    (
        "bank units",
        lambda w, n: LineInput(kind=LineKind.BANKED_UNITS_PURCHASE, product_id=w.botox, quantity=n),
        "quantity",
    ),
    (
        "redeem",
        lambda w, n: LineInput(kind=LineKind.PREPAID_REDEEM, service_id=w.massage, quantity=n),
        "quantity",
    ),
]


@pytest.mark.parametrize("huge", HUGE)
@pytest.mark.parametrize(("name", "make", "field"), LINES, ids=[n for n, _, _ in LINES])
async def test_a_ticket_line_quantity_out_of_range_is_a_field_error(
    ctx: ServiceContext,
    world: World,
    huge: int,
    name: str,
    make: Callable[[World, int], LineInput],
    field: str,
) -> None:
    till = Desk(ctx.as_staff(world.desk)).till
    data = _ticket(world, make(world, huge))
    await _refused(ctx, field, lambda: till.complete(data))
    await _refused(ctx, field, lambda: till.quote(data))
    await _refused(ctx, field, lambda: till.park(data))


@pytest.mark.parametrize("huge", HUGE)
async def test_prepaid_visits_left_out_of_range_is_a_field_error(
    ctx: ServiceContext, world: World, huge: int
) -> None:
    desk = Desk(ctx.as_staff(world.manager))
    line = LineInput(kind=LineKind.PREPAID_SALE, service_id=world.massage, quantity=3, qty_used=0)
    await desk.till.complete(_ticket(world, line, "sell-visits"))
    (item,) = await desk.prepaid.items(world.client)
    await _refused(
        ctx, "remaining", lambda: desk.prepaid.adjust(item.account_id, huge, "Count", key=new_key())
    )
    await _refused(
        ctx,
        "remaining",
        lambda: desk.prepaid.adjust(item.account_id, -huge, "Count", key=new_key()),
    )


@pytest.mark.parametrize("huge", HUGE)
async def test_add_on_units_out_of_range_are_field_errors(
    ctx: ServiceContext, world: World, huge: int
) -> None:
    appt = await make_appointment(
        ctx,
        client_id=world.client,
        service_id=world.botox_service,
        staff_id=world.therapist,
        location_id=world.location,
        starts_at=dt.datetime(2026, 3, 2, 10, 0),
    )
    addons = Desk(ctx.as_staff(world.desk)).addons
    for use, buy, field in ((huge, 0, "use"), (0, huge, "buy"), (-huge, 1, "use")):
        selection = [AddonSelection(world.botox, use, buy, expected_owned=0)]
        await _refused(
            ctx, field, partial(addons.add_to_service, appt.id, selection, key=new_key())
        )
    await _refused(ctx, "units", lambda: addons.buy_more(appt.id, world.botox, huge))


@pytest.mark.parametrize("huge", HUGE)
async def test_a_huge_number_never_reaches_the_driver(
    ctx: ServiceContext, world: World, huge: int
) -> None:
    """Ids and staff numbers past any row: refused in words (not found, not signed in),
    never the driver's overflow."""
    desk = Desk(ctx.as_staff(world.manager))
    with pytest.raises(DomainError):
        await desk.sign_in.sign_in(str(huge), "1234")
    for call in (
        lambda: desk.balances.reverse_entry(huge, "No such entry", key=new_key()),
        lambda: desk.prepaid.adjust(huge, 1, "No such item", key=new_key()),
        lambda: desk.balances.adjust_wallet(huge, Decimal("5"), "No such client", key=new_key()),
    ):
        with pytest.raises(DomainError) as refused:
            await call()
        text = str(refused.value)
        assert not any(word in text for word in DRIVER_WORDS), text
