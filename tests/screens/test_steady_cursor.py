"""Idle means silent (issue 19): no cursor blinks, on any terminal, in any Input or
TextArea, by one rule (`screens.low_spec.SteadyCursor`) rather than one line per screen.
`test_idle_pty.py` shows what it is for: 0 bytes to a real terminal."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, TextArea

from screens.app import FrontdeskApp
from screens.low_spec import SteadyCursor
from screens.search import ClientSearchScreen
from screens.terminal_caps import Kind, TerminalCaps
from tests.desks import open_desk
from tests.screens.conftest import NOW, SIGNED_IN, TERMINAL, TODAY, day_shown
from tests.waiting import wait_until

SIZE = (80, 24)


class Fields(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="line")
        yield TextArea(id="area")


class SteadyFields(SteadyCursor, Fields):
    pass


@pytest.mark.parametrize(("app_class", "blinks"), [(Fields, True), (SteadyFields, False)])
async def test_a_focused_field_blinks_only_without_the_rule(
    app_class: type[Fields], blinks: bool
) -> None:
    app = app_class()
    async with app.run_test(size=SIZE) as pilot:
        line = app.query_one("#line", Input)
        line.focus()
        await wait_until(pilot, lambda: app.focused is line, what="the Input focused")
        await pilot.pause()  # the focus message reaches the app
        assert line.cursor_blink is blinks
        area = app.query_one("#area", TextArea)
        area.focus()
        await wait_until(pilot, lambda: app.focused is area, what="the TextArea focused")
        await pilot.pause()
        assert area.cursor_blink is blinks


async def test_the_desk_on_a_modern_terminal_has_a_steady_cursor(salon_url: str) -> None:
    app = FrontdeskApp(
        lambda: open_desk(salon_url, terminal=TERMINAL, staff_id=SIGNED_IN),
        clock=lambda: NOW,
        today=TODAY,
        caps=TerminalCaps(Kind.FULL),
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
        await pilot.press("slash")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ClientSearchScreen), what="the search window"
        )
        box = app.screen.query_one("#search-input", Input)
        await wait_until(pilot, lambda: app.focused is box, what="the search box focused")
        await pilot.pause()
        assert box.cursor_blink is False
