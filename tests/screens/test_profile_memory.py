"""Issue 19: opening and closing a client's profile leaves nothing behind.

Each profile opened from the search and closed again stayed reachable from the app (the
desk's name, location, terminal and signed-in person were bound to it with `data_bind`,
and Textual forgets a closed screen's binding only when the bound value changes), about
3 MB a time; and each return to the schedule left its footer's replaced keys bound to
it. Counted by references after a collection, never by memory or time.
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
from textual._styles_cache import StylesCache
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from frontdesk.services.desk import Desk
from screens.app import FrontdeskApp
from screens.profile import ClientProfileScreen
from screens.profile_tabs.base import ProfileTab
from screens.schedule import ScheduleScreen
from screens.search import ClientSearchScreen
from screens.widgets.watchers import WATCHERS
from tests.screens.profile_fixtures import (
    NOW,
    SIZE,
    ProfileClinic,
    build_profile_clinic_at,
    tab_ready,
)
from tests.waiting import wait_until

OPENS = 5
ANN_PHONE = "07700"  # Ann's phone begins so: one hit


@pytest.fixture
async def clinic(sqlite_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(sqlite_url)


def alive(kind: type[object]) -> int:
    gc.collect()
    return sum(isinstance(o, kind) for o in gc.get_objects())


def stale_footer_keys() -> int:
    """Footer keys no longer on any screen that something still holds."""
    gc.collect()
    return sum(isinstance(o, FooterKey) and not o.is_attached for o in gc.get_objects())


def loose_styles_caches() -> int:
    """Render caches of widgets that are gone (Textual's colour cache was keyed by them)."""
    gc.collect()
    live = {id(o._styles_cache) for o in gc.get_objects() if isinstance(o, Widget)}
    return sum(isinstance(o, StylesCache) and id(o) not in live for o in gc.get_objects())


async def open_and_close(pilot: Pilot[Any], *, account: bool) -> ClientProfileScreen:
    """As staff do it: `/`, Ann's phone, Enter, (`7` for Account,) Escape."""
    app = pilot.app
    await pilot.press("slash")
    await wait_until(pilot, lambda: isinstance(app.screen, ClientSearchScreen), what="search")
    await pilot.press(*ANN_PHONE, "enter")
    await wait_until(pilot, lambda: tab_ready(app, "overview"), what="Ann's profile")
    if account:
        await pilot.press("7")
        await wait_until(pilot, lambda: tab_ready(app, "account"), what="the Account tab")
    profile = app.screen
    assert isinstance(profile, ClientProfileScreen)
    await pilot.press("escape")
    await wait_until(pilot, lambda: isinstance(app.screen, ScheduleScreen), what="the schedule")
    return profile


async def test_closed_profiles_are_not_kept(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = FrontdeskApp(
        lambda: Desk.open(sqlite_url, terminal="desk-1", staff_id=clinic.reception_id),
        clock=lambda: NOW,
        today=NOW.date(),
        live=True,  # the change feed posts to the screens of the stack: not to closed ones
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ScheduleScreen), what="the schedule")
        closed = [weakref.ref(await open_and_close(pilot, account=True))]
        keys_after_one = stale_footer_keys()
        for _ in range(OPENS - 1):
            closed.append(weakref.ref(await open_and_close(pilot, account=False)))
        # The last one's removal may still be finishing after the schedule shows again.
        await wait_until(
            pilot,
            lambda: not any(isinstance(s, ClientProfileScreen) for s in app._registry),
            what="the last profile removed",
        )
        assert alive(ClientProfileScreen) == 0, [ref() is not None for ref in closed]
        assert alive(ProfileTab) == 0
        bound = getattr(app, WATCHERS)["business_name"]
        assert not any(isinstance(node, ClientProfileScreen) for node, _ in bound)
        # The schedule's footer rebuilds its keys on each return; the old ones go.
        assert stale_footer_keys() <= keys_after_one
        assert loose_styles_caches() == 0
