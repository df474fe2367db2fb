"""Idle means silent: the header's clock is painted when its text changes, not on every
tick of its one-second timer (a terminal left on the schedule gets no bytes for nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from textual._compositor import CompositorUpdate
from textual.app import App, ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from screens.widgets.header import DeskHeader, DeskScreen
from tests.waiting import wait_until

STYLES = Path(__file__).resolve().parents[2] / "styles"


class ClockApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.now = dt.datetime(2026, 11, 29, 9, 30, 5)

    def compose(self) -> ComposeResult:
        yield DeskHeader(lambda: self.now)


async def test_the_clock_paints_only_when_its_minute_changes() -> None:
    app = ClockApp()
    async with app.run_test(size=(80, 3)) as pilot:
        header = app.query_one(DeskHeader)
        clock = app.query_one("#header-clock", Static)
        painted: list[str] = []
        original = clock.update

        def counting_update(content: object = "", **kwargs: object) -> None:
            painted.append(str(content))
            original(content, **kwargs)  # type: ignore[arg-type]

        clock.update = counting_update  # type: ignore[method-assign]
        for second in (6, 7, 8):  # the same minute: nothing to paint
            app.now = app.now.replace(second=second)
            header._tick()
        assert painted == []
        app.now = app.now.replace(minute=31)
        header._tick()
        await pilot.pause()
        assert painted == ["Sun 29 Nov 09:31"]
        assert "09:31" in str(clock.render())


class Covering(ModalScreen[None]):
    DEFAULT_CSS = "Covering { align: center middle; } Covering > Static { width: 40; }"

    def compose(self) -> ComposeResult:
        yield Static("a modal over the desk")


class Desk(DeskScreen):
    def compose(self) -> ComposeResult:
        yield self.desk_header(lambda: self.app.now)  # type: ignore[attr-defined]
        for row in range(20):
            yield Static(f"row {row} " + "x" * 60)


class CoveredApp(App[None]):
    """Counts what each repaint would write to a terminal (headless writes nothing)."""

    CSS_PATH = STYLES / "app.tcss"  # the header's own layout: one docked line

    def __init__(self) -> None:
        super().__init__()
        self.now = dt.datetime(2026, 11, 29, 9, 30, 5)
        self.bytes_painted = 0

    def get_default_screen(self) -> Screen[None]:
        return Desk()

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        if isinstance(renderable, CompositorUpdate):
            self.bytes_painted += len(renderable.render_segments(self.console))
        super()._display(screen, renderable)


async def test_a_minute_under_a_modal_repaints_the_clock_only() -> None:
    """Textual repainted the whole screen through the modal at each change under it."""
    app = CoveredApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(Covering())
        await wait_until(pilot, lambda: isinstance(app.screen, Covering), what="the modal")
        header = app.screen_stack[0].query_one(DeskHeader)
        for minute in (31, 32, 33):
            app.bytes_painted = 0
            app.now = app.now.replace(minute=minute)
            header._tick()
            await wait_until(pilot, lambda: app.bytes_painted, what="the clock painted")
            # One line of 80 cells and its colours (~140 bytes), not 24 lines (~4 KB).
            assert app.bytes_painted < 400, (minute, app.bytes_painted)
        app.pop_screen()
        await wait_until(pilot, lambda: isinstance(app.screen, Desk), what="the desk")
        assert "09:33" in str(header.query_one("#header-clock", Static).render())
