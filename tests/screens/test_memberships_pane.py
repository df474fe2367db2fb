"""The Account tab's Memberships section, by keys at 80x24: pause and resume, change plan,
cancel with a reason (the Beauty Bank balance stays), a refusal without the permission,
a change made on another terminal since, and a travel member's read-only profile."""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, OptionList

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import MembershipPlan
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from screens.profile import ClientProfileScreen
from screens.reason import ReasonModal
from screens.widgets.picker import PickerModal
from screens.widgets.section_bar import SectionBar
from tests.money import money
from tests.screens.profile_fixtures import (
    NOW,
    SIZE,
    ProfileClinic,
    ProfileHost,
    build_profile_clinic_at,
    ledger_count,
    notes,
    profile_opened,
    section_shown,
    tab_ready,
    text_of,
)
from tests.screens.ticket_fixtures import pick
from tests.waiting import wait_until

TRAVEL = "Travel member — home location Marylebone; Profile Details and Account are read-only here."
CANCEL_REFUSED = "You need the “cancel memberships” permission to do this"


@pytest.fixture
async def clinic(sqlite_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(sqlite_url)


def app_for(url: str, clinic: ProfileClinic, staff_id: int, location: int | None = None) -> Any:
    return ProfileHost(
        url,
        lambda s: ClientProfileScreen(
            s, clinic.ann_id, location_id=location or clinic.home_id, clock=lambda: NOW
        ),
        staff_id=staff_id,
    )


async def open_memberships(pilot: Pilot[None]) -> DataTable[Text]:
    app = pilot.app
    await pilot.press("7")
    await wait_until(pilot, lambda: tab_ready(app, "account"), what="the Account tab")
    app.screen.query_one("#account-sections", SectionBar).active = "acct-memberships"
    await wait_until(
        pilot, lambda: section_shown(app, "acct-memberships"), what="the Memberships section"
    )
    table: DataTable[Text] = app.screen.query_one("#memberships-table", DataTable)
    table.focus()
    return table


def row(table: DataTable[Text]) -> list[str]:
    return [c.plain for c in table.get_row_at(0)]


def status_is(table: DataTable[Text], status: str) -> bool:
    return table.row_count > 0 and row(table)[1] == status


async def test_pause_then_resume(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = app_for(sqlite_url, clinic, clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        table = await open_memberships(pilot)
        assert row(table) == [
            "Glow Gold",
            "active",
            "05 Jan 26",
            "05 Dec 26",
            f"{money('79.00')}/mo",
            "0%",
            "Auto",
        ]
        assert text_of(app, "#memberships-hint").endswith(
            "p pause/resume · g change plan · x cancel"
        )
        before = await ledger_count(sqlite_url)
        await pilot.press("p")
        await wait_until(pilot, lambda: status_is(table, "paused"), what="paused")
        assert row(table)[3] == "—"  # no renewal while paused
        assert any(n.startswith("Glow Gold paused") for n in notes(app))
        await pilot.press("p")
        await wait_until(pilot, lambda: status_is(table, "active"), what="active again")
        assert row(table)[3] == "05 Dec 26"  # still ahead of the desk's day: it stays
        assert "Glow Gold resumed · renews 05 Dec 26" in notes(app)
        assert await ledger_count(sqlite_url) == before


async def test_change_plan_from_a_picker_of_offered_plans(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    engine = create_engine(sqlite_url)
    try:
        owner = Desk(ServiceContext.create(engine, terminal="setup", staff_id=clinic.manager_id))
        async with owner.ctx.transaction() as s:
            s.add(MembershipPlan(name="Glow Silver", price_minor=4_900, discount_percent=10))
            s.add(MembershipPlan(name="Glow Retired", price_minor=1_000, active=False))
    finally:
        await engine.dispose()
    app = app_for(sqlite_url, clinic, clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        table = await open_memberships(pilot)
        await pilot.press("g")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, PickerModal)
                and app.screen.query_one(OptionList).option_count > 0
                and app.screen.query_one(OptionList).get_option_at_index(0).id is not None
            ),
            what="the plans",
        )
        title = str(app.screen.query_one("#picker-title", Label).render())
        assert title == "Glow Gold → (from the next cycle)"
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == [f"Glow Silver · {money('49.00')} / month"]  # offered, not its own
        await pick(pilot, str(options.get_option_at_index(0).id))
        await wait_until(pilot, lambda: row(table)[0] == "Glow Silver", what="the new plan")
        assert row(table)[1:5] == ["active", "05 Jan 26", "05 Dec 26", f"{money('49.00')}/mo"]
        assert "Now Glow Silver: applies from the next cycle (05 Dec 26)" in notes(app)


async def test_cancel_with_a_reason_keeps_the_beauty_bank(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = app_for(sqlite_url, clinic, clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        table = await open_memberships(pilot)
        balance = text_of(app, "#memberships-hint").split(" · ")[0]
        assert balance.startswith("Beauty Bank")
        before = await ledger_count(sqlite_url)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ReasonModal), what="the reason")
        assert text_of(app, "#ask-title") == "Cancel Glow Gold"
        await pilot.press("enter")  # a reason is required: the dialog stays
        assert isinstance(app.screen, ReasonModal)
        await pilot.press(*"Moving away", "enter")
        await wait_until(pilot, lambda: status_is(table, "cancelled"), what="cancelled")
        assert "Glow Gold cancelled · the Beauty Bank balance stays" in notes(app)
        assert text_of(app, "#memberships-hint").split(" · ")[0] == balance
        assert await ledger_count(sqlite_url) == before


async def test_cancel_without_the_permission_says_why(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = app_for(sqlite_url, clinic, clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        table = await open_memberships(pilot)
        await pilot.press("x")
        await wait_until(pilot, lambda: CANCEL_REFUSED in notes(app), what="the refusal")
        assert not isinstance(app.screen, ReasonModal)
        assert status_is(table, "active")


async def test_a_change_made_on_another_terminal_since_is_refused(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = app_for(sqlite_url, clinic, clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        table = await open_memberships(pilot)
        other = Desk.open(sqlite_url, terminal="Room 2", staff_id=clinic.manager_id)
        try:
            (member,) = await other.memberships.list(clinic.ann_id)
            await other.memberships.pause(member.id)
        finally:
            await other.close()
        await pilot.press("p")  # pause what this table shows: a version behind
        await wait_until(
            pilot,
            lambda: any(n.startswith("Changed on Room 2") for n in notes(app)),
            what="the stale refusal",
        )
        await wait_until(pilot, lambda: status_is(table, "paused"), what="the table re-read")


async def test_a_travel_member_is_read_only_here(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = app_for(sqlite_url, clinic, clinic.manager_id, clinic.away_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        table = await open_memberships(pilot)
        assert "p pause" not in text_of(app, "#memberships-hint")
        await pilot.press("x")
        await wait_until(pilot, lambda: TRAVEL in notes(app), what="why not")
        assert not isinstance(app.screen, ReasonModal)
        assert status_is(table, "active")
