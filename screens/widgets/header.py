"""One-line header: business · location · terminal on the left, the clock on the right.

Textual's own `Header` shows only title/sub_title; a desk needs to see *where* it is
(which location, which terminal) at a glance, so this widget follows the app's
reactives instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

SEP = " · "


class DeskHeader(Horizontal):
    """Where am I, and what time is it. All text is shown literally (never markup)."""

    business: reactive[str] = reactive("")
    location: reactive[str] = reactive("")
    terminal: reactive[str] = reactive("")

    def __init__(
        self,
        clock: Callable[[], dt.datetime],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._clock = clock

    def compose(self) -> ComposeResult:
        yield Static(id="header-where")
        yield Static(id="header-clock")

    def on_mount(self) -> None:
        # Follow the app's desk reactives when the app has them (FrontdeskApp does).
        for name in ("business", "location", "terminal"):
            if hasattr(type(self.app), f"{name}_name"):
                self.watch(self.app, f"{name}_name", self._follow(name), init=True)
        self._show_where()
        self._tick()
        self.set_interval(1.0, self._tick)

    def _follow(self, name: str) -> Callable[[str], None]:
        def follow(value: str) -> None:
            setattr(self, name, value)

        return follow

    def _show_where(self) -> None:
        parts = [p for p in (self.business, self.location, self.terminal) if p]
        self.query_one("#header-where", Static).update(Content(SEP.join(parts)))

    def _tick(self) -> None:
        now = self._clock()
        self.query_one("#header-clock", Static).update(Content(now.strftime("%a %d %b %H:%M")))

    def watch_business(self) -> None:
        if self.is_mounted:
            self._show_where()

    def watch_location(self) -> None:
        if self.is_mounted:
            self._show_where()

    def watch_terminal(self) -> None:
        if self.is_mounted:
            self._show_where()
