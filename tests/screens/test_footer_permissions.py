"""Issue 14, item 8: the footer offers only what the current client and the signed-in
person can do, and so does the command palette (built from the same bindings).

A travel member (home elsewhere) has read-only Profile Details and Account here: no
balance, save, adjust or reverse keys in the footer or the palette, while Book and Sell
stay. A person without a permission does not see its keys; a manager does. A key not
offered runs nothing when pressed anyway, and says why.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.dom import DOMNode
from textual.pilot import Pilot

from frontdesk.db.engine import create_engine
from frontdesk.services.context import ServiceContext
from screens.app import FrontdeskApp
from screens.profile import ClientProfileScreen
from screens.profile_tabs.details import DetailsTab
from tests.screens.palette_fixtures import (
    SIZE,
    desk_app,
    footer_keys,
    open_profile,
    open_section,
    open_tab,
    titles,
)
from tests.screens.profile_fixtures import (
    ProfileClinic,
    build_profile_clinic_at,
    ledger_count,
    notes,
)
from tests.services.factories import make_staff
from tests.waiting import wait_until

TRAVEL = "Travel member — home location Marylebone; Profile Details and Account are read-only here."
BALANCE_KEYS = {"adjust('wallet')", "adjust('account')", "pay_balance"}
BALANCE_NAMES = {"Adjust Beauty Bank", "Adjust account balance", "Pay balance"}


@pytest.fixture
async def clinic(sqlite_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(sqlite_url)


async def refused(pilot: Pilot[int], key: str) -> None:
    """Press `key`: the travel member's reason is shown (notes expire, so one at a time)."""
    app = pilot.app
    app.clear_notifications()
    await pilot.press(key)
    await wait_until(pilot, lambda: TRAVEL in notes(app), what=f"{key} refused")


def footer_actions(app: FrontdeskApp) -> set[str]:
    return {key.action for key in footer_keys(app)}


