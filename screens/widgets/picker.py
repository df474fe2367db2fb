"""A small modal list: pick one of a few labelled choices with the keyboard."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from frontdesk.views.changes import Change
from screens.widgets.live import DataChanged, LiveRefresh

Choices = Sequence[tuple[str, str]]
ChoiceLoader = Callable[[], Awaitable[Choices]]


class PickerModal(ModalScreen[str | None]):
    """Dismisses with the chosen option's id, or None on Esc.

    Pass `choices`, or a `loader` that fetches them: the modal opens at once (showing
    "Loading…") so keys typed right after the one that opened it land here, not on
    the screen underneath. Labels are shown literally (staff typed those names in).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="picker.cancel")
    ]

    def __init__(
        self,
        title: str,
        choices: Choices = (),
        *,
        current: str | None = None,
        loader: ChoiceLoader | None = None,
        live_tables: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(classes="picker")
        self._title = title
        self._choices = tuple(choices)
        self._current = current
        self._loader = loader
        # A loaded list someone else may change (open tickets): read again on a change
        # to these tables, the highlight staying on the same choice.
        self.live = LiveRefresh(self, self._changed, live_tables if loader else frozenset())

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Label(Content(self._title), id="picker-title")
            yield OptionList(id="picker-options")
            yield Label(Content("↑↓ move · Enter choose · Esc close"), id="picker-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        if self._loader is None:
            self._show(self._choices)
        else:
            self.query_one(OptionList).add_option(Option(Content("Loading…"), disabled=True))
            self._load(self._loader)

    @work(exclusive=True, group="picker", exit_on_error=False)
    async def _load(self, loader: ChoiceLoader) -> None:
        # The loader reports its own failures (and may fall back); an empty list closes.
        choices = await loader()
        if not choices:
            self.dismiss(None)
            return
        self._show(choices)

    def _show(self, choices: Choices) -> None:
        self._choices = tuple(choices)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(Content(label), id=key) for key, label in self._choices)
        keys = [key for key, _ in self._choices]
        options.highlighted = keys.index(self._current) if self._current in keys else 0

    def on_data_changed(self, message: DataChanged) -> None:
        self.live.changed(message.change)

    def on_screen_resume(self) -> None:
        self.live.shown()

    def _changed(self, _change: Change) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        if self._loader is None or highlighted is None or not self._choices:
            return  # still loading: that read is fresh
        self._current = options.get_option_at_index(highlighted).id
        self._load(self._loader)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None or event.option.disabled:
            return  # "Loading…": Enter pressed before the list arrived does nothing
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
