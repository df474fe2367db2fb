"""The editor half of every catalogue setup screen: one modal, one save.

Each field has its own error line; what the rules refuse shows there as staff save (and
clears as they type), and nothing is written; a save the service refuses shows at its
field, or under the form when it is not about one field (a change made on another
terminal since, no permission). Ctrl+S saves, Enter moves to the next field (saves on the
last), Esc cancels. A kind fills in its fields (`fields`), how the form reads
(`read_form`), its rules (`field_errors`) and its service call (`submit`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any, ClassVar, Generic, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Static

import styles
from frontdesk.domain.errors import Conflict, DomainError, ValidationError, describe
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.parsing import parse_quantity
from frontdesk.services.desk import Desk
from screens.catalogue_lines import UnitsLines
from screens.widgets.form import TickBox

STYLES_DIR = Path(styles.__file__).parent
FormInput = TypeVar("FormInput")
Saved = TypeVar("Saved")


class CatalogueEditor(ModalScreen[Saved | None], Generic[FormInput, Saved]):
    """Add (`row=None`) or change one row; keyboard only, fits 80x24."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "catalogue.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="catalogue_editor.cancel"),
        Binding("ctrl+s", "save", "Save", id="catalogue_editor.save"),
    ]
    ERROR_FIELDS: ClassVar[tuple[str, ...]] = ()
    LAST_FIELD = ""  # Enter here saves

    def __init__(self, desk: Desk, money: MoneyContext, title: str) -> None:
        super().__init__(classes="catalogue-editor")
        self.desk = desk
        self.money = money
        self.title_text = title
        self._saving = False
        self.calls = 0  # service calls made (one per save)

    # -- what a kind fills in ----------------------------------------------------------

    def fields(self) -> ComposeResult:
        raise NotImplementedError
        yield  # a generator, for the type checker

    def read_form(self) -> tuple[FormInput, dict[str, str]]:
        raise NotImplementedError

    def field_errors(self, form: FormInput) -> dict[str, str]:
        raise NotImplementedError

    async def submit(self, form: FormInput) -> Saved:
        raise NotImplementedError

    async def reread(self) -> None:
        """After a stale refusal: read the row again, so the next Save is compared with
        what is saved now (and goes over it, knowingly)."""

    # -- layout helpers ------------------------------------------------------------------

    def row(self, label: str, *widgets: Widget, classes: str = "") -> Horizontal:
        return Horizontal(
            Static(Content(label), classes="cat-label"),
            *widgets,
            classes=f"cat-row {classes}".strip(),
        )

    def error_line(self, field: str, classes: str = "") -> Static:
        return Static(id=f"{field}-error", classes=f"field-error {classes}".strip())

    def text_field(
        self, field: str, label: str, value: str, *, placeholder: str = "", max_length: int = 0
    ) -> Iterable[Widget]:
        box = Input(value, placeholder=placeholder, id=field, compact=True, max_length=max_length)
        return (self.row(label, box), self.error_line(field))

    def amount_value(self, value: Decimal | None) -> str:
        return "" if value is None else self.money.for_input(value)

    def tick(self, field: str, label: str, value: bool, text: str = "On") -> Horizontal:
        return self.row(label, TickBox(text, value, id=field, compact=True))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="cat-dialog"):
            yield Static(Content(self.title_text), id="cat-title")
            yield from self.fields()
            yield Static(id="cat-message")
            yield Horizontal(
                Button("Save", id="cat-save", variant="primary", compact=True),
                Button("Cancel", id="cat-cancel", compact=True),
                id="cat-buttons",
            )
            yield Static(Content("Enter next · ^S save · Esc cancel"), id="cat-keys")

    def on_mount(self) -> None:
        # The first field in the form's order: at mount the focus chain is not laid out
        # yet, and `focus_next()` landed on a kind's RadioSet (the plan's mode).
        fields = self.query_one("#cat-dialog").query("*")
        first = next((w for w in fields if w.can_focus and not w.disabled), None)
        if first is not None:
            first.focus()

    # -- reading the form ------------------------------------------------------------------

    def text(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def ticked(self, field: str) -> bool:
        return self.query_one(f"#{field}", Checkbox).value

    def amount(self, field: str, errors: dict[str, str], *, zero: bool = True) -> Decimal:
        """An amount as typed; empty is zero (the rules say whether it may be)."""
        text = self.text(field)
        if not text.strip():
            return Decimal(0)
        try:
            return self.money.parse(text, field=field, allow_zero=zero)
        except ValidationError as exc:
            errors[field] = exc.message
            return Decimal(0)

    def whole(self, field: str, errors: dict[str, str]) -> int:
        """A whole number as typed (minutes, units); refused text reads as 0. Its range is
        the rules' to say ("A duration is 1 to 720 minutes"), not the parser's."""
        try:
            return parse_quantity(self.text(field), field=field)
        except ValidationError as exc:
            errors[field] = exc.message
            return 0

    # -- errors ----------------------------------------------------------------------------

    def error_of(self, field: str) -> str:
        box = self.query_one(f"#{field}-error", Static)
        return str(box.render()) if box.display else ""

    def message_text(self) -> str:
        box = self.query_one("#cat-message", Static)
        return str(box.render()) if box.display else ""

    def set_error(self, field: str, message: str) -> None:
        boxes = self.query(f"#{field}-error").results(Static) if field else iter(())
        box = next(boxes, None)
        if box is None:  # not a field of this form (or of this commission system)
            if message:
                self.set_message(message)
            return
        box.update(Content(message))
        box.display = bool(message)
        for widget in self.query(f"#{field}"):
            widget.set_class(bool(message), "-invalid")

    def set_message(self, message: str) -> None:
        box = self.query_one("#cat-message", Static)
        box.update(Content(message))
        box.display = bool(message)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.set_error(event.input.id or "", "")

    def on_units_lines_said(self, event: UnitsLines.Said) -> None:
        event.stop()
        self.set_error(event.lines.id or "", event.message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == self.LAST_FIELD:
            self.action_save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("cat-save", "cat-cancel"):
            event.stop()
            if event.button.id == "cat-save":
                self.action_save()
            else:
                self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    # -- save ----------------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving:
            return
        form, errors = self.read_form()
        errors = self.field_errors(form) | errors
        for field in self.ERROR_FIELDS:
            self.set_error(field, errors.get(field, ""))
        if errors:
            first = next((f for f in self.ERROR_FIELDS if f in errors), None)
            if first is None:
                self.set_message(next(iter(errors.values())))
            else:
                self._focus_field(first)
            return
        self.set_message("")
        self._saving = True
        self.save(form)

    def _focus_field(self, field: str) -> None:
        """The field itself, or its first focusable part (a product picker in lines)."""
        for widget in self.query(f"#{field}"):
            parts = [widget, *widget.query("*")]
            focusable = next((w for w in parts if w.can_focus), None)
            if focusable is not None:
                focusable.focus()
                return

    @work(exclusive=True, group="catalogue-save", exit_on_error=False)
    async def save(self, form: Any) -> None:
        self.query_one("#cat-save", Button).disabled = True
        self.calls += 1
        try:
            saved = await self.submit(form)
        except ValidationError as exc:
            self._failed(exc.field, exc.message)
            return
        except Conflict as exc:  # changed elsewhere: the next Save knowingly goes over it
            self._failed("", str(exc))
            try:
                await self.reread()
            except Exception as reread:
                self.log.error("re-reading the row failed", reread)
            return
        except DomainError as exc:  # no permission: under the form
            self._failed("", str(exc))
            return
        except Exception as exc:  # shown, never a traceback on screen
            self.log.error("saving failed", exc)
            self._failed("", f"Could not save: {describe(exc)}")
            return
        self.dismiss(saved)

    def _failed(self, field: str, message: str) -> None:
        self._saving = False
        self.query_one("#cat-save", Button).disabled = False
        self.set_error(field, message)
