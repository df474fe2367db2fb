"""Products, packages and promotion codes set up by keys at 80x24 (issue 16, item 1):
each saves, shows a refused field at the field with nothing written, and every list is
read-only for a manager (no "setup"); an edit based on an old read is refused."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import insert, update

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import (
    Package,
    PackageItem,
    Product,
    PromotionCode,
    StoredValueAccount,
)
from screens.catalogue_list import VIEW_ONLY, CatalogueListScreen
from screens.catalogue_packages import PackagesSetupScreen
from screens.catalogue_prepaid import PrepaidOffersScreen
from screens.catalogue_products import ProductEditorModal, ProductsSetupScreen
from screens.catalogue_promotions import PromotionsSetupScreen
from screens.catalogue_services import ServicesSetupScreen
from screens.catalogue_setup import CATALOGUE_SETUP
from tests.desks import open_desk
from tests.money import TEST_MONEY, amount, money, typed
from tests.screens.catalogue_fixtures import (
    MANAGER,
    OWNER,
    PACKAGES,
    PRODUCTS,
    PROMOTIONS,
    SIZE,
    editor_of,
    fits,
    list_message,
    listed,
    open_editor,
    open_list,
    rows_of,
    table_text,
    with_owner_and_manager,
)
from tests.screens.conftest import MARKUP_NAME
from tests.screens.palette_fixtures import desk_app, titles
from tests.waiting import wait_until

LISTS: tuple[type[CatalogueListScreen[Any]], ...] = (
    ServicesSetupScreen,
    ProductsSetupScreen,
    PackagesSetupScreen,
    PrepaidOffersScreen,
    PromotionsSetupScreen,
)


@pytest.fixture
async def url(salon_url: str) -> str:
    return await with_owner_and_manager(salon_url)


async def products(url: str) -> list[tuple[Any, ...]]:
    columns = (Product.id, Product.name, Product.unit_name, Product.unit_price_minor)
    return await rows_of(url, *columns, Product.usage_tracking, Product.max_units_per_line)


async def test_a_product_with_usage_tracking_by_keys(url: str) -> None:
    before = await products(url)
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, PRODUCTS, ProductsSetupScreen)
        assert "Enable future product usage" in list_message(app)
        await open_editor(pilot)
        assert fits(app)
        await pilot.press(*"Filler", "tab", "ctrl+a", "ctrl+k", *"syringe")
        await pilot.press("tab", *typed("250.00"), "tab", "space", "tab", "space", "tab")
        await pilot.press("ctrl+a", "ctrl+k", *"1000", "enter")
        editor = editor_of(app)
        await wait_until(pilot, lambda: editor.error_of("max_units_per_line"), what="the error")
        assert editor.error_of("max_units_per_line") == "Units per line are 1 to 999"
        assert await products(url) == before
        await pilot.press("backspace", "enter")
        await wait_until(
            pilot,
            lambda: listed(app, ProductsSetupScreen) and "Filler" in table_text(app),
            what="the product listed",
        )
        assert "Saved Filler." in list_message(app)
    minor = TEST_MONEY.to_minor(amount("250.00"))
    assert (await products(url))[-1] == (2, "Filler", "syringe", minor, True, 100)


async def test_a_package_needs_contents_then_saves(url: str) -> None:
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, PACKAGES, PackagesSetupScreen)
        await open_editor(pilot)
        await pilot.press(*"Botox Bank", "tab", *typed("400.00"), "ctrl+s")
        editor = editor_of(app)
        await wait_until(pilot, lambda: editor.error_of("contents"), what="the contents' error")
        assert editor.error_of("contents") == "Add at least one product"
        assert editor.calls == 0
        assert app.focused is not None and app.focused.has_class("units-product")
        await pilot.press("enter", "down", "enter", "tab", *"0x", "enter")
        await wait_until(pilot, lambda: "whole number" in editor.error_of("contents"), what="x")
        await pilot.press("backspace", "enter")  # 0: nothing to add
        await pilot.press("tab", *"50", "enter")
        await wait_until(pilot, lambda: not editor.error_of("contents"), what="the line set")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: listed(app, PackagesSetupScreen) and "50 Botox" in table_text(app),
            what="the package listed",
        )
        assert money("400.00") in table_text(app)
    assert await rows_of(
        url, PackageItem.package_id, PackageItem.product_id, PackageItem.units
    ) == [(1, 1, 50)]
    assert await rows_of(url, Package.name) == [("Botox Bank",)]


async def codes(url: str) -> list[tuple[Any, ...]]:
    return await rows_of(
        url,
        PromotionCode.code,
        PromotionCode.percent,
        PromotionCode.fixed_minor,
        PromotionCode.valid_to,
    )


async def test_a_code_is_saved_folded_and_a_duplicate_is_refused_at_the_field(url: str) -> None:
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, PROMOTIONS, PromotionsSetupScreen)
        await open_editor(pilot)
        assert fits(app)
        await pilot.press(*"spring10", "tab", *"Spring offer", "tab", "tab", *"10")
        await pilot.press("tab", "tab", *"2026-12-31", "enter")  # Enter on Last day saves
        await wait_until(
            pilot,
            lambda: listed(app, PromotionsSetupScreen) and "SPRING10" in table_text(app),
            what="the code listed",
        )
        saved = await codes(url)
        await open_editor(pilot)
        await pilot.press(*"Spring10", "tab", *"Again", "tab", "right", "space", "tab")
        await pilot.press(*typed("5.00"), "ctrl+s")
        editor = editor_of(app)
        await wait_until(pilot, lambda: editor.error_of("code"), what="the duplicate refused")
        assert editor.error_of("code") == "A promotion with that code exists"
        assert await codes(url) == saved
    (code,) = saved
    assert code[0] == "SPRING10" and code[1] == 10 and code[2] is None


async def test_a_fixed_code_ending_before_it_starts_is_refused(url: str) -> None:
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, PROMOTIONS, PromotionsSetupScreen)
        await open_editor(pilot)
        await pilot.press(*"TENOFF", "tab", *"Ten off", "tab", "right", "space", "tab")
        await pilot.press(*typed("10.00"), "tab", "tab", *"2026-11-01", "ctrl+s")
        editor = editor_of(app)
        await wait_until(pilot, lambda: editor.error_of("valid_to"), what="the dates refused")
        assert editor.error_of("valid_to") == "The last day is on or after the first day"
        assert await codes(url) == []
        await pilot.press(*("backspace",) * 10, "ctrl+s")
        await wait_until(
            pilot,
            lambda: listed(app, PromotionsSetupScreen) and "TENOFF" in table_text(app),
            what="the code listed",
        )
        assert money("10.00") in table_text(app) and "no end" in table_text(app)
    assert await codes(url) == [("TENOFF", None, TEST_MONEY.to_minor(amount("10.00")), None)]


@pytest.mark.parametrize("index", range(len(CATALOGUE_SETUP)))
async def test_a_manager_reads_every_list_and_changes_nothing(url: str, index: int) -> None:
    app = desk_app(url, MANAGER)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, CATALOGUE_SETUP[index][0], LISTS[index])
        await wait_until(pilot, lambda: VIEW_ONLY in list_message(app), what="why read-only")
        assert {"Add one", "Edit", "Offer or stop"}.isdisjoint(titles(app))
        await pilot.press("n", "x", "enter")
        assert isinstance(app.screen, LISTS[index])
        assert VIEW_ONLY in list_message(app)


async def test_an_edit_based_on_an_old_read_is_refused(url: str) -> None:
    other = open_desk(url, terminal="desk-2", staff_id=OWNER)
    try:
        app = desk_app(url, OWNER)
        async with app.run_test(size=SIZE) as pilot:
            await open_list(pilot, PRODUCTS, ProductsSetupScreen)
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen.query("#unit_price"), what="the editor")
            botox = await other.catalogue_setup.product(1)
            await other.catalogue_setup.update_product(
                1, replace(botox.as_input(), unit_price=amount("5.00"))
            )
            await pilot.press("ctrl+a", "ctrl+k", *"Botox Plus", "ctrl+s")
            editor = editor_of(app)
            await wait_until(
                pilot,
                lambda: "changed on another terminal" in editor.message_text(),
                what="the refusal",
            )
            saved = await other.catalogue_setup.product(1)
            assert (saved.name, saved.unit_price) == ("Botox", amount("5.00"))
            await pilot.press("ctrl+s")  # saved again, knowingly, over the other change
            await wait_until(
                pilot,
                lambda: listed(app, ProductsSetupScreen) and "Botox Plus" in table_text(app),
                what="the product saved",
            )
        saved = await other.catalogue_setup.product(1)
        assert (saved.name, saved.unit_price) == ("Botox Plus", amount("4.00"))
    finally:
        await other.close()


async def test_stored_names_are_shown_as_text_never_markup(url: str) -> None:
    """A product named like markup lists, picks and reads back as typed (inert text)."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(update(Product).where(Product.id == 1).values(name=MARKUP_NAME))
    finally:
        await engine.dispose()
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, PACKAGES, PackagesSetupScreen)
        await open_editor(pilot)
        await pilot.press(*"Kit", "tab", *typed("10.00"), "tab", "enter", "down", "enter")
        await pilot.press("tab", *"2", "enter", "ctrl+s")
        await wait_until(
            pilot,
            lambda: listed(app, PackagesSetupScreen) and MARKUP_NAME in table_text(app),
            what="the package listed with the name as typed",
        )
        await open_list(pilot, PRODUCTS, ProductsSetupScreen)
        assert MARKUP_NAME in table_text(app)
        assert app.is_running


async def test_turning_usage_tracking_off_warns_about_banked_units(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(StoredValueAccount).values(
                    client_id=1,
                    kind="product_units",
                    item_key="product:1",
                    product_id=1,
                    balance=12,
                )
            )
    finally:
        await engine.dispose()
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, PRODUCTS, ProductsSetupScreen)
        await pilot.press("enter")  # Botox, tracked, 12 units banked
        await wait_until(pilot, lambda: app.screen.query("#usage_tracking"), what="the editor")
        editor = editor_of(app)
        assert isinstance(editor, ProductEditorModal) and editor.warning_text() == ""
        await pilot.press("tab", "tab", "tab", "space")
        await wait_until(pilot, lambda: editor.warning_text(), what="the warning")
        assert "Clients hold 12 banked unit(s) of Botox" in editor.warning_text()
        await pilot.press("ctrl+s")  # a warning, never a refusal
        await wait_until(pilot, lambda: listed(app, ProductsSetupScreen), what="saved")
    assert await rows_of(url, Product.id, Product.usage_tracking) == [(1, False)]
