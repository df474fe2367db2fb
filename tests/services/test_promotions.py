"""Promotion codes at the till, on SQLite and PostgreSQL: looking one up, taking it at
checkout (amounts as the domain computes them), refusing it, once per client, replays
and two terminals racing for the same code."""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from frontdesk.db.tables import Payment, PromotionCode, PromotionUse, Ticket
from frontdesk.domain.checkout import (
    CheckoutLine,
    CheckoutRequest,
    CheckoutTotals,
    LineKind,
    Promotion,
    quote,
)
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.promotions import format_day
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services import promotion_worker
from tests.services.world import World, assert_ledger_consistent, build_world

D = Decimal
TODAY = dt.date.today()  # what checkout uses to decide whether a code is valid


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def add_code(
    ctx: ServiceContext,
    code: str,
    *,
    percent: str | None = None,
    fixed_minor: int | None = None,
    starts: int = -10,
    ends: int | None = 10,
    once: bool = False,
    active: bool = True,
) -> int:
    async with ctx.transaction() as s:
        row = PromotionCode(
            code=code,
            description=f"{code} offer",
            percent=None if percent is None else D(percent),
            fixed_minor=fixed_minor,
            valid_from=TODAY + dt.timedelta(days=starts),
            valid_to=None if ends is None else TODAY + dt.timedelta(days=ends),
            once_per_client=once,
            active=active,
        )
        s.add(row)
        await s.flush()
        return row.id


def facial(w: World) -> LineInput:
    return LineInput(kind=LineKind.SERVICE, service_id=w.facial, staff_id=w.therapist)


def ticket(
    w: World, key: str, code: str | None, card: str, *, client: int | None = None
) -> CheckoutInput:
    return CheckoutInput(
        idempotency_key=key,
        client_id=w.client if client is None else client,
        lines=(facial(w),),
        promotion_code=code,
        tenders=(TenderInput(method="card", amount=D(card)),),
    )


async def counts(ctx: ServiceContext) -> tuple[int, int, int]:
    """Tickets, payments and promotion uses written so far."""
    async with ctx.read() as s:
        return (
            int(await s.scalar(select(func.count()).select_from(Ticket)) or 0),
            int(await s.scalar(select(func.count()).select_from(Payment)) or 0),
            int(await s.scalar(select(func.count()).select_from(PromotionUse)) or 0),
        )


def domain_totals(promotion: Promotion, *prices: str, membership: str = "0") -> CheckoutTotals:
    """What the checkout order makes of these lines, for comparing with the service."""
    lines = tuple(
        CheckoutLine(str(i), LineKind.SERVICE, f"line {i}", D(price), 1)
        for i, price in enumerate(prices)
    )
    return quote(
        CheckoutRequest(
            lines=lines,
            currency="GBP",
            locale="en_GB",
            membership_discount_percent=D(membership),
            promotion=promotion,
        )
    )


async def test_percent_code_after_the_membership_discount(
    ctx: ServiceContext, world: World
) -> None:
    """A member's £90 facial: 15% membership, then WELCOME10's 10% on what is left."""
    ctx = ctx.as_staff(world.desk)
    await add_code(ctx, "WELCOME10", percent="10", once=True)
    await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="join",
            client_id=world.client,
            lines=(LineInput(kind=LineKind.MEMBERSHIP_FIRST, plan_id=world.plan_auto),),
            tenders=(TenderInput(method="card", amount=D("79.00")),),
        )
    )
    expected = domain_totals(Promotion(percent=D("10")), "90.00", membership="15")
    assert expected.total_after_discounts == D("68.85")  # 90 - 13.50 - 7.65
    result = await Desk(ctx).till.complete(ticket(world, "visit", "welcome10", "68.85"))
    assert (result.membership_discount, result.promotion_discount, result.total) == (
        expected.membership_discount,
        expected.promotion_discount,
        expected.total_after_discounts,
    )
    assert (result.promotion_code, result.promotion_description) == (
        "WELCOME10",
        "WELCOME10 offer",
    )
    async with ctx.read() as s:
        use = (await s.execute(select(PromotionUse))).scalar_one()
        row = await s.get(Ticket, result.ticket_id)
    assert (use.ticket_id, use.client_id, use.once_per_client) == (
        result.ticket_id,
        world.client,
        True,
    )
    assert row is not None and row.discount_minor == 1350 + 765
    await assert_ledger_consistent(ctx)


