"""The kiosk on the low-spec terminals kiosks are (issue 18, items 1 and 4): under
TERM=vt100 and TERM=linux it draws only what the terminal has, from the start screen to
a client's own page, and amounts keep their currency (as its ISO code)."""

from __future__ import annotations

import pytest

from screens.kiosk.app import KioskApp
from screens.kiosk.summary import SummaryScreen
from screens.terminal_caps import ASCII, LINUX, Kind, TerminalCaps
from tests.money import TEST_MONEY
from tests.screens.screen_text import screen_text
from tests.screens.test_kiosk_app import SIZE, check_in, kw, opened_app  # noqa: F401
from tests.screens.test_low_spec_pilot import (  # noqa: F401  (autouse: undone after)
    _strangers,
    process_wide_choices_undone,
)
from tests.services.kiosk_world import KioskWorld
from tests.waiting import wait_until


@pytest.mark.parametrize(("kind", "allowed"), [(Kind.ASCII, ASCII), (Kind.LINUX, LINUX)])
async def test_the_kiosk_draws_only_what_the_terminal_has(
    kw: tuple[str, KioskWorld],  # noqa: F811
    kind: Kind,
    allowed: frozenset[str],
) -> None:
    url, world = kw
    app: KioskApp = await opened_app(url, world, caps=TerminalCaps(kind))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.fresh, what="the start screen")
        assert _strangers(app, allowed) == set()
        await check_in(pilot, app)
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, SummaryScreen) and "Beauty Bank" in screen_text(app),
            what="the client's page",
        )
        assert _strangers(app, allowed) == set()
        assert f"Beauty Bank: {TEST_MONEY.currency}" in screen_text(app)  # "GBP 0.00"
    await app.kiosk.close()
