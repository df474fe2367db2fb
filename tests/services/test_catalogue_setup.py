"""Services, products, packages and promotion codes set up at the desk (issue 16, item 1),
on SQLite and PostgreSQL: what is saved, what a refused field leaves (nothing), the
stale refusal, deactivation instead of deletion, and the till charging a changed price."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from frontdesk.db.tables import (
    Package,
    PackageItem,
    Product,
    PromotionCode,
    Service,
    ServiceAddonDefault,
    StoredValueAccount,
)
from frontdesk.domain.catalogue_rules import (
    PackageInput,
    ProductInput,
    ProductUnits,
    PromotionInput,
    ServiceInput,
)
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import Conflict, ValidationError
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.money import amount
from tests.services.world import World, build_world

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


def owner(ctx: ServiceContext, w: World) -> Desk:
    return Desk(ctx.as_staff(w.owner))


async def catalogue(ctx: ServiceContext) -> tuple[object, ...]:
    """Every catalogue row, to show a refused save wrote nothing."""
    tables = (Service, Product, ServiceAddonDefault, Package, PackageItem, PromotionCode)
    found: list[tuple[object, ...]] = []
    async with ctx.read() as s:
        for table in tables:
            rows = (await s.execute(select(*table.__table__.columns))).all()
            found.append(tuple(sorted((tuple(r) for r in rows), key=str)))
    return tuple(found)


def peel(w: World) -> ServiceInput:
    return ServiceInput(
        name=" Glow Peel ",
        category="Skin",
        duration_minutes=45,
        price=amount("65.00"),
        commission_percent=Decimal("12.5"),
        commission_sale=amount("3.00"),
        commission_redeem=amount("4.50"),
        prepaid_allowed=False,
        addons=(ProductUnits(w.cream, 2),),
    )


async def test_a_service_is_saved_as_typed_with_its_default_addons(
    ctx: ServiceContext, world: World
) -> None:
    desk = owner(ctx, world)
    made = await desk.catalogue_setup.create_service(peel(world))
    assert (made.name, made.category, made.duration_minutes) == ("Glow Peel", "Skin", 45)
    assert (made.price, made.commission_sale, made.commission_redeem) == (
        amount("65.00"),
        amount("3.00"),
        amount("4.50"),
    )
    assert made.commission_percent == Decimal("12.5") and not made.prepaid_allowed
    assert [(a.product_name, a.units) for a in made.addons] == [("Numbing Cream", 2)]
    assert await desk.catalogue_setup.service(made.id) == made
    # The desk's own catalogue offers it at once.
    assert made.id in {s.id for s in await desk.catalog.services()}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "name"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 721}, "duration_minutes"),
        ({"price": Decimal(0)}, "price"),
        ({"price": Decimal("2000000")}, "price"),
        ({"commission_percent": Decimal("101")}, "commission_percent"),
        ({"commission_sale": Decimal("-1")}, "commission_sale"),
        ({"addons": (ProductUnits(3, 0),)}, "addons"),
    ],
)
async def test_a_refused_service_field_writes_nothing(
    ctx: ServiceContext, world: World, change: dict[str, object], field: str
) -> None:
    before = await catalogue(ctx)
    desk = owner(ctx, world)
    with pytest.raises(ValidationError) as refused:
        await desk.catalogue_setup.create_service(replace(peel(world), **change))  # type: ignore[arg-type]
    assert refused.value.field == field
    with pytest.raises(ValidationError):
        await desk.catalogue_setup.update_service(
            world.facial,
            replace(peel(world), **change),  # type: ignore[arg-type]
        )
    assert await catalogue(ctx) == before


async def test_default_addons_must_be_addon_products(ctx: ServiceContext, world: World) -> None:
    before = await catalogue(ctx)
    desk = owner(ctx, world)
    retail = replace(peel(world), addons=(ProductUnits(world.serum, 1),))
    with pytest.raises(ValidationError, match="not an add-on product") as refused:
        await desk.catalogue_setup.create_service(retail)
    assert refused.value.field == "addons"
    twice = replace(
        peel(world), addons=(ProductUnits(world.cream, 1), ProductUnits(world.cream, 2))
    )
    with pytest.raises(ValidationError, match="Each product once"):
        await desk.catalogue_setup.create_service(twice)
    assert await catalogue(ctx) == before


async def test_a_changed_price_is_what_the_till_charges(ctx: ServiceContext, world: World) -> None:
    desk = owner(ctx, world)
    facial = await desk.catalogue_setup.service(world.facial)
    changed = replace(facial.as_input(), price=amount("95.00"))
    await desk.catalogue_setup.update_service(world.facial, changed, expected=facial.as_input())
    result = await Desk(ctx.as_staff(world.desk)).till.complete(
        CheckoutInput(
            idempotency_key="price-check",
            client_id=world.client,
            lines=(
                LineInput(kind=LineKind.SERVICE, service_id=world.facial, staff_id=world.therapist),
            ),
            tenders=(TenderInput(method="card", amount=amount("95.00")),),
        )
    )
    assert result.total == amount("95.00")


async def test_a_save_based_on_an_old_read_is_refused(ctx: ServiceContext, world: World) -> None:
    desk = owner(ctx, world)
    opened = (await desk.catalogue_setup.service(world.facial)).as_input()
    await desk.catalogue_setup.update_service(
        world.facial, replace(opened, duration_minutes=75), expected=opened
    )
    before = await catalogue(ctx)
    with pytest.raises(Conflict, match="changed on another terminal"):
        await desk.catalogue_setup.update_service(
            world.facial, replace(opened, price=amount("10.00")), expected=opened
        )
    assert await catalogue(ctx) == before


async def test_deactivating_keeps_the_row_and_hides_it(ctx: ServiceContext, world: World) -> None:
    desk = owner(ctx, world)
    off = await desk.catalogue_setup.set_service_active(world.massage, False)
    assert not off.active
    assert world.massage not in {s.id for s in await desk.catalogue_setup.services()}
    assert world.massage in {s.id for s in await desk.catalogue_setup.services(everyone=True)}
    assert world.massage not in {s.id for s in await desk.catalog.services()}
    product = await desk.catalogue_setup.set_product_active(world.serum, False)
    assert not product.active
    package = await desk.package_setup.set_active(world.package, False)
    assert not package.active and package.contents


async def test_the_sell_catalogue_follows_the_switches(ctx: ServiceContext, world: World) -> None:
    """Prepaid offers and packages switched off are no longer offered at the till."""
    desk = owner(ctx, world)

    async def offered() -> set[tuple[str, int]]:
        catalog = await desk.till.sell_catalog(world.client)
        return {(item.kind.value, item.id) for item in catalog.items}

    assert {("prepaid", world.massage), ("package", world.package)} <= await offered()
    assert not (await desk.catalogue_setup.set_prepaid(world.massage, False)).prepaid_allowed
    await desk.package_setup.set_active(world.package, False)
    assert {("prepaid", world.massage), ("package", world.package)}.isdisjoint(await offered())
    assert (await desk.catalogue_setup.set_prepaid(world.massage, True)).prepaid_allowed
    assert ("prepaid", world.massage) in await offered()


@pytest.mark.parametrize(
    "what",
    ["service", "prepaid_sale", "prepaid_off", "product", "package"],
)
async def test_the_till_refuses_what_setup_switched_off(
    ctx: ServiceContext, world: World, what: str
) -> None:
    """Leaving an item out of the Add list is not the check: a line sent anyway (an open
    ticket parked before the switch, another terminal's screen) is refused by checkout."""
    desk = owner(ctx, world)
    if what in ("service", "prepaid_sale"):
        await desk.catalogue_setup.set_service_active(world.massage, False)
    elif what == "prepaid_off":
        await desk.catalogue_setup.set_prepaid(world.massage, False)
    elif what == "product":
        await desk.catalogue_setup.set_product_active(world.serum, False)
    else:
        await desk.package_setup.set_active(world.package, False)
    line = {
        "service": LineInput(
            kind=LineKind.SERVICE, service_id=world.massage, staff_id=world.therapist
        ),
        "prepaid_sale": LineInput(kind=LineKind.PREPAID_SALE, service_id=world.massage, quantity=3),
        "prepaid_off": LineInput(kind=LineKind.PREPAID_SALE, service_id=world.massage, quantity=3),
        "product": LineInput(kind=LineKind.PRODUCT, product_id=world.serum),
        "package": LineInput(kind=LineKind.PRODUCT, package_id=world.package),
    }[what]
    refusal = "not sold as prepaid visits" if what == "prepaid_off" else "no longer offered"
    with pytest.raises(ValidationError, match=refusal):
        await Desk(ctx.as_staff(world.desk)).till.complete(
            CheckoutInput(
                idempotency_key=f"off-{what}",
                client_id=world.client,
                lines=(line,),
                tenders=(TenderInput(method="card", amount=amount("500.00")),),
            )
        )


async def test_a_product_is_saved_and_checked(ctx: ServiceContext, world: World) -> None:
    desk = owner(ctx, world)
    filler = ProductInput(
        name="Filler",
        unit_name="syringe",
        unit_price=amount("250.00"),
        usage_tracking=True,
        addon_eligible=True,
        max_units_per_line=4,
    )
    made = await desk.catalogue_setup.create_product(filler)
    assert made.as_input() == filler and made.active
    before = await catalogue(ctx)
    for bad, field in (
        (replace(filler, max_units_per_line=0), "max_units_per_line"),
        (replace(filler, max_units_per_line=1000), "max_units_per_line"),
        (replace(filler, unit_name=""), "unit_name"),
        (replace(filler, unit_price=Decimal("-1")), "unit_price"),
    ):
        with pytest.raises(ValidationError) as refused:
            await desk.catalogue_setup.update_product(made.id, bad)
        assert refused.value.field == field
    assert await catalogue(ctx) == before


async def test_addon_off_is_refused_while_a_service_defaults_to_it(
    ctx: ServiceContext, world: World
) -> None:
    desk = owner(ctx, world)
    await desk.catalogue_setup.create_service(peel(world))  # 2 units of cream by default
    cream = await desk.catalogue_setup.product(world.cream)
    with pytest.raises(ValidationError, match="default add-on") as refused:
        await desk.catalogue_setup.update_product(
            world.cream, replace(cream.as_input(), addon_eligible=False)
        )
    assert refused.value.field == "addon_eligible"


async def test_a_package_and_its_contents(ctx: ServiceContext, world: World) -> None:
    desk = owner(ctx, world)
    kit = PackageInput(
        name="Glow Kit",
        price=amount("120.00"),
        contents=(ProductUnits(world.botox, 10), ProductUnits(world.serum, 1)),
    )
    made = await desk.package_setup.create(kit)
    assert [(c.product_name, c.units) for c in made.contents] == [
        ("Botox", 10),
        ("Retinol Serum", 1),
    ]
    smaller = replace(kit, contents=(ProductUnits(world.botox, 5),))
    changed = await desk.package_setup.update(made.id, smaller, expected=made.as_input())
    assert [(c.product_id, c.units) for c in changed.contents] == [(world.botox, 5)]
    before = await catalogue(ctx)
    for bad in (
        replace(kit, contents=()),
        replace(kit, contents=(ProductUnits(world.botox, 0),)),
        replace(kit, contents=(ProductUnits(world.botox, 1), ProductUnits(world.botox, 2))),
        replace(kit, contents=(ProductUnits(99999, 1),)),
    ):
        with pytest.raises(ValidationError) as refused:
            await desk.package_setup.update(made.id, bad)
        assert refused.value.field == "contents"
    with pytest.raises(Conflict):
        await desk.package_setup.update(made.id, kit, expected=made.as_input())
    assert await catalogue(ctx) == before


def spring(**change: object) -> PromotionInput:
    base = PromotionInput(
        code=" spring10 ",
        description="Spring offer",
        percent=Decimal("10"),
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=30),
        once_per_client=True,
    )
    return replace(base, **change)  # type: ignore[arg-type]