async def test_fixed_code_is_spread_over_the_lines(ctx: ServiceContext, world: World) -> None:
    """SPRING5, £5.00 off a £90 facial and a £45 serum: shares in proportion, exactly £5."""
    ctx = ctx.as_staff(world.desk)
    await add_code(ctx, "SPRING5", fixed_minor=500)
    expected = domain_totals(Promotion(fixed=D("5.00")), "90.00", "45.00")
    result = await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="spring",
            client_id=world.client,
            lines=(facial(world), LineInput(kind=LineKind.PRODUCT, product_id=world.serum)),
            promotion_code="Spring5",
            tenders=(TenderInput(method="card", amount=D("130.00")),),
        )
    )
    assert result.promotion_discount == expected.promotion_discount == D("5.00")
    assert (
        [ln.discount for ln in result.lines]
        == [lt.promotion_discount for lt in expected.lines]
        == [D("3.33"), D("1.67")]
    )
    assert result.total == expected.total_after_discounts == D("130.00")
    assert result.promotion_description == "SPRING5 offer"


async def test_no_code_changes_nothing(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.desk)
    await add_code(ctx, "SPRING5", fixed_minor=500)
    result = await Desk(ctx).till.complete(ticket(world, "plain", " ", "90.00"))
    assert result.promotion_discount == D("0.00") and result.promotion_code is None
    assert (await counts(ctx))[2] == 0


# (what is wrong with the code, the field message; {day} is the date the message names)
REFUSED = [
    ("unknown", "Unknown code"),
    ("withdrawn", "Unknown code"),
    ("expired", "This code expired on {day}"),
    ("not yet", "This code starts on {day}"),
]


@pytest.mark.parametrize(("case", "message"), REFUSED, ids=[c for c, _ in REFUSED])
async def test_refused_codes_say_why_and_write_nothing(
    ctx: ServiceContext, world: World, case: str, message: str
) -> None:
    ctx = ctx.as_staff(world.desk)
    await add_code(ctx, "WITHDRAWN", percent="10", active=False)
    await add_code(ctx, "OLD20", percent="20", starts=-60, ends=-1)
    await add_code(ctx, "LATER15", percent="15", starts=3, ends=None)
    typed, day = {
        "unknown": ("NOSUCH", TODAY),
        "withdrawn": ("withdrawn", TODAY),
        "expired": ("old20", TODAY - dt.timedelta(days=1)),
        "not yet": ("later15", TODAY + dt.timedelta(days=3)),
    }[case]
    text = message.format(day=format_day(day, "en_GB"))
    with pytest.raises(ValidationError) as err:
        await Desk(ctx).till.find_promotion(typed, world.client, TODAY)
    assert (err.value.field, err.value.message) == ("promotion_code", text)
    with pytest.raises(ValidationError) as err:
        await Desk(ctx).till.complete(ticket(world, "k", typed, "90.00"))
    assert (err.value.field, err.value.message) == ("promotion_code", text)
    assert await counts(ctx) == (0, 0, 0)


async def test_find_promotion_reads_the_code(ctx: ServiceContext, world: World) -> None:
    await add_code(ctx, "SPRING5", fixed_minor=500, starts=-14, ends=30)
    view = await Desk(ctx).till.find_promotion("spring5", world.client, TODAY)
    assert (view.code, view.currency, view.percent, view.fixed) == (
        "SPRING5",
        "GBP",
        None,
        D("5.00"),
    )
    assert (view.valid_from, view.valid_to) == (
        TODAY - dt.timedelta(days=14),
        TODAY + dt.timedelta(days=30),
    )
    # The day asked about decides, not the clock: a month on, it has ended.
    with pytest.raises(ValidationError, match="expired"):
        await Desk(ctx).till.find_promotion("SPRING5", world.client, TODAY + dt.timedelta(31))


async def test_once_per_client_refuses_a_second_use_by_the_same_client(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.desk)
    await add_code(ctx, "WELCOME10", percent="10", once=True)
    await add_code(ctx, "SPRING5", fixed_minor=500)  # many uses: no such limit
    till = Desk(ctx).till
    await till.complete(ticket(world, "first", "WELCOME10", "81.00"))
    with pytest.raises(ValidationError) as err:
        await till.find_promotion("welcome10", world.client, TODAY)
    assert (err.value.field, err.value.message) == (
        "promotion_code",
        "Already used by this client",
    )
    before = await counts(ctx)
    with pytest.raises(ValidationError) as err:
        await till.complete(ticket(world, "second", "WELCOME10", "81.00"))
    assert err.value.message == "Already used by this client"
    assert await counts(ctx) == before
    # Another client may use it; and a code without the limit serves the first one again.
    other = await till.complete(
        ticket(world, "other", "WELCOME10", "81.00", client=world.other_client)
    )
    assert other.promotion_discount == D("9.00")
    for key in ("again-1", "again-2"):
        again = await till.complete(ticket(world, key, "SPRING5", "85.00"))
        assert again.promotion_discount == D("5.00")
    assert (await counts(ctx))[2] == 4


