""" "Are you Amelia?": the first name and today's time, nothing more, before the client
says it is them."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from frontdesk.domain.errors import describe
from frontdesk.services.kiosk import Kiosk, KioskVisit
from screens.kiosk.base import KioskScreen, title


class ConfirmScreen(KioskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "yes", "That's me", id="kiosk.yes"),
        Binding("escape,n", "not_me", "Not me", id="kiosk.not_me"),
    ]

    def __init__(self, kiosk: Kiosk, visit: KioskVisit) -> None:
        super().__init__(kiosk)
        self.visit = visit
        self.busy = False

    def compose(self) -> ComposeResult:
        hello = self.visit.greeting
        with Vertical(id="kiosk-box"):
            yield title(f"Hello {hello.first_name}!")
            yield Static(
                Content(f"Your appointment today is at {hello.times_text}."), classes="kiosk-help"
            )
            yield Static(
                Content("Is that you?\n\n  Enter = yes, that's me\n  Esc   = no, start again"),
                classes="kiosk-keys",
            )
            yield Static(id="kiosk-message", classes="kiosk-error")

    def on_mount(self) -> None:
        self.say("")

    def action_not_me(self) -> None:
        self.app.call_later(self.app.reset_kiosk)  # type: ignore[attr-defined]

    def action_yes(self) -> None:
        if not self.busy:
            self.busy = True
            self.confirm()

    @work(exclusive=True, group="kiosk-confirm", exit_on_error=False)
    async def confirm(self) -> None:
        from screens.kiosk.summary import SummaryScreen

        try:
            summary = await self.visit.confirm()
        except Exception as exc:
            self.busy = False
            self.say(f"Sorry, please ask at the front desk. ({describe(exc)})")
            return
        # Not awaited here: switching removes this screen, and with it this worker.
        self.app.call_later(self.app.switch_screen, SummaryScreen(self.kiosk, self.visit, summary))
