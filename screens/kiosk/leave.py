"""Leaving kiosk mode, and opening it: a manager's or owner's number and PIN."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from frontdesk.domain.errors import DomainError, describe
from frontdesk.services.kiosk import Kiosk
from screens.kiosk.base import KioskScreen, title

T = TypeVar("T")


class StaffPinForm(Vertical):
    """Staff number, PIN, the refusal at the field."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Staff number", id="staff-who", max_length=120)
        yield Input(placeholder="PIN", password=True, id="staff-pin", max_length=12)
        yield Static(id="staff-message", classes="kiosk-error")

    def on_mount(self) -> None:
        self.query_one("#staff-message").display = False
        self.query_one("#staff-who", Input).focus()

    def values(self) -> tuple[str, str]:
        return self.query_one("#staff-who", Input).value, self.query_one("#staff-pin", Input).value

    async def tried(self, call: Callable[[str, str], Awaitable[T]]) -> T | None:
        """`call(number, pin)` as typed; a refusal (or a fault, as a sentence) under the
        form, and None, when it fails."""
        try:
            return await call(*self.values())
        except DomainError as exc:
            self.refuse(str(exc))
        except Exception as exc:
            self.refuse(describe(exc))
        return None

    def refuse(self, message: str) -> None:
        who = self.query_one("#staff-who", Input)
        who.value = self.query_one("#staff-pin", Input).value = ""
        box = self.query_one("#staff-message", Static)
        box.update(Content(message))
        box.display = True
        who.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "staff-who":
            event.stop()
            self.query_one("#staff-pin", Input).focus()


class LeaveModal(ModalScreen[int | None]):
    """A manager's PIN ends kiosk mode (the app returns 0); Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="kiosk.leave_back"),
    ]

    def __init__(self, kiosk: Kiosk) -> None:
        super().__init__(classes="kiosk")
        self.kiosk = kiosk

    def compose(self) -> ComposeResult:
        with Vertical(id="kiosk-leave"):
            yield title("Staff: leave kiosk mode")
            yield Static(Content("A manager's number and PIN. Esc goes back."))
            yield StaffPinForm()

    def action_back(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.check()

    @work(exclusive=True, group="kiosk-leave", exit_on_error=False)
    async def check(self) -> None:
        staff_id = await self.query_one(StaffPinForm).tried(self.kiosk.leave)
        if staff_id is not None:
            self.dismiss(staff_id)


class OpenScreen(KioskScreen):
    """Before any client: a manager or owner opens the kiosk; its writes name them."""

    def compose(self) -> ComposeResult:
        with Vertical(id="kiosk-box"):
            yield title(f"Open the kiosk at {self.kiosk.location_name}")
            yield Static(
                Content("Staff only: a manager's or owner's number and PIN, Enter."),
                classes="kiosk-help",
            )
            yield StaffPinForm()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.open_kiosk()

    @work(exclusive=True, group="kiosk-open", exit_on_error=False)
    async def open_kiosk(self) -> None:
        opened = await self.query_one(StaffPinForm).tried(self.kiosk.open)
        if opened is not None:
            self.app.opened(opened)  # type: ignore[attr-defined]