async def test_a_promotion_code_is_folded_and_unique(ctx: ServiceContext, world: World) -> None:
    desk = owner(ctx, world)
    made = await desk.promotion_setup.create(spring())
    assert (made.code, made.percent, made.fixed, made.once_per_client) == (
        "SPRING10",
        Decimal("10"),
        None,
        True,
    )
    before = await catalogue(ctx)
    with pytest.raises(ValidationError, match="code exists") as refused:
        await desk.promotion_setup.create(spring(code="Spring10"))
    assert refused.value.field == "code"
    fixed = await desk.promotion_setup.create(
        spring(code="TENOFF", percent=None, fixed=amount("10"))
    )
    with pytest.raises(ValidationError, match="code exists"):
        await desk.promotion_setup.update(fixed.id, spring(code="spring10"))
    assert len(await catalogue(ctx)) == len(before)
    # The till finds it as typed in any case.
    found = await desk.till.find_promotion("Spring10", world.client, TODAY)
    assert found.code == "SPRING10"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": ""}, "code"),
        ({"code": "TEN OFF"}, "code"),
        ({"description": ""}, "description"),
        ({"percent": None}, "amount"),
        ({"fixed": Decimal("5")}, "amount"),
        ({"percent": Decimal("0")}, "amount"),
        ({"percent": Decimal("100.5")}, "amount"),
        ({"valid_to": TODAY - dt.timedelta(days=1)}, "valid_to"),
    ],
)
async def test_a_refused_promotion_field_writes_nothing(
    ctx: ServiceContext, world: World, change: dict[str, object], field: str
) -> None:
    before = await catalogue(ctx)
    with pytest.raises(ValidationError) as refused:
        await owner(ctx, world).promotion_setup.create(spring(**change))
    assert refused.value.field == field
    assert await catalogue(ctx) == before


