"""The client kiosk's app at 80x24, keyboard only (issue 18, item 1, must-show): no path
from the kiosk to another client's data or a staff screen (every key of the staff app
and of Textual tried), no quit without a manager's PIN, the idle return leaves nothing
of the last client, and a benefit chosen once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from textual.pilot import Pilot

from frontdesk.db.engine import create_engine
from frontdesk.services.context import ServiceContext
from screens.kiosk.app import KioskApp
from screens.kiosk.base import KioskScreen
from screens.kiosk.confirm import ConfirmScreen
from screens.kiosk.leave import LeaveModal, OpenScreen
from screens.kiosk.summary import SummaryScreen
from screens.kiosk.welcome import WelcomeScreen
from tests.money import TEST_MONEY
from tests.screens.screen_text import screen_text
from tests.services.kiosk_world import AMELIA_PHONE, PINS, KioskWorld, build_kiosk_world, kiosk_at
from tests.services.renewals_helpers import balance, wallet
from tests.waiting import wait_until

SIZE = (80, 24)
# Every key the staff app binds and Textual's own, except F12 and ctrl+x (the way out,
# tried on their own below).
KEYS = (
    "slash", "ctrl+f", "ctrl+p", "ctrl+q", "ctrl+c", "ctrl+l", "ctrl+s", "ctrl+z",
    "ctrl+backslash", "q", "tab", "shift+tab", "f1", "f2", "f3", "f4", "f5", "f6", "f7",
    "f8", "f9", "f10", "f11", "question_mark", "colon", "ctrl+o", "ctrl+n",
)  # fmt: skip
OTHER = ("Zo", "Hart", "Ångström", "C000002", "900002")


@pytest.fixture
async def kw(sqlite_url: str) -> AsyncIterator[tuple[str, KioskWorld]]:
    ctx = ServiceContext.create(create_engine(sqlite_url), terminal="setup")
    try:
        yield sqlite_url, await build_kiosk_world(ctx)
    finally:
        await ctx.dispose()


async def opened_app(url: str, world: KioskWorld, **kw: Any) -> KioskApp:
    kiosk = await (await kiosk_at(url)).open(str(world.world.manager), PINS["manager"])
    return KioskApp(kiosk, **kw)


async def type_in(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*text, "enter")


def still_a_kiosk(app: KioskApp, *, shown: tuple[str, ...] = OTHER) -> None:
    assert app.return_value is None and app.is_running
    assert isinstance(app.screen, KioskScreen | LeaveModal), type(app.screen)
    text = screen_text(app)
    for word in shown:
        assert word not in text, word


async def to_confirm(pilot: Pilot[Any], app: KioskApp) -> None:
    await type_in(pilot, AMELIA_PHONE)
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="Is that you?")


async def check_in(pilot: Pilot[Any], app: KioskApp) -> None:
    await to_confirm(pilot, app)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen), what="the summary")


async def test_only_a_managers_pin_opens_the_kiosk(kw: tuple[str, KioskWorld]) -> None:
    url, world = kw
    app = KioskApp(lambda: kiosk_at(url))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, OpenScreen), what="open form")
        await type_in(pilot, str(world.world.desk))
        await type_in(pilot, PINS["desk"])
        await wait_until(pilot, lambda: "Not accepted" in screen_text(app), what="refusal")
        assert isinstance(app.screen, OpenScreen)
        await type_in(pilot, str(world.world.manager))
        await type_in(pilot, PINS["manager"])
        await wait_until(pilot, lambda: isinstance(app.screen, WelcomeScreen), what="welcome")
        assert app.kiosk.opened_by == world.world.manager


async def test_no_key_leads_anywhere_but_the_kiosk(kw: tuple[str, KioskWorld]) -> None:
    url, world = kw
    app = await opened_app(url, world)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, WelcomeScreen), what="welcome")
        for key in KEYS:  # at the start screen: nobody's data at all
            await pilot.press(key)
            still_a_kiosk(app, shown=(*OTHER, "Amelia"))
        await type_in(pilot, "Zo")  # a name finds nobody, and shows no list
        await wait_until(pilot, lambda: "couldn't find" in screen_text(app), what="neutral")
        still_a_kiosk(app, shown=(*OTHER, "Amelia"))
        await to_confirm(pilot, app)
        for key in KEYS:  # "is that you?": Amelia's first name and time, no more
            await pilot.press(key)
            still_a_kiosk(app, shown=(*OTHER, "Beauty Bank", "Glow Select"))
            if not isinstance(app.screen, ConfirmScreen):
                await to_confirm(pilot, app)
        await pilot.press("escape")  # not me: a fresh start screen
        await wait_until(pilot, lambda: app.fresh, what="the start screen")
        still_a_kiosk(app, shown=(*OTHER, "Amelia"))
        await check_in(pilot, app)
        for key in KEYS:  # on Amelia's own page: only Amelia's data
            await pilot.press(key)
            still_a_kiosk(app)
            if not isinstance(app.screen, SummaryScreen):  # escape: done, a new start
                await check_in(pilot, app)
        assert "Amelia" in screen_text(app)
        await app.kiosk.close()


async def test_leaving_needs_a_managers_pin(kw: tuple[str, KioskWorld]) -> None:
    url, world = kw
    app = await opened_app(url, world)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, WelcomeScreen), what="welcome")
        for key in ("ctrl+q", "ctrl+c", "q", "escape"):
            await pilot.press(key)
            still_a_kiosk(app)
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, LeaveModal), what="PIN modal")
        await type_in(pilot, str(world.world.desk))
        await type_in(pilot, PINS["desk"])
        await wait_until(pilot, lambda: "Not accepted" in screen_text(app), what="refusal")
        assert app.return_value is None and isinstance(app.screen, LeaveModal)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, WelcomeScreen), what="back")
        await pilot.press("ctrl+x")
        await wait_until(pilot, lambda: isinstance(app.screen, LeaveModal), what="PIN modal")
        await type_in(pilot, str(world.world.manager))
        await type_in(pilot, PINS["manager"])
        await wait_until(pilot, lambda: app.return_value == 0, what="the kiosk left")
    await app.kiosk.close()


async def test_the_benefit_is_chosen_once(kw: tuple[str, KioskWorld]) -> None:
    url, world = kw
    app = await opened_app(url, world)
    cash = TEST_MONEY.format(TEST_MONEY.from_minor(4000))
    async with app.run_test(size=SIZE) as pilot:
        await check_in(pilot, app)
        assert "Glow Select" in screen_text(app)
        await pilot.press("2")
        await wait_until(pilot, lambda: "Done:" in screen_text(app), what="chosen")
        assert "Glow Select" not in screen_text(app)  # not offered again
        assert f"Beauty Bank: {cash}" in screen_text(app)
        await pilot.press("1", "2", "1")
        await wait_until(pilot, lambda: "Done:" in screen_text(app), what="still chosen")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.fresh, what="the start screen")
        await check_in(pilot, app)  # the same client again: nothing left to choose
        assert "Glow Select" not in screen_text(app)
        ctx = app.kiosk.ctx
        assert await wallet(ctx, world.world.client) == 4000
        from frontdesk.domain.ledger import StoredValueKind

        assert await balance(ctx, world.world.client, StoredValueKind.PREPAID_VISITS) == 0
    await app.kiosk.close()


async def test_idle_returns_to_a_clean_start_screen(kw: tuple[str, KioskWorld]) -> None:
    """The idle time runs on a clock the test moves (a real 0.5 s idle fired mid-check-in
    on a loaded machine); the timer's own callback does the return."""
    url, world = kw
    now = [0.0]
    app = await opened_app(url, world, monotonic=lambda: now[0])
    async with app.run_test(size=SIZE) as pilot:
        await check_in(pilot, app)
        assert "Amelia" in screen_text(app) and "Beauty Bank" in screen_text(app)
        summary = app.screen
        now[0] += app.idle_seconds - 1
        await app.idle_due()  # not yet: a minute has not passed since the last key
        assert app.screen is summary
        now[0] += 2
        await app.idle_due()
        await wait_until(pilot, lambda: app.fresh, what="the idle return")
        assert len(app.screen_stack) == 2 and summary not in app.screen_stack
        text = screen_text(app)
        assert "Amelia" not in text and "Beauty Bank" not in text and "10:30" not in text
        await type_in(pilot, AMELIA_PHONE[:5])  # half typed, then walked away
        await wait_until(pilot, lambda: not app.fresh, what="the typing shown")
        now[0] += app.idle_seconds + 1
        await app.idle_due()
        await wait_until(pilot, lambda: app.fresh, what="the typing cleared")
    await app.kiosk.close()
