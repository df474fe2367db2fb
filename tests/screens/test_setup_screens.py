"""The Setup hub and its store, locations and staff screens, by keys at 80x24 (issue 16,
item 1): F8 opens the hub, Enter a screen, Esc goes back; a save writes, a refused field
shows its error with nothing written, and someone without the permission only looks."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import insert, select
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Location, Staff, StaffPermission, StoreSettings
from frontdesk.domain.permissions import Perm
from screens.plans import PlansScreen
from screens.setup_base import view_only
from screens.setup_hub import SETUP_ENTRIES, SetupHubScreen
from screens.setup_locations import LocationsScreen
from screens.setup_staff import PINS_DIFFER, StaffScreen
from screens.setup_store import SAVED, StoreSettingsScreen
from screens.widgets.form import FormModal
from tests.desks import open_desk
from tests.money import TEST_MONEY, amount, money, typed
from tests.screens.palette_fixtures import desk_app, titles
from tests.screens.profile_fixtures import ProfileHost
from tests.waiting import wait_until

SIZE = (80, 24)
OWNER = 9
MANAGER = 8


@pytest.fixture
async def url(salon_url: str) -> str:
    engine = create_engine(salon_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(Staff),
                [
                    {"id": OWNER, "name": "Olive", "role": "owner", "location_id": 1},
                    {"id": MANAGER, "name": "Mo", "role": "manager", "location_id": 1},
                ],
            )
    finally:
        await engine.dispose()
    return salon_url


async def read(url: str, *columns: Any) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return [tuple(r) for r in await conn.execute(select(*columns))]
    finally:
        await engine.dispose()


def loaded(app: App[Any], kind: type[Any]) -> bool:
    screen = app.screen
    if not isinstance(screen, kind):
        return False
    tables = screen.query(DataTable)
    return all(not t.loading for t in tables)


def form(app: App[Any]) -> FormModal[Any]:
    screen = app.screen
    assert isinstance(screen, FormModal), screen
    return screen


def form_open(app: App[Any]) -> bool:
    return isinstance(app.screen, FormModal)


def error_of(app: App[Any], field: str) -> str:
    line = app.screen.query_one(f"#form-{field}-error")
    return str(line.render()) if line.has_class("-shown") else ""


def focused_id(app: App[Any]) -> str | None:
    return app.focused.id if app.focused is not None else None


async def to_field(pilot: Pilot[Any], field: str) -> None:
    """Tab to the form's field `field`."""
    for _ in range(12):
        if focused_id(pilot.app) == f"form-{field}":
            return
        await pilot.press("tab")
    raise AssertionError(f"never reached {field}")


async def retype(pilot: Pilot[Any], field: str, text: str) -> None:
    await to_field(pilot, field)
    box = pilot.app.screen.query_one(f"#form-{field}", Input)
    await pilot.press("end", *("backspace",) * len(box.value), *text)


# -- the hub ---------------------------------------------------------------------------


async def test_f8_opens_the_hub_and_enter_opens_each_screen(url: str) -> None:
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.member is not None, what="signed in")
        assert {"Setup", "Membership plans: set up"} <= titles(app)
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SetupHubScreen), what="the hub")
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(SETUP_ENTRIES)
        opened = (StoreSettingsScreen, LocationsScreen, StaffScreen, PlansScreen)
        for row, kind in enumerate(opened):
            await pilot.press(*("down",) * row, "enter")
            await wait_until(pilot, lambda: loaded(app, kind), what=kind.__name__)  # noqa: B023
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, SetupHubScreen), what="hub")
            await pilot.press(*("up",) * row)
        await pilot.press("escape")
        await wait_until(
            pilot, lambda: not isinstance(app.screen, SetupHubScreen), what="back to the desk"
        )


# -- store settings --------------------------------------------------------------------


def store_shown(app: App[Any]) -> bool:
    screen = app.screen
    return isinstance(screen, StoreSettingsScreen) and screen.store is not None


