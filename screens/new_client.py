"""Add a client: first and last name, phone, email and date of birth (optional).

`NewClientScreen(desk, prefill, location_id=...)` dismisses with the new client's
`ClientHit`, or with an existing client's when a likely duplicate is opened instead, or
None on Esc. Whoever pushed it carries on as if that client had been chosen.

Saving checks every field first (each message under its field). Then, once for the
fields as typed, it asks for likely duplicates (same phone, same email, or same name
and date of birth): if there are any they are listed and focused, so Enter opens the
one already there; ctrl+s saves a new client anyway.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePath
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

import styles
from frontdesk.domain.errors import describe
from frontdesk.domain.new_client import FIELDS, NewClient, Prefill, new_client_problems
from frontdesk.services.desk import Desk
from frontdesk.views import ClientHit
from frontdesk.views.client_records import LikelyDuplicate

STYLES_DIR = Path(styles.__file__).parent
LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "phone": "Phone",
    "email": "Email",
    "birthday": "Born",
}
PLACEHOLDERS = {
    "first_name": "required",
    "last_name": "required",
    "phone": "optional, e.g. 07700 900123",
    "email": "optional, e.g. name@example.com",
    "birthday": "optional, DD/MM/YYYY",
}
KEYS = "Enter save · Tab next field · Esc cancel"
DUPLICATE_KEYS = "↓↑ choose · Enter open this client · ctrl+s save a new one anyway"


def duplicate_label(dup: LikelyDuplicate) -> str:
    hit = dup.hit
    extra = " · ".join(part for part in (hit.client_number, hit.phone, hit.email) if part)
    return f"{hit.name} · {extra} — {dup.why}"


class NewClientScreen(ModalScreen[ClientHit | None]):
    """A new client's details; likely duplicates shown before saving."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "new_client.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="new_client.cancel"),
        Binding("ctrl+s", "save(True)", "Save", id="new_client.save"),
    ]

    def __init__(
        self,
        desk: Desk,
        prefill: Prefill | None = None,
        *,
        location_id: int | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(classes="new-client")
        self.desk = desk
        self.prefill = prefill or Prefill()
        self.location_id = location_id
        self.today = today
        # The fields the duplicates were last looked up for: saving those again saves.
        self.checked: NewClient | None = None
        self.duplicates: tuple[LikelyDuplicate, ...] = ()
        self._saving = False

    def compose(self) -> ComposeResult:
        values = {
            "first_name": self.prefill.first_name,
            "last_name": self.prefill.last_name,
            "phone": self.prefill.phone,
            "email": self.prefill.email,
            "birthday": "",
        }
        with Vertical(classes="nc-dialog"):
            yield Static(Content("New client"), classes="nc-title")
            for name in FIELDS:
                with Horizontal(classes="nc-row"):
                    yield Static(Content(LABELS[name]), classes="nc-label")
                    yield Input(
                        values[name],
                        placeholder=PLACEHOLDERS[name],
                        id=f"nc-{name}",
                        classes="nc-field",
                        compact=True,
                        max_length=120,
                    )
                yield Static(classes=f"nc-error nc-error-{name}")
            yield Static(classes="nc-dup-title")
            yield OptionList(classes="nc-duplicates", compact=True)
            yield Static(classes="nc-message")
            yield Static(Content(KEYS), classes="nc-keys")

    def on_mount(self) -> None:
        self.query_one(".nc-duplicates", OptionList).display = False
        self.query_one(".nc-dup-title", Static).display = False
        # The first empty required field, else Phone: a name typed in the search is kept.
        first_empty = next(
            (n for n in ("first_name", "last_name") if not self.field(n).value), "phone"
        )
        self.field(first_empty).focus()

    def field(self, name: str) -> Input:
        return self.query_one(f"#nc-{name}", Input)

    # -- messages ----------------------------------------------------------------

    def set_error(self, name: str, message: str) -> None:
        note = self.query_one(f".nc-error-{name}", Static)
        note.update(Content(message))
        note.set_class(bool(message), "-shown")

    def show_message(self, message: str) -> None:
        note = self.query_one(".nc-message", Static)
        note.update(Content(message))
        note.set_class(bool(message), "-shown")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        name = (event.input.id or "").removeprefix("nc-")
        if name in FIELDS:
            self.set_error(name, "")

    # -- saving ------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save(False)

    def action_save(self, anyway: bool) -> None:
        if self._saving:
            return
        self.show_message("")
        values = {name: self.field(name).value for name in FIELDS}
        new, problems = new_client_problems(
            first_name=values["first_name"],
            last_name=values["last_name"],
            phone=values["phone"],
            email=values["email"],
            birthday=values["birthday"],
            today=self.today or dt.date.today(),
        )
        for name in FIELDS:
            self.set_error(name, problems.get(name, ""))
        if new is None:
            self.field(next(n for n in FIELDS if n in problems)).focus()
            return
        self._saving = True
        self.save(new, values, anyway=anyway or new == self.checked)

    @work(exclusive=True, group="new-client-save", exit_on_error=False)
    async def save(self, new: NewClient, values: dict[str, str], *, anyway: bool) -> None:
        try:
            if not anyway:
                duplicates = await self.desk.client_records.likely_duplicates(new)
                self.checked = new
                if duplicates:
                    self._show_duplicates(duplicates)
                    return
            hit = await self.desk.client_records.add(
                first_name=values["first_name"],
                last_name=values["last_name"],
                phone=values["phone"],
                email=values["email"],
                birthday=values["birthday"],
                home_location_id=self.location_id,
                today=self.today,
            )
        except Exception as exc:
            field = getattr(exc, "field", None)
            if field in FIELDS:
                self.set_error(str(field), describe(exc))
                self.field(str(field)).focus()
            else:
                self.show_message(f"Not saved: {describe(exc)}")
            return
        finally:
            self._saving = False
        self.dismiss(hit)

    def _show_duplicates(self, duplicates: tuple[LikelyDuplicate, ...]) -> None:
        self.duplicates = duplicates
        title = self.query_one(".nc-dup-title", Static)
        one = len(duplicates) == 1
        title.update(Content("Already a client?" if one else "Already a client? One of these:"))
        title.display = True
        shown = self.query_one(".nc-duplicates", OptionList)
        shown.clear_options()
        shown.add_options(Option(Content(duplicate_label(d)), id=str(d.hit.id)) for d in duplicates)
        shown.display = True
        shown.highlighted = 0
        shown.focus()
        self.query_one(".nc-keys", Static).update(Content(DUPLICATE_KEYS))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the client already there instead of adding another record."""
        event.stop()
        dup = next((d for d in self.duplicates if str(d.hit.id) == event.option.id), None)
        if dup is not None:
            self.dismiss(dup.hit)

    def action_cancel(self) -> None:
        self.dismiss(None)
