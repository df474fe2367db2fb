"""Profile Details: name, phone, email, birthday and notes, saved with ctrl+s.

The form pieces it shares with the other tabs and the till are in `screens.widgets.form`.
Everything a client or staff member typed is shown through `Content` (literal text),
never as markup.
"""

from __future__ import annotations

from contextlib import suppress
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Input, Label, Static, TextArea

from frontdesk.domain.errors import DomainError, PermissionDenied, ValidationError, describe
from frontdesk.views import ClientSummary
from screens.profile_tabs.base import ProfileTab
from screens.widgets.form import (
    app_today,
    clear_field_errors,
    show_field_error,
    show_line,
)

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
    WRITES: ClassVar[frozenset[str]] = frozenset({"save"})
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