async def test_store_settings_save_and_the_idle_lock_follows_at_once(url: str) -> None:
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.member is not None, what="signed in")
        await pilot.press("f8", "enter")
        await wait_until(pilot, lambda: store_shown(app), what="the store settings")
        await pilot.press("e")
        await wait_until(pilot, lambda: form_open(app), what="the settings form")
        await retype(pilot, "business_name", "")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: error_of(app, "business_name"), what="the name's error")
        assert error_of(app, "business_name") == "Enter a business name"
        await retype(pilot, "business_name", "Glow & Co")
        await retype(pilot, "approval_threshold", typed("250.00"))
        await retype(pilot, "idle_lock_minutes", "500")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: error_of(app, "idle_lock_minutes"), what="the error")
        assert await read(url, StoreSettings.business_name) == [("Hair & Glow",)]
        await retype(pilot, "idle_lock_minutes", "12")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: store_shown(app), what="the settings saved")
        screen = app.screen
        assert isinstance(screen, StoreSettingsScreen)
        assert SAVED in screen.message_text()
        assert money("250.00") in screen.settings_shown()
        assert app.idle_seconds == 12 * 60 and app.business_name == "Glow & Co"
    minor = TEST_MONEY.to_minor(amount("250.00"))
    assert await read(
        url,
        StoreSettings.business_name,
        StoreSettings.approval_threshold_minor,
        StoreSettings.idle_lock_seconds,
        StoreSettings.version,
    ) == [("Glow & Co", minor, 720, 2)]


async def test_store_settings_are_view_only_without_setup(url: str) -> None:
    app = ProfileHost(url, lambda desk: StoreSettingsScreen(desk), staff_id=MANAGER)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: store_shown(app), what="the store settings")
        screen = app.screen
        assert isinstance(screen, StoreSettingsScreen)
        await wait_until(pilot, lambda: "“setup”" in screen.message_text(), what="why")
        assert "Hair & Glow" in screen.settings_shown()
        await pilot.press("e")
        assert not form_open(app)


async def test_store_settings_changed_elsewhere_are_not_overwritten(url: str) -> None:
    other = open_desk(url, terminal="desk-2", staff_id=OWNER)
    try:
        app = ProfileHost(url, lambda desk: StoreSettingsScreen(desk), staff_id=OWNER)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: store_shown(app), what="the store settings")
            await pilot.press("e")
            await wait_until(pilot, lambda: form_open(app), what="the settings form")
            await other.catalog.update_security_settings(amount("10"), 3)
            await retype(pilot, "business_name", "Mine")
            await pilot.press("ctrl+s")
            box = app.screen.query_one("#form-error")
            await wait_until(pilot, lambda: "desk-2" in str(box.render()), what="the conflict")
            assert (await other.catalog.store()).business_name == "Hair & Glow"
            await pilot.press("ctrl+s")  # saved again, knowingly, over the new version
            await wait_until(pilot, lambda: not form_open(app), what="the form closed")
        assert (await other.catalog.store()).business_name == "Mine"
    finally:
        await other.close()


# -- locations -------------------------------------------------------------------------


def rows(app: App[Any]) -> int:
    return app.screen.query_one(DataTable).row_count


async def test_locations_add_with_field_errors_then_save(url: str) -> None:
    app = ProfileHost(url, lambda desk: LocationsScreen(desk), staff_id=OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: loaded(app, LocationsScreen) and rows(app) == 2, what="")
        await pilot.press("n")
        await wait_until(pilot, lambda: form_open(app), what="the location form")
        await pilot.press(*"soho", "tab", *"1 Dean St")
        await retype(pilot, "closes_at", "08:00")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: error_of(app, "closes_at"), what="the closing error")
        assert error_of(app, "closes_at") == "Closing time must be after opening time"
        await retype(pilot, "closes_at", "18:30")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: error_of(app, "name"), what="the name's error")
        assert error_of(app, "name") == "A location with that name exists"  # "Soho" exists
        await retype(pilot, "name", "Covent Garden")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: loaded(app, LocationsScreen) and rows(app) == 3, what="")
        screen = app.screen
        assert isinstance(screen, LocationsScreen)
        assert screen.current is not None and screen.current.name == "Covent Garden"
    names = {r[0] for r in await read(url, Location.name)}
    assert names == {"Marylebone", "Soho", "Covent Garden"}


async def test_locations_are_view_only_without_setup(url: str) -> None:
    app = ProfileHost(url, lambda desk: LocationsScreen(desk), staff_id=MANAGER)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: loaded(app, LocationsScreen) and rows(app) == 2, what="")
        screen = app.screen
        assert isinstance(screen, LocationsScreen)
        await wait_until(
            pilot, lambda: view_only(screen.PERMISSION) in screen.message_text(), what="why"
        )
        await pilot.press("n")
        await pilot.press("enter")
        assert not form_open(app)


# -- staff and roles -------------------------------------------------------------------


def staff_screen(app: App[Any]) -> StaffScreen:
    screen = app.screen
    assert isinstance(screen, StaffScreen), screen
    return screen


