"""Account › Service Add-ons shows each banked product's unit history, and Activity
shows unit use (issue 14, item 3): the appointment the units were used on is named, with
the units left after; long histories page with the same keys as the money histories."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable

from frontdesk.db import ledger
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Product
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from screens.profile import ClientProfileScreen
from screens.profile_tabs.unit_history import UnitHistory
from screens.widgets.section_bar import SectionBar
from tests.screens.picker_fixtures import Clinic, build_clinic_at
from tests.screens.profile_fixtures import (
    NOW,
    SIZE,
    ProfileHost,
    profile_opened,
    section_shown,
    tab_ready,
    text_of,
)
from tests.waiting import wait_until

USED_ON = "Used on Botox — Anti-wrinkle, 23 Nov 2026 10:00"


async def use_four(url: str, clinic: Clinic) -> None:
    """The injector uses 4 of the client's 10 Botox units on her appointment."""
    desk = Desk.open(url, terminal="desk-1", staff_id=clinic.staff_id)
    try:
        await desk.addons.add_to_service(
            clinic.appointment_id,
            [AddonSelection(clinic.botox_id, 4, 0, expected_owned=10)],
            key=new_key(),
        )
    finally:
        await desk.close()


async def bank_many(url: str, clinic: Clinic, count: int) -> None:
    """`count` more entries on the client's Botox account, one unit banked each."""
    ctx = ServiceContext.create(create_engine(url), terminal="setup", staff_id=clinic.staff_id)
    try:
        async with ctx.transaction() as session:
            product = await session.get(Product, clinic.botox_id)
            assert product is not None
            account = await ledger.get_or_create_account(
                session,
                clinic.client_id,
                StoredValueKind.PRODUCT_UNITS,
                product_id=product.id,
                unit_value_minor=product.unit_price_minor,
            )
            for i in range(count):
                await ledger.post(
                    session,
                    account.id,
                    1,
                    reason=Reason.BANK.value,
                    description=f"Top-up {i + 1}",
                    actor=ctx.actor,
                )
    finally:
        await ctx.dispose()


def profile_app(url: str, clinic: Clinic) -> ProfileHost:
    return ProfileHost(
        url,
        lambda desk: ClientProfileScreen(
            desk, clinic.client_id, location_id=clinic.location_id, clock=lambda: NOW
        ),
        staff_id=clinic.staff_id,
    )


def rows(app: ProfileHost, selector: str) -> list[tuple[str, ...]]:
    table: DataTable[Text] = app.screen.query_one(selector, DataTable)
    if not table.display:
        return []
    return [tuple(c.plain for c in table.get_row_at(i)) for i in range(table.row_count)]


async def open_addons(pilot: Pilot[None]) -> None:
    await profile_opened(pilot)
    await pilot.press("7")
    await wait_until(pilot, lambda: tab_ready(pilot.app, "account"), what="the Account tab")
    pilot.app.screen.query_one("#account-sections", SectionBar).active = "acct-addons"
    await wait_until(pilot, lambda: section_shown(pilot.app, "acct-addons"), what="Service Add-ons")


@pytest.fixture
async def clinic(sqlite_url: str) -> Clinic:
    clinic = await build_clinic_at(sqlite_url)  # Ann Lee banks 10 Botox units
    await use_four(sqlite_url, clinic)
    return clinic


async def test_service_addons_lists_each_entry_naming_the_appointment(
    sqlite_url: str, clinic: Clinic
) -> None:
    app = profile_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await open_addons(pilot)
        assert rows(app, "#addons-products") == [("Botox", "6 units", "2")]
        history = app.screen.query_one("#addons-history", UnitHistory)
        await wait_until(
            pilot, lambda: len(rows(app, "#addons-history-table")) == 2, what="Botox's entries"
        )
        (used, banked) = rows(app, "#addons-history-table")
        assert used[1:] == ("↓ −4", USED_ON, "6", "Dr Kay")
        assert banked[1:] == ("↑ +10", "Banked: Banked in test set-up", "10", "Dr Kay")
        assert str(history.query_one(".ledger-balance").render()) == (
            "Botox: 6 units left · ↑↓ product · Enter its entries"
        )
        assert text_of(app, "#addons-history .ledger-status") == "Entries 1–2 of 2"
        # The table cuts the appointment's name; the line under it has it all.
        assert f"{USED_ON} · −4 → 6 left · Dr Kay" in text_of(app, "#addons-history .unit-detail")
        # Keyboard only: the products table, Enter into the entries, ↓ to the next one.
        app.screen.query_one("#addons-products", DataTable).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: history.table.has_focus, what="the entries focused")
        await pilot.press("down")
        await wait_until(
            pilot,
            lambda: "Banked: Banked in test set-up" in text_of(app, "#addons-history .unit-detail"),
            what="the banking entry in full",
        )


async def test_activity_shows_the_unit_use(sqlite_url: str, clinic: Clinic) -> None:
    app = profile_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.press("5")
        await wait_until(pilot, lambda: tab_ready(app, "activity"), what="the Activity tab")
        found = [r for r in rows(app, "#activity-table") if r[1] == "Used: Botox"]
        assert len(found) == 1
        (use,) = found
        assert use[3].strip() == "−4 ↓"
        table: DataTable[Text] = app.screen.query_one("#activity-table", DataTable)
        table.focus()
        table.move_cursor(row=rows(app, "#activity-table").index(use))
        await wait_until(
            pilot,
            lambda: (
                text_of(app, "#activity-detail") == f"Used: Botox · {USED_ON} · 6 left · Dr Kay"
            ),
            what="the use in full, with the units left",
        )


async def test_a_long_unit_history_pages_with_n_and_p(sqlite_url: str, clinic: Clinic) -> None:
    await bank_many(sqlite_url, clinic, 60)  # 62 entries: two pages of 50
    app = profile_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await open_addons(pilot)
        status = "#addons-history .ledger-status"
        await wait_until(
            pilot,
            lambda: text_of(app, status) == "Entries 1–50 of 62 · n next page",
            what="the first page",
        )
        assert rows(app, "#addons-history-table")[0][2] == "Banked: Top-up 60"
        history = app.screen.query_one("#addons-history", UnitHistory)
        history.table.focus()
        await pilot.press("n")
        await wait_until(
            pilot, lambda: text_of(app, status) == "Entries 51–62 of 62 · p previous", what="page 2"
        )
        assert rows(app, "#addons-history-table")[-1][2] == "Banked: Banked in test set-up"
        await pilot.press("pageup")
        await wait_until(
            pilot,
            lambda: text_of(app, status).startswith("Entries 1–50 of 62"),
            what="back on page 1",
        )
        assert "r reverse" not in text_of(app, status)  # units are returned on the visit