async def test_a_code_and_a_manual_promotion_together_are_refused(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.desk)
    await add_code(ctx, "SPRING5", fixed_minor=500)
    both = ticket(world, "both", "SPRING5", "80.00").model_copy(
        update={"promotion_percent": D("10")}
    )
    with pytest.raises(ValidationError) as err:
        await Desk(ctx).till.complete(both)
    assert err.value.field == "promotion_code"
    assert await counts(ctx) == (0, 0, 0)


async def test_a_replay_is_not_a_second_use(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.desk)
    await add_code(ctx, "WELCOME10", percent="10", once=True)
    till = Desk(ctx).till
    first = await till.complete(ticket(world, "same-key", "WELCOME10", "81.00"))
    again = await till.complete(ticket(world, "same-key", "WELCOME10", "81.00"))
    assert again.replayed and again.model_copy(update={"replayed": False}) == first
    # Two terminals sending the same key at the same moment: still one ticket, one use.
    both = await asyncio.gather(
        *(
            till.complete(ticket(world, "double", "WELCOME10", "81.00", client=world.other_client))
            for _ in range(2)
        )
    )
    assert both[0].ticket_id == both[1].ticket_id
    assert await counts(ctx) == (2, 2, 2)


async def test_the_database_holds_once_per_client_by_itself(
    ctx: ServiceContext, world: World
) -> None:
    """The partial unique index: a second once-per-client use by the same client is refused
    by the database itself; uses of a code without the limit are not."""
    ctx = ctx.as_staff(world.desk)
    once = await add_code(ctx, "WELCOME10", percent="10", once=True)
    many = await add_code(ctx, "SPRING5", fixed_minor=500)
    tickets = [
        (await Desk(ctx).till.complete(ticket(world, f"t{n}", None, "90.00"))).ticket_id
        for n in range(3)
    ]
    async with ctx.transaction() as s:
        for promotion, ticket_id in ((many, tickets[0]), (many, tickets[1]), (once, tickets[2])):
            s.add(
                PromotionUse(
                    promotion_id=promotion,
                    client_id=world.client,
                    ticket_id=ticket_id,
                    once_per_client=promotion == once,
                )
            )
    with pytest.raises(DomainError) as refused:
        async with ctx.transaction() as s:
            s.add(
                PromotionUse(
                    promotion_id=once,
                    client_id=world.client,
                    ticket_id=tickets[0],
                    once_per_client=True,
                )
            )
            await s.flush()
    # The database refused it; the transaction says so in desk words, not the driver's.
    assert isinstance(refused.value.__cause__, IntegrityError)


RACE_PROCESSES, RACE_TASKS, RACE_CODES = 2, 4, 3


async def test_two_terminals_racing_for_a_once_per_client_code(
    db_url: str, ctx: ServiceContext, world: World
) -> None:
    """2 processes × 4 tasks complete tickets with the same once-per-client code at once:
    exactly one wins per code, the others read "Already used by this client"."""
    codes = [f"RACE{n}" for n in range(RACE_CODES)]
    for code in codes:
        await add_code(ctx, code, percent="10", once=True)
    loop = asyncio.get_running_loop()
    outcomes: dict[str, list[str]] = {}
    with ProcessPoolExecutor(
        RACE_PROCESSES, mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        for code in codes:
            parts = await asyncio.gather(
                *(
                    loop.run_in_executor(
                        pool,
                        promotion_worker.run,
                        db_url,
                        world.desk,
                        world.client,
                        world.facial,
                        code,
                        "81.00",
                        RACE_TASKS,
                        f"p{p}",
                    )
                    for p in range(RACE_PROCESSES)
                )
            )
            outcomes[code] = [o for part in parts for o in part]
    print(f"\npromotion race: {outcomes}")
    for code, seen in outcomes.items():
        assert seen.count("ok") == 1, (code, seen)
        refused = "promotion_code: Already used by this client"
        assert seen.count(refused) == RACE_PROCESSES * RACE_TASKS - 1, (code, seen)
        assert not any("IntegrityError" in o or "UNIQUE" in o.upper() for o in seen)
    assert (await counts(ctx))[2] == RACE_CODES
    await assert_ledger_consistent(ctx)


async def test_the_demo_has_codes_of_each_kind(ctx: ServiceContext) -> None:
    from frontdesk.demo.seed import seed_demo

    await seed_demo(ctx, clients=20, today=TODAY)
    till = Desk(ctx).till
    client = 1
    welcome = await till.find_promotion("welcome10", client, TODAY)
    spring = await till.find_promotion("SPRING5", client, TODAY)
    assert (welcome.percent, welcome.once_per_client) == (D("10.00"), True)
    assert (spring.fixed, spring.currency) == (D("5.00"), "GBP")
    with pytest.raises(ValidationError, match="expired on"):
        await till.find_promotion("AUTUMN20", client, TODAY)
    with pytest.raises(ValidationError, match="starts on"):
        await till.find_promotion("SUMMER15", client, TODAY)
