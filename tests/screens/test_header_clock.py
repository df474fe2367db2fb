"""Idle means silent: the header's clock is painted when its text changes, not on every
tick of its one-second timer (a terminal left on the schedule gets no bytes for nothing)."""

from __future__ import annotations

import datetime as dt

from textual.app import App, ComposeResult
from textual.widgets import Static

from screens.widgets.header import DeskHeader


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
