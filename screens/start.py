"""The screen under everything: shown while the store and its locations load, and where
a failure to open says why. Its own module so that the app's grows no further."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Footer, Static

from screens.widgets import DeskScreen


class StartScreen(DeskScreen):
    """Shown while the store and its locations load, or when they cannot be loaded."""

    def __init__(self) -> None:
        super().__init__(classes="start")
        self._error = ""

    def compose(self) -> ComposeResult:
        clock = getattr(self.app, "clock", dt.datetime.now)
        yield self.desk_header(clock)
        yield Static(Content("Opening the front desk…"), id="start-message")
        yield Footer(compact=True)

    def show_error(self, message: str) -> None:
        """Show why the desk cannot open (kept until mounted if called before)."""
        self._error = f"{message}\n\nPress q to quit."
        self.add_class("-error")
        messages = self.query("#start-message").results(Static)
        for static in messages:
            static.update(Content(self._error))

    def on_mount(self) -> None:
        if self._error:
            self.query_one("#start-message", Static).update(Content(self._error))
