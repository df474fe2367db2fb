"""Small modals that ask one question: a reason, a quantity, or yes/no.

Each validates its own field with the one parser staff input goes through
(`clean_description`, `parse_quantity`) and dismisses with the clean value, or None on
Esc. None of them writes anything: the caller does, with what they return.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

import styles
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.parsing import clean_description, parse_quantity

# The ask modals' few rules live with the appointment screen's, their main user.
ASK_CSS = Path(styles.__file__).parent / "appointment.tcss"


T = TypeVar("T")


class _AskModal(ModalScreen[T | None], Generic[T]):
    """Title, prompt, one Input with an error line under it; Enter confirms, Esc cancels."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [ASK_CSS]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="ask.cancel"),
    ]
    HELP = "Enter confirm · Esc cancel"

    def __init__(self, title: str, prompt: str, *, value: str = "", placeholder: str = "") -> None:
        super().__init__(classes="ask")
        self._title = title
        self._prompt = prompt
        self._value = value
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Static(Content(self._title), id="ask-title")
            yield Static(Content(self._prompt), id="ask-prompt")
            yield Input(self._value, placeholder=self._placeholder, id="ask-input")
            yield Static(id="ask-error")
            yield Static(Content(self.HELP), id="ask-help")

    def on_mount(self) -> None:
        field = self.query_one("#ask-input", Input)
        field.focus()

    def parse(self, text: str) -> T:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.query_one("#ask-error", Static).update(Content(message))
        self.add_class("-invalid")

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.has_class("-invalid"):
            self.query_one("#ask-error", Static).update("")
            self.remove_class("-invalid")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            value = self.parse(event.value)
        except ValidationError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonModal(_AskModal[str]):
    """Ask for a required one-line reason (cancelling, removing, adjusting)."""

    def __init__(
        self,
        title: str,
        prompt: str = "Reason (required)",
        *,
        value: str = "",
        placeholder: str = "e.g. client unwell",
    ) -> None:
        super().__init__(title, prompt, value=value, placeholder=placeholder)

    def parse(self, text: str) -> str:
        return clean_description(text, field="reason")


class QuantityModal(_AskModal[int]):
    """Ask for a whole number of units, at least `minimum` (1 by default)."""

    def __init__(
        self,
        title: str,
        prompt: str = "How many units?",
        *,
        value: str = "",
        minimum: int = 1,
        maximum: int = 100_000,
    ) -> None:
        super().__init__(title, prompt, value=value, placeholder=f"{minimum} or more")
        self._minimum = minimum
        self._maximum = maximum

    def parse(self, text: str) -> int:
        return parse_quantity(text, field="units", minimum=self._minimum, maximum=self._maximum)


class ConfirmModal(ModalScreen[bool]):
    """Yes or no for a step that can't be undone; y/Enter yes, n/Esc no."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [ASK_CSS]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, prompt: str) -> None:
        super().__init__(classes="ask")
        self._title = title
        self._prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Static(Content(self._title), id="ask-title")
            yield Static(Content(self._prompt), id="ask-prompt")
            yield Static(Content("y / Enter yes · n / Esc no"), id="ask-help")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