async def to_staff(pilot: Pilot[Any], number: int) -> None:
    screen = staff_screen(pilot.app)
    await pilot.press(*("up",) * len(screen.rows))
    for _ in range(len(screen.rows)):
        if screen.current is not None and screen.current.number == number:
            return
        await pilot.press("down")
    raise AssertionError(f"staff member {number} not listed")


async def test_adding_staff_asks_the_pin_twice(url: str) -> None:
    app = ProfileHost(url, lambda desk: StaffScreen(desk), staff_id=MANAGER)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: loaded(app, StaffScreen) and rows(app) == 5, what="")
        await pilot.press("n")
        await wait_until(pilot, lambda: form_open(app), what="the staff form")
        await pilot.press(*"Priya Shah")
        await to_field(pilot, "pin")
        assert app.screen.query_one("#form-pin", Input).password
        await pilot.press(*"2468", "tab", *"2469", "ctrl+s")
        await wait_until(pilot, lambda: error_of(app, "pin_again"), what="the PINs differ")
        assert error_of(app, "pin_again") == PINS_DIFFER
        assert len(await read(url, Staff.id)) == 5
        await pilot.press("backspace", "8", "ctrl+s")
        await wait_until(pilot, lambda: loaded(app, StaffScreen) and rows(app) == 6, what="")
        added = staff_screen(app).current
        assert added is not None and added.name == "Priya Shah" and added.has_pin
        assert (added.role, added.location_name) == ("front_desk", "Marylebone")


async def test_a_manager_is_refused_making_an_owner(url: str) -> None:
    app = ProfileHost(url, lambda desk: StaffScreen(desk), staff_id=MANAGER)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: loaded(app, StaffScreen) and rows(app) == 5, what="")
        await to_staff(pilot, 2)  # Ben, a therapist
        await pilot.press("r")
        await wait_until(pilot, lambda: form_open(app), what="the role form")
        await to_field(pilot, "role")
        # Ben's own title first, then front desk, practitioner, manager, owner.
        await pilot.press("down", "down", "down", "down", "enter", "ctrl+s")
        box = app.screen.query_one("#form-error")
        await wait_until(pilot, lambda: "“setup”" in str(box.render()), what="the refusal")
        await pilot.press("escape", "g")  # no grants without setup: not offered
        assert not form_open(app)
        assert "staff.grants" not in {b.binding.id for b in app.screen.active_bindings.values()}
    assert (2, "therapist") in await read(url, Staff.id, Staff.role)


async def test_the_last_owner_stays_active(url: str) -> None:
    app = ProfileHost(url, lambda desk: StaffScreen(desk), staff_id=OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: loaded(app, StaffScreen) and rows(app) == 5, what="")
        await to_staff(pilot, OWNER)
        await pilot.press("x")
        screen = staff_screen(app)
        await wait_until(
            pilot, lambda: "last active owner" in screen.message_text(), what="the refusal"
        )
        await to_staff(pilot, 1)  # Anna: deactivated, then back
        await pilot.press("x")
        await wait_until(pilot, lambda: rows(app) == 4, what="Anna gone from the list")
        await pilot.press("i")
        await wait_until(pilot, lambda: loaded(app, StaffScreen) and rows(app) == 5, what="all")
    assert (OWNER, True) in await read(url, Staff.id, Staff.active)
    assert (1, False) in await read(url, Staff.id, Staff.active)


async def test_settings_saved_on_another_terminal_reach_this_one_at_the_next_sign_in(
    url: str,
) -> None:
    app = desk_app(url, OWNER)
    other = open_desk(url, terminal="desk-2", staff_id=OWNER)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.member is not None, what="signed in")
            member = app.member
            assert member is not None and app.idle_seconds == 300
            await other.catalog.update_security_settings(amount("10"), 7)
            await app.action_lock()
            app.enter_as(member)  # what signing in again does
            await wait_until(pilot, lambda: app.idle_seconds == 7 * 60, what="the new idle lock")
    finally:
        await other.close()


async def test_grants_are_ticked_and_saved(url: str) -> None:
    app = ProfileHost(url, lambda desk: StaffScreen(desk), staff_id=OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: loaded(app, StaffScreen) and rows(app) == 5, what="")
        await to_staff(pilot, 1)  # Anna, a stylist
        await pilot.press("g")
        await wait_until(pilot, lambda: form_open(app), what="the grants form")
        await to_field(pilot, "reports")
        await pilot.press("space", "ctrl+s")
        await wait_until(pilot, lambda: loaded(app, StaffScreen) and not form_open(app), what="")
        anna = staff_screen(app).current
        assert anna is not None and anna.grants == {Perm.REPORTS}
    assert await read(url, StaffPermission.staff_id, StaffPermission.permission) == [(1, "reports")]
