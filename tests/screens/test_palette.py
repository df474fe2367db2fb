"""Issue 14, item 6: every screen's actions are in the command palette by name, built
from the same bindings as the footer, so the two never disagree.

On the schedule, the profile and two of its tabs: every key the footer shows is in the
palette (typing the footer's word finds it, its key named), and the palette offers
nothing that is not a binding in effect there (shown, or hidden but real: `W`, the tab
keys, Lock, Find client, Quit), bar Textual's key help panel.
"""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from screens.app import FrontdeskApp
from screens.palette import palette_name
from screens.profile import ClientProfileScreen
from screens.ticket import TicketScreen
from tests.screens.conftest import TODAY, AppFactory, day_shown
from tests.screens.palette_fixtures import (
    KEYS_PANEL,
    SIZE,
    desk_app,
    footer_bindings,
    footer_settled,
    offered_by_palette,
    open_profile,
    open_section,
    open_tab,
    palette,
    titles,
)
from tests.screens.profile_fixtures import ProfileClinic, build_profile_clinic_at, tab_ready
from tests.waiting import wait_until


@pytest.fixture
async def clinic(sqlite_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(sqlite_url)


def agree(app: FrontdeskApp) -> None:
    """The footer and the palette agree on the screen on top."""
    shown = footer_bindings(app)
    assert len(shown) >= 2, shown  # a screen with its keys, not an empty footer
    missing = [b.description for b in shown if not offered_by_palette(app, b)]
    assert not missing, f"in the footer, not in the palette: {missing}"
    in_effect = {
        palette_name(b.binding)
        for b in app.screen.active_bindings.values()
        if b.enabled and b.binding.id
    }
    extra = titles(app) - in_effect - {KEYS_PANEL}
    assert not extra, f"in the palette, not a binding in effect: {extra}"
    listed = [command.title for command in palette(app)]
    assert len(listed) == len(set(listed)), listed  # one entry per action


async def test_the_schedule_footer_and_palette_agree(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
        await footer_settled(pilot)
        agree(app)
        offered = titles(app)
        # Hidden in the footer (no room at 80 columns), real actions all the same.
        assert {"Walk-in ticket", "Open tickets", "Check in", "No-show"} <= offered
        assert {
            "Lock",
            "Search: find a client",
            "Quit",
            "Switch location",
            "Filter by staff",
        } <= offered
        assert "Theme" not in offered and "Screenshot" not in offered


@pytest.mark.parametrize(
    ("key", "pane_id", "own"),
    [
        (None, "overview", {"Adjust Beauty Bank", "Adjust account balance", "Pay balance"}),
        ("2", "details", {"Save details"}),
        ("7", "account", {"Reverse entry"}),
    ],
)
async def test_the_profile_and_its_tabs_footer_and_palette_agree(
    sqlite_url: str, clinic: ProfileClinic, key: str | None, pane_id: str, own: set[str]
) -> None:
    app = desk_app(sqlite_url, clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(pilot, clinic.ann_id, clinic.home_id)
        if key is not None:
            await open_tab(pilot, key, pane_id)
        if pane_id == "account":
            await open_section(pilot, "acct-wallet")
        agree(app)
        offered = titles(app)
        assert own <= offered, own - offered
        # The profile's keys on every tab (the footer lists some on Overview only).
        assert {"Book appointment", "Sell on a ticket", "Account tab", "Goals tab"} <= offered
        assert {"Lock", "Search: find a client", "Quit"} <= offered
        # Nothing of the schedule's underneath.
        assert "Walk-in ticket" not in offered


async def test_the_account_prepaid_section_offers_its_own_keys(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = desk_app(sqlite_url, clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(pilot, clinic.ann_id, clinic.home_id)
        await open_tab(pilot, "7", "account")
        await open_section(pilot, "acct-prepaid")
        agree(app)
        assert {"Adjust visits", "Active only"} <= titles(app)
        assert "Reverse entry" not in titles(app)  # no entries to reverse in this section


def offers(app: FrontdeskApp, command: str) -> bool:
    found = app.screen.query_one(CommandList)
    return any(command in str(option.prompt) for option in found.options)


async def choose(pilot: Pilot[int], typed: str, command: str) -> None:
    await pilot.press("ctrl+p")
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, CommandPalette), what="the command palette"
    )
    await pilot.press(*typed)
    app = pilot.app
    assert isinstance(app, FrontdeskApp)
    await wait_until(pilot, lambda: offers(app, command), what=f"{command} in the palette")
    await pilot.press("enter")


async def test_a_profile_tab_is_opened_from_the_palette(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    """Chosen in the palette, a binding's action runs where it was bound."""
    app = desk_app(sqlite_url, clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(pilot, clinic.ann_id, clinic.home_id)
        await choose(pilot, "account tab", "Account tab")
        await wait_until(pilot, lambda: tab_ready(app, "account"), what="the Account tab")
        assert isinstance(app.screen, ClientProfileScreen)
        await choose(pilot, "details", "Profile Details tab")
        await wait_until(pilot, lambda: tab_ready(app, "details"), what="Profile Details")


async def test_quit_from_the_palette_exits_with_0(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
        assert [c.title for c in palette(app)].count("Quit") == 1
        await choose(pilot, "quit", "Quit")
        await wait_until(pilot, lambda: not app.is_running, what="the app quit")
    assert app.return_code == 0


async def test_the_ticket_footer_and_palette_agree(sqlite_url: str, clinic: ProfileClinic) -> None:
    """The till names its keys in full in the palette, though the footer says "Bank"."""
    app = desk_app(sqlite_url, clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(pilot, clinic.ann_id, clinic.home_id)
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        await footer_settled(pilot)
        agree(app)
        offered = titles(app)
        assert {"Pay from Beauty Bank", "Promotion code", "Complete checkout"} <= offered
        assert "Leave open" in offered  # hidden in the footer, a real action all the same