@pytest.mark.parametrize(("where", "travel"), [("home", False), ("away", True)])
async def test_a_travel_members_footer_and_palette_have_no_edit_keys(
    sqlite_url: str, clinic: ProfileClinic, where: str, travel: bool
) -> None:
    """The same front-desk person, the same client: at her home location every key is
    offered; at another location (a travel member) none that would be refused."""
    location = clinic.away_id if travel else clinic.home_id
    app = desk_app(sqlite_url, clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(pilot, clinic.ann_id, location)
        assert ("Travel member" in str(app.screen.query_one("#profile-header").render())) is travel
        assert (footer_actions(app) & BALANCE_KEYS == set()) is travel
        assert (titles(app) & BALANCE_NAMES == set()) is travel
        assert {"book", "sell"} <= footer_actions(app)  # booking and selling still work
        assert {"Book appointment", "Sell on a ticket"} <= titles(app)

        await open_tab(pilot, "2", "details")
        assert ("save" in footer_actions(app)) is not travel
        assert ("Save details" in titles(app)) is not travel

        await open_tab(pilot, "7", "account")
        await open_section(pilot, "acct-prepaid")
        assert ("adjust_prepaid" in footer_actions(app)) is not travel
        assert ("Adjust visits" in titles(app)) is not travel
        assert "Active only" in titles(app)  # looking is not editing
        await open_section(pilot, "acct-wallet")
        app.screen.query_one("#wallet-history DataTable").focus()
        await wait_until(pilot, lambda: app.screen.focused is not None, what="the history")
        # Front desk may not reverse at all: see the permission test below.
        assert "reverse" not in footer_actions(app)


@pytest.mark.parametrize(
    ("role", "adjusts"), [("therapist", False), ("front_desk", True), ("manager", True)]
)
async def test_adjust_balances_is_offered_only_to_those_who_may(
    sqlite_url: str, clinic: ProfileClinic, role: str, adjusts: bool
) -> None:
    """ROLE_PERMISSIONS: a practitioner takes payments but adjusts no balance."""
    app = desk_app(sqlite_url, await staff_with_role(sqlite_url, role))
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(pilot, clinic.ann_id, clinic.home_id)
        for action, name in (
            ("adjust('wallet')", "Adjust Beauty Bank"),
            ("adjust('account')", "Adjust account balance"),
        ):
            assert (action in footer_actions(app)) is adjusts, (role, action)
            assert (name in titles(app)) is adjusts, (role, name)
        assert "pay_balance" in footer_actions(app)  # all three take payments
        assert "Pay balance" in titles(app)
        await open_tab(pilot, "7", "account")
        await open_section(pilot, "acct-prepaid")
        assert ("Adjust visits" in titles(app)) is adjusts


@pytest.mark.parametrize(("role", "reverses"), [("front_desk", False), ("manager", True)])
async def test_reverse_is_offered_only_to_those_who_may(
    sqlite_url: str, clinic: ProfileClinic, role: str, reverses: bool
) -> None:
    app = desk_app(sqlite_url, await staff_with_role(sqlite_url, role))
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(pilot, clinic.ann_id, clinic.home_id)
        await open_tab(pilot, "7", "account")
        await open_section(pilot, "acct-wallet")
        app.screen.query_one("#wallet-history DataTable").focus()
        await wait_until(
            pilot,
            lambda: ("reverse" in footer_actions(app)) is reverses,
            what="the footer for the history table",
        )
        assert ("Reverse entry" in titles(app)) is reverses


async def staff_with_role(url: str, role: str) -> int:
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        return (await make_staff(ctx, name=f"Sam {role}", role=role)).id
    finally:
        await ctx.dispose()


class Dispatched:
    """Every action Textual dispatches (what a key or the palette runs), by name."""

    def __init__(self, app: FrontdeskApp) -> None:
        self.names: list[str] = []
        self._dispatch = app._dispatch_action

        async def spy(namespace: DOMNode, action_name: str, params: Any) -> bool:
            self.names.append(action_name)
            return await self._dispatch(namespace, action_name, params)

        app._dispatch_action = spy  # type: ignore[method-assign]


async def test_keys_not_offered_to_a_travel_member_run_nothing_and_say_why(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = desk_app(sqlite_url, clinic.manager_id)  # may do everything: only travel stops it
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(pilot, clinic.ann_id, clinic.away_id)
        before = await ledger_count(sqlite_url)
        dispatched = Dispatched(app)
        for key in ("b", "a", "y"):
            await refused(pilot, key)
            assert isinstance(app.screen, ClientProfileScreen), key
        assert not {"adjust", "pay_balance"} & set(dispatched.names), dispatched.names

        await open_tab(pilot, "2", "details")
        details = app.screen.query_one(DetailsTab)
        dispatched.names.clear()
        await refused(pilot, "ctrl+s")
        assert "save" not in dispatched.names and details.read_only

        await open_tab(pilot, "7", "account")
        await open_section(pilot, "acct-prepaid")
        await refused(pilot, "j")
        await open_section(pilot, "acct-wallet")
        await refused(pilot, "r")
        assert not {"save", "adjust_prepaid", "reverse_selected", "reverse"} & set(
            dispatched.names
        ), dispatched.names
        assert isinstance(app.screen, ClientProfileScreen)  # no dialog opened
    assert await ledger_count(sqlite_url) == before


async def test_a_key_the_person_may_not_use_runs_nothing_and_says_why(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    refusal = "You need the “adjust balances” permission to do this"
    app = desk_app(sqlite_url, await staff_with_role(sqlite_url, "therapist"))
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(pilot, clinic.ann_id, clinic.home_id)
        dispatched = Dispatched(app)
        await pilot.press("a")
        await wait_until(pilot, lambda: refusal in notes(app), what="a refused")
        assert "adjust" not in dispatched.names
        assert isinstance(app.screen, ClientProfileScreen)
