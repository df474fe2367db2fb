"""The app told it runs on a low-spec terminal (issue 18, item 4), driven with Pilot at
80x24: every character drawn is one the terminal has, 16 colours, nothing blinks or
moves, amounts keep their currency; told nothing, it looks as it always has."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from textual.app import App
from textual.command import CommandPalette
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widgets import DataTable, Input

from frontdesk.domain.money_context import limit_symbols_to
from screens.app import FrontdeskApp
from screens.low_spec import GlyphFilter, StaticLoading
from screens.terminal_caps import ASCII, LINUX, Kind, TerminalCaps
from tests.desks import open_desk
from tests.money import TEST_MONEY
from tests.screens.conftest import NOW, SIGNED_IN, TERMINAL, TODAY, appointment_shown, day_shown
from tests.waiting import wait_until

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def process_wide_choices_undone() -> Iterator[None]:
    """A low-spec app sets two things for its whole process (the scrollbar renderer, the
    drawable characters of amounts); the next test starts as a modern terminal would."""
    yield
    ScrollBar.renderer = ScrollBarRender
    limit_symbols_to(None)


def _app(salon_url: str, kind: Kind) -> FrontdeskApp:
    return FrontdeskApp(
        lambda: open_desk(salon_url, terminal=TERMINAL, staff_id=SIGNED_IN),
        clock=lambda: NOW,
        today=TODAY,
        caps=TerminalCaps(kind),
    )


def _drawn(app: App[Any]) -> str:
    """The characters on screen now: the screenshot's text, tags and entities undone."""
    svg = app.export_screenshot()
    text = html.unescape(re.sub(r"<[^>]+>", "", svg.split("</style>", 1)[-1]))
    return text.replace("\xa0", " ")


def _strangers(app: App[Any], allowed: frozenset[str]) -> set[str]:
    return {c for c in _drawn(app) if c not in allowed and c not in "\n\r\t"}


@pytest.mark.parametrize(("kind", "allowed"), [(Kind.ASCII, ASCII), (Kind.LINUX, LINUX)])
async def test_low_spec_draws_only_what_the_terminal_has(
    salon_url: str, kind: Kind, allowed: frozenset[str]
) -> None:
    app = _app(salon_url, kind)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
        # The footer's ⏎ as a word (the footer draws a frame after the table).
        await wait_until(pilot, lambda: "Enter Open" in _drawn(app), what="the footer")
        assert _strangers(app, allowed) == set()
        table = app.screen.query_one(DataTable)  # its cursor shows without colour
        assert table.has_focus and table.get_component_rich_style("datatable--cursor").reverse

        await pilot.press("enter")
        await wait_until(pilot, lambda: appointment_shown(app), what="the appointment")
        assert _strangers(app, allowed) == set()

        await pilot.press("ctrl+p")
        await wait_until(
            pilot, lambda: isinstance(app.screen, CommandPalette), what="the command palette"
        )
        await wait_until(
            pilot, lambda: "Search for commands" in _drawn(app), what="the palette drawn"
        )
        assert _strangers(app, allowed) == set()  # its 🔎 too
        field = app.screen.query_one(Input)
        assert app.focused is field and field.cursor_blink is False

        assert app.console.color_system == "standard"
        assert app.theme == "ansi-dark"
        assert app.animation_level == "none"
        assert isinstance(app.get_loading_widget(), StaticLoading)
        assert app.has_class("-low-spec")
        assert app.store is not None
        shown = app.store.money.format(Decimal("35"))  # "GBP 35.00", "JPY 35"
        assert set(shown) <= ASCII and shown.replace("-", "").startswith(TEST_MONEY.currency)


async def test_a_modern_terminal_keeps_todays_look(salon_url: str) -> None:
    app = _app(salon_url, Kind.FULL)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
        assert not any(isinstance(f, GlyphFilter) for f in app.get_line_filters())
        await wait_until(pilot, lambda: "⏎ Open" in _drawn(app), what="the footer")
        table = app.screen.query_one(DataTable)
        assert not table.get_component_rich_style("datatable--cursor").reverse
        assert not app.has_class("-low-spec")
        assert ScrollBar.renderer is ScrollBarRender
        assert app.store is not None
        assert app.store.money.format(Decimal("35")) == TEST_MONEY.format(Decimal("35"))


@pytest.mark.parametrize("kind", [Kind.FULL, Kind.ASCII])
async def test_a_warning_or_an_error_says_so_in_words(salon_url: str, kind: Kind) -> None:
    app = _app(salon_url, kind)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
        app.notify("Choose a membership first.", severity="warning")
        app.notify("The drawer is closed.", severity="error")
        app.notify("Saved.")
        app.notify("Refused.", title="Not allowed", severity="error")
        await wait_until(pilot, lambda: len(app._notifications) == 4, what="the four toasts")
        titles = {note.message: note.title for note in app._notifications}
        assert titles == {
            "Choose a membership first.": "Warning",
            "The drawer is closed.": "Error",
            "Saved.": "",
            "Refused.": "Not allowed",
        }
