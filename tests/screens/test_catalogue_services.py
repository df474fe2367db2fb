"""The services and prepaid offers setup screens, by keys at 80x24 (issue 16, item 1):
reached from the palette, a service added with its default add-on units, a refused
field shown at the field with nothing written, the manager (no "setup") refused."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Service, ServiceAddonDefault, StoreSettings
from screens.catalogue_list import VIEW_ONLY
from screens.catalogue_prepaid import PrepaidOffersScreen
from screens.catalogue_services import ServicesSetupScreen
from tests.money import TEST_MONEY, amount, money, typed
from tests.screens.catalogue_fixtures import (
    MANAGER,
    OWNER,
    PREPAID,
    SERVICES,
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
from tests.screens.palette_fixtures import desk_app, titles
from tests.waiting import wait_until


@pytest.fixture
async def url(salon_url: str) -> str:
    return await with_owner_and_manager(salon_url)


async def services(url: str) -> list[tuple[object, ...]]:
    return await rows_of(
        url, Service.id, Service.name, Service.duration_minutes, Service.price_minor
    )


async def test_a_service_is_added_by_keys_with_its_add_on_units(url: str) -> None:
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.member is not None, what="signed in")
        assert "Setup" in titles(app)  # the hub lists the catalogue (F8)
        await open_list(pilot, SERVICES, ServicesSetupScreen)
        assert "Cut & Blow-dry" in table_text(app)
        await open_editor(pilot)
        assert fits(app)
        await pilot.press(*"Brow Lift", "tab", *"Skin", "tab", *"40", "tab", *typed("45.00"))
        await pilot.press("tab", *"10", "tab", "tab")  # commission, past Sold prepaid
        await pilot.press("enter", "down", "enter", "tab", *"5", "enter")  # Botox × 5
        await wait_until(
            pilot,
            lambda: "Botox × 5 unit" in str(app.screen.query_one(".units-listing").render()),
            what="the add-on line",
        )
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: listed(app, ServicesSetupScreen) and "Brow Lift" in table_text(app),
            what="the new service listed",
        )
        assert "Saved Brow Lift." in list_message(app)
        assert money("45.00") in table_text(app)
    minor = TEST_MONEY.to_minor(amount("45.00"))
    assert (4, "Brow Lift", 40, minor) in await services(url)
    assert await rows_of(
        url,
        ServiceAddonDefault.service_id,
        ServiceAddonDefault.product_id,
        ServiceAddonDefault.default_units,
    ) == [(4, 1, 5)]


async def test_a_refused_duration_shows_at_its_field_and_writes_nothing(url: str) -> None:
    before = await services(url)
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, SERVICES, ServicesSetupScreen)
        await open_editor(pilot)
        await pilot.press(*"Long one", "tab", "tab", *"900", "tab", *typed("45.00"), "ctrl+s")
        editor = editor_of(app)
        await wait_until(pilot, lambda: editor.error_of("duration_minutes"), what="the error")
        assert editor.error_of("duration_minutes") == "A duration is 1 to 720 minutes"
        assert app.focused is not None and app.focused.id == "duration_minutes"
        assert editor.calls == 0
        await pilot.press("backspace", "backspace", "backspace")
        assert editor.error_of("duration_minutes") == ""  # clears as staff type
    assert await services(url) == before


async def test_editing_a_price_by_keys(url: str) -> None:
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, SERVICES, ServicesSetupScreen)
        await pilot.press("enter")  # the first row: Botox
        await wait_until(pilot, lambda: app.screen.query("#price"), what="the editor")
        await pilot.press("tab", "tab", "tab", "ctrl+a", "ctrl+k", *typed("210.00"), "ctrl+s")
        await wait_until(
            pilot,
            lambda: listed(app, ServicesSetupScreen) and money("210.00") in table_text(app),
            what="the new price listed",
        )
    assert (2, "Botox", 30, TEST_MONEY.to_minor(amount("210.00"))) in await services(url)


async def test_a_manager_without_setup_sees_the_list_and_is_refused(url: str) -> None:
    before = await services(url)
    app = desk_app(url, MANAGER)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, SERVICES, ServicesSetupScreen)
        await wait_until(pilot, lambda: VIEW_ONLY in list_message(app), what="why read-only")
        assert "New" not in titles(app) and "Offer or stop" not in titles(app)
        await pilot.press("n", "x")
        assert isinstance(app.screen, ServicesSetupScreen)
        # The service is the check: an editor opened anyway is refused on save.
        screen = app.screen
        assert screen.store is not None
        from screens.catalogue_services import ServiceEditorModal

        await app.push_screen(ServiceEditorModal(app.desk, screen.store, ()))
        await pilot.press(*"Peel", "tab", "tab", *"30", "tab", *typed("20.00"), "ctrl+s")
        await wait_until(
            pilot, lambda: "“setup”" in editor_of(app).message_text(), what="the refusal"
        )
    assert await services(url) == before


async def test_prepaid_offers_switch_by_x(url: str) -> None:
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, PREPAID, PrepaidOffersScreen)
        first = table_text(app).splitlines()[0]
        assert first.startswith("Botox | yes | " + money("200.00"))
        await pilot.press("x")
        await wait_until(
            pilot,
            lambda: "no longer sold prepaid" in list_message(app),
            what="the switch said",
        )
        assert table_text(app).splitlines()[0].startswith("Botox | no")
        assert "Edit" not in titles(app)  # prices are edited under Services
    assert await rows_of(url, Service.id, Service.prepaid_allowed) == [
        (1, True),
        (2, False),
        (3, True),
    ]


async def test_a_dual_commission_store_sets_amounts_per_visit(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(update(StoreSettings).values(commission_system="dual"))
    finally:
        await engine.dispose()
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot, SERVICES, ServicesSetupScreen)
        await pilot.press("enter")  # Botox
        await wait_until(pilot, lambda: app.screen.query("#commission_sale"), what="dual fields")
        assert not app.screen.query("#commission_percent")
        await pilot.press("tab", "tab", "tab", "tab", *typed("3.00"), "tab", *typed("4.50"))
        await pilot.press("enter")  # Enter on the last commission field saves
        await wait_until(
            pilot,
            lambda: (
                listed(app, ServicesSetupScreen)
                and f"{money('3.00')}/{money('4.50')}" in table_text(app)
            ),
            what="the amounts listed",
        )
    minor = TEST_MONEY.to_minor
    assert (2, minor(amount("3.00")), minor(amount("4.50"))) in await rows_of(
        url, Service.id, Service.commission_sale_minor, Service.commission_redeem_minor
    )
