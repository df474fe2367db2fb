"""The form pieces the profile's tabs and the till share: a field's error line, a message
line, the tick boxes, and the small `FormModal` that asks for a few fields, runs one use
case and shows a refusal under the field it names. Everything a client or staff member
typed is shown through `Content` (literal text), never as markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, ClassVar, Generic, Literal, TypeVar

from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, Static, TextArea

import styles
from frontdesk.domain.errors import DomainError, describe

TABS_CSS = Path(styles.__file__).parent / "profile_tabs.tcss"


# --- shared helpers --------------------------------------------------------------------


def show_line(line: Static, text: str, *, error: bool = False) -> None:
    """Show `text` literally in a message line (hidden while empty)."""
    line.update(Content(text))
    line.set_class(bool(text), "-shown")
    line.set_class(error, "-error")


def show_field_error(root: DOMNode, prefix: str, name: str, message: str) -> bool:
    """Show `message` under the field `#{prefix}-{name}`; False if there is no such field."""
    try:
        line = root.query_one(f"#{prefix}-{name}-error", Static)
    except NoMatches:
        return False
    show_line(line, message, error=True)
    with suppress(NoMatches):
        root.query_one(f"#{prefix}-{name}").focus()
    return True


def enter_moves_on(screen: Screen[Any], event: events.Key, order: Sequence[str]) -> bool:
    """Enter in a field of `order` (ids, not the last) moves to the next at once: True
    when it did. The app asks this before it routes the key, so keys typed straight after
    Enter ("4 Enter 4444 Enter" in one burst) land in the next field, not this one (a
    widget's own `focus()` only takes effect after keys already queued). The field's
    value is not looked at: its last keys may still be on their way to it; the form's
    submit says what is missing."""
    focused = screen.focused
    if event.key != "enter" or not isinstance(focused, Input) or focused.id is None:
        return False
    if focused.id not in order:
        return False
    index = list(order).index(focused.id)
    if index == len(order) - 1:
        return False
    screen.set_focus(screen.query_one(f"#{order[index + 1]}", Input))
    return True


def clear_field_errors(root: DOMNode) -> None:
    for line in root.query(".field-error").results(Static):
        show_line(line, "")


def app_today(app: App[object]) -> dt.date:
    """The app's "today" (the front desk's fixed clock in tests), else the system's."""
    today = getattr(app, "today", None)
    if callable(today):
        value = today()
        if isinstance(value, dt.date):
            return value
    return dt.date.today()


def app_now(app: App[object]) -> dt.datetime | None:
    """The app's clock (`FrontdeskApp.clock`, fixed in tests), else None: the service's."""
    clock = getattr(app, "clock", None)
    if callable(clock):
        value = clock()
        if isinstance(value, dt.datetime):
            return value
    return None


class TickBox(Checkbox):
    """A checkbox whose glyph says its state (X or blank), not its colour alone."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button


class TickRadio(RadioButton):
    """A radio button whose glyph says its state (● or blank), not its colour alone."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button


# --- a small form modal ----------------------------------------------------------------

FieldKind = Literal["line", "text", "choice", "check"]
Values = dict[str, str | bool]
T = TypeVar("T")


@dataclass(frozen=True)
class FormField:
    """One field of a `FormModal`; `name` matches the service's `ValidationError.field`."""

    name: str
    label: str
    value: str | bool = ""
    kind: FieldKind = "line"
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (value, label)
    placeholder: str = ""
    password: bool = False  # a PIN: typed masked


class FormModal(ModalScreen[T | None], Generic[T]):
    """Ask for a few fields; ctrl+s (or Enter in a one-line field) saves, Esc cancels.

    This is the confirm step of one use case: `submit` (one service call) runs here so a
    `ValidationError` shows under its field and nothing typed is lost; the modal
    dismisses with what `submit` returned.
    """

    CSS_PATH: ClassVar[list[str | PurePath]] = [TABS_CSS]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Save", id="profile.form.save"),
        Binding("escape", "cancel", "Cancel", id="profile.form.cancel"),
    ]
    PREFIX = "form"

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        submit: Callable[[Values], Awaitable[T]],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(classes=f"tab-form {id}" if id else "tab-form")
        self._title = title
        self._fields = tuple(fields)
        self._submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(Content(self._title), id="form-heading")
            for f in self._fields:
                wid = f"{self.PREFIX}-{f.name}"
                if f.kind == "check":
                    yield TickBox(Content(f.label), bool(f.value), id=wid)
                else:
                    yield Label(Content(f.label), classes="form-label")
                if f.kind == "line":
                    yield Input(
                        str(f.value),
                        placeholder=f.placeholder,
                        compact=True,
                        password=f.password,
                        id=wid,
                    )
                elif f.kind == "text":
                    yield TextArea(str(f.value), compact=True, soft_wrap=True, id=wid)
                elif f.kind == "choice":
                    with RadioSet(id=wid):
                        for value, label in f.choices:
                            yield TickRadio(Content(label), value == f.value)
                yield Static(id=f"{wid}-error", classes="field-error")
            yield Static(id="form-error")
            yield Static(
                Content("ctrl+s save · Tab next field · Esc cancel"),
                id="form-help",
            )

    def on_mount(self) -> None:
        box = self.query_one("#form-box", Vertical)
        for area in box.query(TextArea).results(TextArea):
            area.show_line_numbers = False
        if self._fields:
            self.query_one(f"#{self.PREFIX}-{self._fields[0].name}").focus()

    def values(self) -> Values:
        out: Values = {}
        for f in self._fields:
            widget = self.query_one(f"#{self.PREFIX}-{f.name}")
            if isinstance(widget, Input):
                out[f.name] = widget.value
            elif isinstance(widget, TextArea):
                out[f.name] = widget.text
            elif isinstance(widget, Checkbox):
                out[f.name] = widget.value
            elif isinstance(widget, RadioSet):
                index = widget.pressed_index
                out[f.name] = f.choices[index][0] if 0 <= index < len(f.choices) else ""
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            self._clear(f"#{event.input.id}-error")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id:
            self._clear(f"#{event.text_area.id}-error")

    def _clear(self, selector: str) -> None:
        with suppress(NoMatches):
            show_line(self.query_one(selector, Static), "")

    def action_submit(self) -> None:
        self._save(self.values())

    @work(exclusive=True, group="profile-form", exit_on_error=False)
    async def _save(self, values: Values) -> None:
        clear_field_errors(self)
        form_error = self.query_one("#form-error", Static)
        show_line(form_error, "")
        try:
            result = await self._submit(values)
        except DomainError as exc:
            # A refusal that names a field (ValidationError, InsufficientBalance) goes
            # under it; anything else under the form.
            field = getattr(exc, "field", None)
            if not (field and show_field_error(self, self.PREFIX, field, str(exc))):
                show_line(form_error, str(exc), error=True)
            return
        except Exception as exc:
            show_line(form_error, describe(exc), error=True)
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
