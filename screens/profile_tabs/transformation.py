"""Transformation Log: dated notes on the client's progress; `n`/`+` add, `e` edit.

Viewing, adding and editing need the "edit transformation log" permission: when the
service refuses the load, the tab says so instead of showing data, and its keys say the
service's refusal when pressed. `GatedListTab` is shared with the Goals tab, which has
the same rule.
"""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Static

from frontdesk.domain.errors import PermissionDenied, describe
from frontdesk.domain.permissions import Perm
from frontdesk.views import View
from frontdesk.views.profile import TransformationEntryView
from screens.profile_tabs.activity import cell, day
from screens.profile_tabs.base import ProfileTab
from screens.widgets.form import FormField, FormModal, Values, app_today, show_line


def denied_text(what: str) -> str:
    permission = Perm.EDIT_TRANSFORMATION_LOG.value
    return f"You need the “{permission}” permission to view this client's {what}."


Row = TypeVar("Row", bound=View)


class GatedListTab(ProfileTab, Generic[Row]):
    """A list only staff with the transformation-log permission may see or change.

    Subclasses bind their keys to `add` and `edit` (with their own binding ids).
    """

    NAME = "gated"  # id prefix
    WHAT = "records"  # "…to view this client's {WHAT}."
    EMPTY = "Nothing here yet. Press n to add."
    HELP = "n add · e edit the selected row"

    rows: tuple[Row, ...] = ()
    denied = False
    refusal = ""  # the service's words, said again when a key is pressed

    def compose(self) -> ComposeResult:
        yield Static(id=f"{self.NAME}-status", classes="tab-status")
        yield DataTable(id=f"{self.NAME}-table", cursor_type="row", zebra_stripes=True)
        yield Static(Content(self.EMPTY), id=f"{self.NAME}-empty", classes="tab-empty")
        yield Static(
            Content(denied_text(self.WHAT)), id=f"{self.NAME}-denied", classes="tab-denied"
        )
        yield Static(id=f"{self.NAME}-detail", classes="tab-detail")
        yield Static(id=f"{self.NAME}-message", classes="tab-message")
        yield Static(Content(self.HELP), id=f"{self.NAME}-help", classes="tab-help")

    def on_mount(self) -> None:
        self.add_columns(self.query_one(DataTable))
        # With the table hidden, the refusal takes the focus, so n and e can say why.
        self.query_one(f"#{self.NAME}-denied", Static).can_focus = True

    # -- to fill in ----------------------------------------------------------------

    def add_columns(self, table: DataTable[object]) -> None:
        raise NotImplementedError

    def cells(self, row: Row) -> tuple[object, ...]:
        raise NotImplementedError

    def row_id(self, row: Row) -> int:
        return int(getattr(row, "id"))  # noqa: B009 - every read model here has one

    def detail(self, row: Row) -> str:
        return ""

    async def fetch(self) -> tuple[Row, ...]:
        raise NotImplementedError

    def form(self, row: Row | None) -> FormModal[Row]:
        """The form for a new row (`row` None) or changes to `row`; the form saves it."""
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------

    def message(self, text: str, *, error: bool = False) -> None:
        show_line(self.query_one(f"#{self.NAME}-message", Static), text, error=error)

    async def load(self) -> None:
        try:
            rows = await self.fetch()
        except PermissionDenied as exc:
            self._deny(exc)
            return
        except Exception as exc:
            self.message(f"Could not load the {self.WHAT}: {describe(exc)}", error=True)
            return
        self.denied = False
        self.query_one(f"#{self.NAME}-denied", Static).set_class(False, "-shown")
        self.query_one(f"#{self.NAME}-help", Static).display = True
        self._show(rows)

    def _deny(self, exc: PermissionDenied) -> None:
        self.denied, self.refusal = True, str(exc)
        self.rows = ()
        table = self.query_one(DataTable)
        table.clear()
        table.display = False
        self.query_one(f"#{self.NAME}-empty", Static).set_class(False, "-shown")
        self.query_one(f"#{self.NAME}-denied", Static).set_class(True, "-shown")
        self.query_one(f"#{self.NAME}-status", Static).update("")
        self.query_one(f"#{self.NAME}-detail", Static).display = False
        self.query_one(f"#{self.NAME}-help", Static).display = False
        self.refresh_bindings()

    def _show(self, rows: tuple[Row, ...], focus_id: int | None = None) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in rows:
            table.add_row(*self.cells(row), key=str(self.row_id(row)))
        if rows:
            ids = [self.row_id(r) for r in rows]
            target = ids.index(focus_id) if focus_id in ids else cursor
            table.move_cursor(row=min(max(target, 0), len(rows) - 1))
        table.display = True
        table.set_class(not rows, "-empty")  # stays focusable: `n` works when empty
        self.query_one(f"#{self.NAME}-empty", Static).set_class(not rows, "-shown")
        count = len(rows)
        self.query_one(f"#{self.NAME}-status", Static).update(
            Content(f"{count} {self.WHAT if count != 1 else self.WHAT.rstrip('s')}" if rows else "")
        )
        self._show_detail(self.selected())
        self.refresh_bindings()

    def _show_detail(self, row: Row | None) -> None:
        line = self.query_one(f"#{self.NAME}-detail", Static)
        text = self.detail(row) if row is not None else ""
        line.update(Content(text))
        line.display = bool(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value
        self._show_detail(next((r for r in self.rows if str(self.row_id(r)) == key), None))

    def selected(self) -> Row | None:
        table = self.query_one(DataTable)
        if not self.rows or not table.display:
            return None
        return self.rows[min(max(table.cursor_row, 0), len(self.rows) - 1)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Not offered to someone without the permission (refusal_of says so if pressed).
        if not super().check_action(action, parameters):
            return False
        if action == "edit":
            return self.selected() is not None
        return True

    def refusal_of(self, action: str) -> str | None:
        if action in ("add", "edit") and self.denied:  # the service said so
            return self.refusal
        return super().refusal_of(action)

    def _refused(self) -> bool:
        if self.denied:
            self.app.notify(self.refusal, title="Not allowed", severity="warning")
        return self.denied

    def action_add(self) -> None:
        if not self._refused():
            self._open_form(None)

    def action_edit(self) -> None:
        row = self.selected()
        if not self._refused() and row is not None:
            self._open_form(row)

    def _open_form(self, row: Row | None) -> None:
        def done(saved: Row | None) -> None:
            if saved is not None:
                self._saved(saved, "Saved." if row is not None else "Added.")

        self.app.push_screen(self.form(row), done)

    @work(exclusive=True, group="profile-gated-write", exit_on_error=False)
    async def _saved(self, saved: Row, note: str) -> None:
        self.message(note)
        try:
            rows = await self.fetch()
        except PermissionDenied as exc:
            self._deny(exc)
            return
        except Exception as exc:
            self.message(f"Could not reload the {self.WHAT}: {describe(exc)}", error=True)
            return
        self._show(rows, focus_id=self.row_id(saved))
        self.query_one(DataTable).focus()
        self.post_changed()


class TransformationTab(GatedListTab[TransformationEntryView]):
    """Dated progress notes, newest date first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,plus", "add", "Add entry", id="profile.transformation.add"),
        Binding("e", "edit", "Edit entry", id="profile.transformation.edit"),
    ]
    NAME = "transformation"
    WHAT = "transformation log"
    EMPTY = "No transformation log entries yet. Press n to add one."
    HELP = "n / + add an entry · e edit the selected entry"

    def _show(self, rows: tuple[TransformationEntryView, ...], focus_id: int | None = None) -> None:
        super()._show(rows, focus_id)
        count = len(rows)
        self.query_one("#transformation-status", Static).update(
            Content(f"{count} entr{'y' if count == 1 else 'ies'} · newest first" if rows else "")
        )

    def add_columns(self, table: DataTable[object]) -> None:
        table.add_column("Date", width=11, key="date")
        table.add_column("Note", width=46, key="note")
        table.add_column("By", width=12, key="staff")

    def cells(self, row: TransformationEntryView) -> tuple[object, ...]:
        return (cell(day(row.entry_date)), cell(row.note), cell(row.staff_name or "—"))

    def detail(self, row: TransformationEntryView) -> str:
        return " ".join(row.note.split())

    async def fetch(self) -> tuple[TransformationEntryView, ...]:
        return await self.desk.profile.transformation_log(self.client_id)

    def form(self, row: TransformationEntryView | None) -> FormModal[TransformationEntryView]:
        fields = [
            FormField(
                "entry_date",
                "Date (YYYY-MM-DD or DD/MM/YYYY)",
                (row.entry_date if row else app_today(self.app)).isoformat(),
            ),
            FormField("note", "Note", row.note if row else "", kind="text"),
        ]

        async def submit(values: Values) -> TransformationEntryView:
            entry_date, note = str(values["entry_date"]), str(values["note"])
            if row is None:
                return await self.desk.profile.add_transformation_entry(
                    self.client_id, entry_date, note
                )
            return await self.desk.profile.edit_transformation_entry(
                row.id, entry_date=entry_date, note=note
            )

        title = "Edit transformation log entry" if row else "Add a transformation log entry"
        return FormModal(title, fields, submit, id="transformation-form")