async def test_a_withdrawn_code_reads_as_unknown_at_the_till(
    ctx: ServiceContext, world: World
) -> None:
    desk = owner(ctx, world)
    made = await desk.promotion_setup.create(spring())
    await desk.promotion_setup.set_active(made.id, False)
    assert made.id not in {p.id for p in await desk.promotion_setup.promotions()}
    with pytest.raises(ValidationError, match="Unknown code"):
        await desk.till.find_promotion("SPRING10", world.client, TODAY)


async def test_two_terminals_saving_the_same_new_code(ctx: ServiceContext, world: World) -> None:
    """The loser of the unique-key race reads a field error, never driver text."""
    import asyncio

    desk = owner(ctx, world)
    results = await asyncio.gather(
        desk.promotion_setup.create(spring()),
        desk.promotion_setup.create(spring(code="SPRING10")),
        return_exceptions=True,
    )
    errors = [r for r in results if isinstance(r, BaseException)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], ValidationError) and errors[0].field == "code"
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(PromotionCode)) == 1


async def test_a_product_says_how_many_units_clients_hold(
    ctx: ServiceContext, world: World
) -> None:
    async with ctx.transaction() as s:
        for client, balance in ((world.client, 12), (world.other_client, -3)):
            s.add(
                StoredValueAccount(
                    client_id=client,
                    kind="product_units",
                    item_key=f"product:{world.botox}",
                    product_id=world.botox,
                    balance=balance,
                )
            )
    desk = owner(ctx, world)
    assert (await desk.catalogue_setup.product(world.botox)).banked_units == 12
    by_id = {p.id: p.banked_units for p in await desk.catalogue_setup.products()}
    assert (by_id[world.botox], by_id[world.cream]) == (12, 0)
