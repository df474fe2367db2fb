"""What every kiosk screen shares: the kiosk it was given, a title and a message line.

Nothing here imports the staff app's screens or widgets: the kiosk reaches none of them.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from frontdesk.services.kiosk import Kiosk


class KioskScreen(Screen[Any]):
    def __init__(self, kiosk: Kiosk) -> None:
        super().__init__(classes="kiosk")
        self.kiosk = kiosk

    def say(self, message: str, selector: str = "#kiosk-message") -> None:
        box = self.query_one(selector, Static)
        box.update(Content(message))  # Content: stored or typed text is never markup
        box.display = bool(message)


def title(text: str) -> Static:
    return Static(Content(text), classes="kiosk-title")
