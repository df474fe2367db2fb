"""Profile Details: name, phone, email, birthday and notes, saved with ctrl+s.

Also the form pieces the other tabs share (a field's error line, a message line, the
small `FormModal` that asks for a few fields and shows a `ValidationError` under the
field it names). Everything a client or staff member typed is shown through `Content`
(literal text), never as markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import ClassVar, Generic, Literal, TypeVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, Static, TextArea

import styles
from frontdesk.domain.errors import DomainError, PermissionDenied, ValidationError, describe
from frontdesk.views import ClientSummary
from screens.profile_tabs.base import ProfileTab
from screens.reason import no_blink_in_tests

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


def steady_cursor(root: Widget) -> None:
    """No blinking cursors under test (frames must not differ)."""
    for box in root.query(Input).results(Input):
        no_blink_in_tests(box)
    if root.app.is_headless:
        for area in root.query(TextArea).results(TextArea):
            area.cursor_blink = False


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
        super().__init__(id=id, classes="tab-form")
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
                    yield Input(str(f.value), placeholder=f.placeholder, compact=True, id=wid)
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
        for line in box.query(Input).results(Input):
            no_blink_in_tests(line)
        if self.app.is_headless:
            for area in box.query(TextArea).results(TextArea):
                area.cursor_blink = False
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


# --- the Details tab -------------------------------------------------------------------

DETAIL_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("first_name", "First name", ""),
    ("last_name", "Last name", ""),
    ("phone", "Phone", "e.g. 07700 900123"),
    ("email", "Email", "name@example.com"),
    ("birthday", "Birthday", "YYYY-MM-DD or DD/MM/YYYY"),
)


class DetailsTab(ProfileTab):
    """Edit the client's details; a travel member's are read-only here (the reason shows)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save details", id="profile.details.save"),
    ]
    PREFIX = "details"

    summary: ClientSummary | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="details-readonly", classes="tab-readonly")
        with VerticalScroll(id="details-form"):
            for name, label, placeholder in DETAIL_FIELDS:
                with Horizontal(classes="field-row"):
                    yield Label(Content(label), classes="field-label")
                    yield Input(placeholder=placeholder, compact=True, id=f"details-{name}")
                yield Static(id=f"details-{name}-error", classes="field-error")
            with Horizontal(classes="field-row -tight"):
                yield Label(Content("Notes"), classes="field-label")
            yield TextArea(compact=True, soft_wrap=True, id="details-notes")
            yield Static(id="details-notes-error", classes="field-error")
        yield Static(id="details-message", classes="tab-message")
        yield Static(Content("ctrl+s save · Tab next field"), classes="tab-help")

    def on_mount(self) -> None:
        self.query_one("#details-notes", TextArea).show_line_numbers = False
        steady_cursor(self)
        self._show_read_only()

    def _show_read_only(self) -> None:
        show_line(self.query_one("#details-readonly", Static), self.read_only_reason or "")
        for name, _, _ in DETAIL_FIELDS:
            self.query_one(f"#details-{name}", Input).disabled = self.read_only
        self.query_one("#details-notes", TextArea).disabled = self.read_only
        self.query_one(".tab-help", Static).display = not self.read_only

    def message(self, text: str, *, error: bool = False) -> None:
        show_line(self.query_one("#details-message", Static), text, error=error)

    async def load(self) -> None:
        try:
            summary = await self.desk.clients.summary(self.client_id)
        except Exception as exc:
            self.message(f"Could not load the details: {describe(exc)}", error=True)
            return
        self._fill(summary)

    def _fill(self, summary: ClientSummary) -> None:
        self.summary = summary
        values = {
            "first_name": summary.first_name,
            "last_name": summary.last_name,
            "phone": summary.phone,
            "email": summary.email,
            "birthday": summary.birthday.isoformat() if summary.birthday else "",
        }
        for name, value in values.items():
            self.query_one(f"#details-{name}", Input).value = value
        self.query_one("#details-notes", TextArea).text = summary.notes
        clear_field_errors(self)
        self._show_read_only()

    def values(self) -> dict[str, str]:
        out = {
            name: self.query_one(f"#details-{name}", Input).value for name, _, _ in DETAIL_FIELDS
        }
        out["notes"] = self.query_one("#details-notes", TextArea).text
        return out

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id:
            with suppress(NoMatches):
                show_line(self.query_one(f"#{event.input.id}-error", Static), "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter moves to the next field, as on a paper form; ctrl+s saves.
        event.stop()
        self.screen.focus_next()

    def action_save(self) -> None:
        if self.read_only_reason is not None:
            self.message(self.read_only_reason, error=True)
            return
        if self.summary is None:
            return
        self._save(self.values())

    @work(exclusive=True, group="profile-details-save", exit_on_error=False)
    async def _save(self, values: dict[str, str]) -> None:
        clear_field_errors(self)
        self.message("")
        try:
            summary = await self.desk.profile.update_details(
                self.client_id,
                current_location_id=self.location_id,
                today=app_today(self.app),
                **values,
            )
        except ValidationError as exc:
            if not show_field_error(self, self.PREFIX, exc.field, str(exc)):
                self.message(str(exc), error=True)
            return
        except PermissionDenied as exc:
            self.message(str(exc), error=True)
            return
        except DomainError as exc:
            self.message(str(exc), error=True)
            return
        except Exception as exc:
            self.message(f"Not saved: {describe(exc)}", error=True)
            return
        self._fill(summary)
        self.message("Details saved.")
        self.post_changed()
