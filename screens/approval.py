"""A manager's PIN for a change above the store's threshold (docs/rules.md, X4).

`with_approval` runs a service call; when the service says `ApprovalNeeded` it asks for
a second person's number and PIN on this terminal and calls again with them. The
service is the check: this only collects what it asks for.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, TypeVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from frontdesk.domain.errors import ApprovalNeeded, ValidationError
from frontdesk.views.staff import Approval
from screens.widgets.form import enter_moves_on, show_line

T = TypeVar("T")


class ApprovalModal(ModalScreen[Approval | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="approval.cancel"),
    ]

    def __init__(self, why: str, error: str = "") -> None:
        super().__init__(classes="approval")
        self.why = why
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(id="approval-box"):
            yield Static(Content("Manager approval"), id="approval-title")
            yield Static(Content(self.why), id="approval-why")
            yield Input(placeholder="Manager's staff number", id="approval-who", compact=True)
            yield Input(placeholder="PIN", password=True, id="approval-pin", compact=True)
            yield Static(id="approval-error", classes="field-error")

    def on_mount(self) -> None:
        self.query_one("#approval-who", Input).focus()
        if self.error:
            show_line(self.query_one("#approval-error", Static), self.error, error=True)

    def enter_moves_focus(self, event: events.Key) -> bool:
        return enter_moves_on(self, event, ("approval-who", "approval-pin"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        who = self.query_one("#approval-who", Input)
        pin = self.query_one("#approval-pin", Input)
        if event.input is who:
            pin.focus()
        elif not who.value.strip():
            who.focus()
        else:
            self.dismiss(Approval(who=who.value, pin=pin.value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class NotApproved(ValidationError):
    """The person at the desk closed the approval without one."""

    def __init__(self, why: str) -> None:
        super().__init__("approver", f"Not saved: {why}")


async def with_approval(app: App[Any], call: Callable[[Approval | None], Awaitable[T]]) -> T:
    """`call()`; if the service needs a manager's PIN, ask for it and call again. Raises
    `NotApproved` when the person cancels. Must run in a worker (it waits for a modal)."""
    approval: Approval | None = None
    why, error = "", ""
    while True:
        try:
            return await call(approval)
        except ApprovalNeeded as exc:
            why = str(exc)
        except ValidationError as exc:
            if approval is None or exc.field != "approver":
                raise
            error = str(exc)  # a wrong PIN or the same person: ask again
        approval = await app.push_screen_wait(ApprovalModal(why, error))
        if approval is None:
            raise NotApproved(why)
