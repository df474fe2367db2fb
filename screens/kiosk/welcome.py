"""The kiosk's start screen: the client types their phone or client number."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from frontdesk.domain.errors import DomainError, describe
from frontdesk.services.kiosk import Kiosk
from screens.kiosk.base import KioskScreen, title


class WelcomeScreen(KioskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "check_in", "Check in", show=False, id="kiosk.check_in"),
    ]

    def __init__(self, kiosk: Kiosk) -> None:
        super().__init__(kiosk)
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="kiosk-box"):
            yield title(f"Welcome to {self.kiosk.location_name}")
            yield Static(
                Content("Please type your phone number or client number,\nthen press Enter."),
                classes="kiosk-help",
            )
            yield Input(placeholder="Phone or client number", id="kiosk-number", max_length=40)
            yield Static(id="kiosk-message", classes="kiosk-error")

    def on_mount(self) -> None:
        self.say("")
        self.query_one("#kiosk-number", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_check_in()

    def action_check_in(self) -> None:
        if not self.busy:
            self.busy = True
            self.check_in(self.query_one("#kiosk-number", Input).value)

    @work(exclusive=True, group="kiosk-check-in", exit_on_error=False)
    async def check_in(self, typed: str) -> None:
        from screens.kiosk.confirm import ConfirmScreen

        field = self.query_one("#kiosk-number", Input)
        field.loading = True
        try:
            visit = await self.kiosk.check_in(typed)
        except DomainError as exc:
            self.say(str(exc))
            field.value = ""
            return
        except Exception as exc:
            self.say(f"Sorry, the kiosk could not check you in: {describe(exc)}")
            return
        finally:
            field.loading = False
            self.busy = False
        field.value = ""
        self.say("")
        await self.app.push_screen(ConfirmScreen(self.kiosk, visit))
