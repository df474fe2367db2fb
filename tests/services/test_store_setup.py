"""Store settings and locations set up at the desk (issue 16, item 1), on SQLite and
PostgreSQL: bad input is refused at its field with nothing written, a save based on an
old read is refused, the currency stays once amounts are stored in it, and a location
name taken at the same moment ends as a field error."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from frontdesk.db.tables import Location, Staff, StoreSettings
from frontdesk.domain.commission import CommissionSystem
from frontdesk.domain.errors import PermissionDenied, StaleVersion, ValidationError
from frontdesk.domain.setup import LocationInput, StoreInput
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.store_setup import StoreSetup
from tests.money import TEST_MONEY, amount
from tests.services.world import World, build_world


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


def owner(ctx: ServiceContext, w: World) -> Desk:
    return Desk(ctx.as_staff(w.owner))


def settings(**changes: object) -> StoreInput:
    base = StoreInput(
        business_name=" Glow Clinic ",
        currency=TEST_MONEY.currency,
        locale=TEST_MONEY.locale,
        future_product_usage=False,
        commission_system=CommissionSystem.DUAL,
        approval_threshold=amount("250.00"),
        idle_lock_minutes=15,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


async def stored(ctx: ServiceContext) -> tuple[object, ...]:
    async with ctx.read() as s:
        row = (await s.execute(select(StoreSettings))).scalar_one()
        return (
            row.business_name,
            row.currency,
            row.locale,
            row.future_product_usage,
            row.commission_system,
            row.approval_threshold_minor,
            row.idle_lock_seconds,
            row.version,
        )


async def test_saving_the_store_settings_changes_them_all(
    ctx: ServiceContext, world: World
) -> None:
    desk = owner(ctx, world)
    before = await desk.catalog.store()
    saved = await desk.store_setup.save_store(settings(), expected_version=before.version)
    assert saved.business_name == "Glow Clinic"
    assert (saved.future_product_usage, saved.commission_system) == (False, "dual")
    assert (saved.approval_threshold, saved.idle_lock_seconds) == (amount("250.00"), 900)
    assert saved.version == before.version + 1
    assert await Desk(ctx).catalog.store() == saved  # anyone at the desk reads them
    async with ctx.read() as s:
        row = await s.get(StoreSettings, 1)
        assert row is not None
        assert (row.changed_terminal, row.changed_by) == ("test-desk", world.owner)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"business_name": "  "}, "business_name"),
        ({"business_name": "Glow\x1b[2J"}, "business_name"),
        ({"currency": "XXQ"}, "currency"),
        ({"locale": "zz_ZZ_nowhere"}, "locale"),
        ({"approval_threshold": Decimal("-1")}, "approval_threshold"),
        ({"approval_threshold": Decimal("1000000.01")}, "approval_threshold"),
        ({"approval_threshold": Decimal("NaN")}, "approval_threshold"),
        ({"idle_lock_minutes": 0}, "idle_lock_minutes"),
        ({"idle_lock_minutes": 241}, "idle_lock_minutes"),
    ],
)
async def test_bad_settings_are_refused_at_the_field_and_nothing_is_written(
    ctx: ServiceContext, world: World, changes: dict[str, object], field: str
) -> None:
    before = await stored(ctx)
    with pytest.raises(ValidationError) as err:
        await owner(ctx, world).store_setup.save_store(settings(**changes), expected_version=1)
    assert err.value.field == field
    assert await stored(ctx) == before


async def test_a_threshold_with_more_decimals_than_the_currency_is_refused(
    ctx: ServiceContext, world: World
) -> None:
    too_fine = Decimal(1).scaleb(-TEST_MONEY.exponent - 1)  # 0.001 in GBP, 0.1 in JPY
    with pytest.raises(ValidationError) as err:
        await owner(ctx, world).store_setup.save_store(
            settings(approval_threshold=too_fine), expected_version=1
        )
    assert err.value.field == "approval_threshold"


async def test_without_setup_nothing_is_written(ctx: ServiceContext, world: World) -> None:
    before = await stored(ctx)
    with pytest.raises(PermissionDenied):
        await Desk(ctx.as_staff(world.manager)).store_setup.save_store(
            settings(), expected_version=1
        )
    assert await stored(ctx) == before


async def test_settings_saved_elsewhere_since_the_read_are_not_overwritten(
    ctx: ServiceContext, world: World
) -> None:
    desk = owner(ctx, world)
    read = await desk.catalog.store()
    await desk.catalog.update_security_settings(amount("10.00"), 7)  # another screen's save
    with pytest.raises(StaleVersion):
        await desk.store_setup.save_store(settings(), expected_version=read.version)
    now = await desk.catalog.store()
    assert now.idle_lock_seconds == 7 * 60 and now.business_name == "Test Salon"
    await desk.store_setup.save_store(settings(), expected_version=now.version)


async def test_the_currency_stays_once_a_ledger_entry_exists(
    ctx: ServiceContext, world: World
) -> None:
    other = "EUR" if TEST_MONEY.currency != "EUR" else "USD"
    desk = owner(ctx, world)
    await Desk(ctx.as_staff(world.desk)).balances.issue_account_credit(
        world.client, amount("20"), "Overpaid", key=new_key()
    )
    before = await stored(ctx)
    with pytest.raises(ValidationError) as err:
        await desk.store_setup.save_store(settings(currency=other), expected_version=1)
    assert err.value.field == "currency"
    assert f"stays {TEST_MONEY.currency}" in str(err.value) and "minor units" in str(err.value)
    assert await stored(ctx) == before


async def test_a_priced_catalogue_moves_only_to_a_currency_with_as_many_decimals(
    ctx: ServiceContext, world: World
) -> None:
    desk = owner(ctx, world)
    same = "EUR" if TEST_MONEY.exponent == 2 else "KRW"  # as many decimals as the store's
    other = "JPY" if TEST_MONEY.exponent == 2 else "GBP"
    with pytest.raises(ValidationError) as err:
        await desk.store_setup.save_store(settings(currency=other), expected_version=1)
    assert err.value.field == "currency" and "decimals" in str(err.value)
    saved = await desk.store_setup.save_store(
        settings(currency=same, locale="de_DE"), expected_version=1
    )
    assert (saved.currency, saved.locale) == (same, "de_DE")


async def test_an_empty_store_may_change_its_currency(ctx: ServiceContext) -> None:
    async with ctx.transaction() as s:
        s.add(StoreSettings(id=1, business_name="New", currency="GBP", locale="en_GB"))
        s.add(Location(name="Main"))
    async with ctx.transaction() as s:
        s.add(Staff(id=1, name="Olu", role="owner"))
    saved = await Desk(ctx.as_staff(1)).store_setup.save_store(
        settings(currency="jpy", locale="ja-JP", approval_threshold=Decimal(10000)),
        expected_version=1,
    )
    assert (saved.currency, saved.locale) == ("JPY", "ja_JP")
    assert saved.approval_threshold == Decimal(10000)


def soho(**changes: object) -> LocationInput:
    base = LocationInput(" Soho ", "1 Dean St", dt.time(9), dt.time(18, 30))
    return replace(base, **changes)  # type: ignore[arg-type]


async def location_rows(ctx: ServiceContext) -> list[tuple[object, ...]]:
    async with ctx.read() as s:
        rows = await s.execute(select(Location).order_by(Location.id))
        return [(r.name, r.address, r.opens_at, r.closes_at, r.version) for (r,) in rows]


async def test_locations_are_added_listed_and_edited(ctx: ServiceContext, world: World) -> None:
    setup = owner(ctx, world).store_setup
    added = await setup.add_location(soho())
    assert (added.name, added.staff, added.version) == ("Soho", 0, 1)
    listed = await Desk(ctx).store_setup.locations()
    assert [(loc.name, loc.staff) for loc in listed] == [("Main", 4), ("Soho", 0)]
    changed = await setup.update_location(
        added.id, soho(name="Soho Square", closes_at=dt.time(20)), expected_version=1
    )
    assert (changed.name, changed.closes_at, changed.version) == ("Soho Square", dt.time(20), 2)
    with pytest.raises(StaleVersion):
        await setup.update_location(added.id, soho(), expected_version=1)
    assert (await location_rows(ctx))[1][0] == "Soho Square"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "MAIN"}, "name"),  # the world's own location, in other letters
        ({"address": "x" * 201}, "address"),
        ({"closes_at": dt.time(9)}, "closes_at"),
        ({"opens_at": dt.time(19), "closes_at": dt.time(8)}, "closes_at"),
    ],
)
async def test_bad_locations_are_refused_at_the_field(
    ctx: ServiceContext, world: World, changes: dict[str, object], field: str
) -> None:
    before = await location_rows(ctx)
    with pytest.raises(ValidationError) as err:
        await owner(ctx, world).store_setup.add_location(soho(**changes))
    assert err.value.field == field
    assert await location_rows(ctx) == before


async def test_without_setup_no_location_is_added(ctx: ServiceContext, world: World) -> None:
    with pytest.raises(PermissionDenied):
        await Desk(ctx.as_staff(world.manager)).store_setup.add_location(soho())
    assert len(await location_rows(ctx)) == 1


async def test_a_name_taken_at_the_same_moment_is_a_field_error(
    ctx: ServiceContext, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both terminals passed the name check before either wrote: the unique key refuses
    the second, and staff read the name's field error, not the driver's words."""

    async def passes(*_args: object) -> None:
        return None

    monkeypatch.setattr(StoreSetup, "_name_free", staticmethod(passes))
    setup = owner(ctx, world).store_setup
    await setup.add_location(soho())
    with pytest.raises(ValidationError) as err:
        await setup.add_location(soho())
    assert (err.value.field, str(err.value)) == ("name", "A location with that name exists")


async def test_two_terminals_adding_one_name_at_once_make_one_location(
    ctx: ServiceContext, world: World
) -> None:
    a, b = owner(ctx, world), Desk(ctx.as_staff(world.owner))
    results = await asyncio.gather(
        a.store_setup.add_location(soho()),
        b.store_setup.add_location(soho()),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError)
    assert refused[0].field == "name"
    assert [row[0] for row in await location_rows(ctx)] == ["Main", "Soho"]
