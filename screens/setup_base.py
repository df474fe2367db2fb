"""What the setup screens share: a title, a table or text, a message line, a load in a
worker, and the keys that change things offered only to who may (issue 16, item 1).

Anyone signed in may look. The keys in `CHANGES` are not offered (footer and palette)
without `PERMISSION`, and the message line says why; the services are the check, this
only keeps the screen honest about it. Each change runs in a `FormModal` (one use case,
its refusals under the field they name) or straight from the list (a status toggle),
and the screen reloads with the cursor on the row it changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path, PurePath
from typing import Any, ClassVar, Generic, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

import styles
from frontdesk.domain.errors import DomainError, describe
from frontdesk.domain.permissions import Perm
from frontdesk.services.desk import Desk
from screens.widgets import DeskScreen
from screens.widgets.footer import SteadyFooter

STYLES_DIR = Path(styles.__file__).parent
Clock = Callable[[], dt.datetime]


def view_only(permission: Perm) -> str:
    return f"Viewing only: changing this needs the “{permission.value}” permission."


class SetupScreen(DeskScreen):
    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "setup.tcss"]
    PERMISSION: ClassVar[Perm] = Perm.SETUP
    CHANGES: ClassVar[frozenset[str]] = frozenset()
    VIEW_ONLY: ClassVar[str] = ""  # what the message line says without PERMISSION

    def __init__(self, desk: Desk, *, clock: Clock = dt.datetime.now, classes: str = "") -> None:
        super().__init__(classes=f"setup {classes}".strip())
        self.desk = desk
        self.clock = clock
        self.may_change = False  # until `desk.staff.mine()` says so
        self.mine: frozenset[Perm] = frozenset()

    async def learn_permission(self) -> None:
        self.mine = await self.desk.staff.mine()
        self.may_change = self.PERMISSION in self.mine
        self.refresh_bindings()
        if not self.may_change:
            self.set_message(self.VIEW_ONLY or view_only(self.PERMISSION))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.may_change or action not in self.CHANGES

    def set_message(self, message: str) -> None:
        self.query_one(".setup-message", Static).update(Content(message))

    def message_text(self) -> str:
        return str(self.query_one(".setup-message", Static).render())

    def table(self) -> DataTable[Any]:
        return self.query_one(".setup-table", DataTable)

    def cursor_to(self, key: str | None) -> None:
        table = self.table()
        if key is not None and key in table.rows:
            table.move_cursor(row=table.get_row_index(key))

    def action_back(self) -> None:
        self.dismiss(None)

    def open_form(self, form: ModalScreen[Any], saved: Callable[[Any], None]) -> None:
        def done(result: object) -> None:
            if result is not None:
                saved(result)

        self.app.push_screen(form, done)

    @work(exclusive=True, group="setup-change", exit_on_error=False)
    async def change(
        self,
        call: Callable[[], Awaitable[Any]],
        said: Callable[[Any], str],
        then: Callable[[Any], None] | None = None,
    ) -> None:
        """One change straight from the list; its refusal (or result) on the message line,
        then `then(result)` (by default `reload`)."""
        try:
            result = await call()
        except DomainError as exc:
            self.set_message(str(exc))
            return
        except Exception as exc:
            self.set_message(f"Could not save: {describe(exc)}")
            return
        self.set_message(said(result))
        (then or self.reload)(result)

    def reload(self, result: Any) -> None:
        """Load again after a change (the cursor on what changed)."""


R = TypeVar("R")


class SetupListScreen(SetupScreen, Generic[R]):
    """A setup list: a title, a table of rows loaded in a worker, the message line.
    A kind fills in what it lists (`fetch`), how a row reads (`cells`) and what Enter
    does (`open_row`); the cursor comes back to the row just changed."""

    TITLE_TEXT: ClassVar[str] = ""
    COLUMNS: ClassVar[Sequence[tuple[str, int]]] = ()
    FIRST_MESSAGE: ClassVar[str] = ""  # under the table until something is said

    rows: tuple[R, ...] = ()

    async def fetch(self) -> tuple[R, ...]:
        raise NotImplementedError

    def cells(self, row: R) -> Sequence[str]:
        raise NotImplementedError

    def row_key(self, row: R) -> str:
        """The table's key for `row`: what `load(focus=...)` puts the cursor back on."""
        raise NotImplementedError

    def open_row(self) -> None:
        """Enter on a row (offered only to who may change)."""

    def hint(self) -> str:
        """Said once loaded, when nothing else has been (what the list means)."""
        return ""

    def compose(self) -> ComposeResult:
        yield self.desk_header(self.clock)
        yield Static(Content(self.TITLE_TEXT), classes="setup-title")
        yield DataTable(classes="setup-table", cursor_type="row", zebra_stripes=True)
        yield Static(Content(self.FIRST_MESSAGE), classes="setup-message")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        table = self.table()
        for label, width in self.COLUMNS:
            table.add_column(label, width=width)
        table.loading = True
        self.load()

    @work(exclusive=True, group="setup-load", exit_on_error=False)
    async def load(self, focus: int | str | None = None) -> None:
        table = self.table()
        try:
            self.rows = await self.fetch()
            await self.learn_permission()
        except Exception as exc:
            self.set_message(f"Could not load: {describe(exc)}")
            return
        finally:
            table.loading = False
        table.clear()
        for row in self.rows:
            table.add_row(*(Content(c) for c in self.cells(row)), key=self.row_key(row))
        self.cursor_to(None if focus is None else str(focus))
        table.focus()
        if self.may_change and not self.message_text():
            self.set_message(self.hint())

    @property
    def current(self) -> R | None:
        row = self.table().cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.may_change:
            self.open_row()
