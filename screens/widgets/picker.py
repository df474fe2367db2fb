"""A small modal list: pick one of a few labelled choices with the keyboard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class PickerModal(ModalScreen[str | None]):
    """Dismisses with the chosen option's id, or None on Esc.

    Labels are shown literally (they come from names staff typed in).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="picker.cancel")
    ]

    def __init__(
        self,
        title: str,
        choices: Sequence[tuple[str, str]],
        *,
        current: str | None = None,
    ) -> None:
        super().__init__(classes="picker")
        self._title = title
        self._choices = tuple(choices)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Label(Content(self._title), id="picker-title")
            yield OptionList(
                *(Option(Content(label), id=key) for key, label in self._choices),
                id="picker-options",
            )
            yield Label(Content("↑↓ move · Enter choose · Esc close"), id="picker-help")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        keys = [key for key, _ in self._choices]
        if self._current in keys:
            options.highlighted = keys.index(self._current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
