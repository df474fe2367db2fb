"""The list half of every catalogue setup screen: a table of rows to add, edit, switch off.

Each kind (services, products, packages, promotion codes, prepaid offers) says what it
lists, how a row reads, which editor opens and what X switches; this class does the
rest the way the membership plans list does (screens/plans.py): it loads in a worker,
keeps the cursor on the row just saved, and without "setup" it offers no key that
changes anything (footer and palette) and says why. The services refuse anyway.
N adds, Enter (or E) edits, X switches the row on or off, I shows the inactive too,
Esc goes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

import styles
from frontdesk.domain.errors import DomainError, describe
from frontdesk.domain.permissions import Perm
from frontdesk.services.desk import Desk
from screens.widgets import DeskScreen

STYLES_DIR = Path(styles.__file__).parent
CHANGES = frozenset({"new", "edit", "switch"})
VIEW_ONLY = "Viewing only: setting the catalogue up needs the “setup” permission."
Clock = Callable[[], dt.datetime]


class Row(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=Row)


class CatalogueListScreen(DeskScreen, Generic[R]):
    """A catalogue list; subclasses fill in the kind's own parts."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "catalogue.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="catalogue.back"),
        Binding("n", "new", "New", id="catalogue.new", tooltip="Add one"),
        Binding("e", "edit", "Edit", id="catalogue.edit"),
        Binding("x", "switch", "On/off", id="catalogue.switch", tooltip="Offer or stop"),
        Binding("i", "everyone", "Inactive", id="catalogue.everyone", tooltip="Show inactive"),
    ]
    TITLE_TEXT = ""
    COLUMNS: ClassVar[Sequence[tuple[str, int]]] = ()
    EDITS = True  # False: a list that only switches (prepaid offers)
    VIEW_ONLY = VIEW_ONLY

    def __init__(self, desk: Desk, *, clock: Clock = dt.datetime.now) -> None:
        super().__init__(classes="catalogue")
        self.desk = desk
        self.clock = clock
        self.rows: tuple[R, ...] = ()
        self.everyone = False
        self.may_set_up = False  # until `desk.staff.mine()` says so

    # -- what a kind fills in ----------------------------------------------------------

    async def fetch(self) -> tuple[R, ...]:
        raise NotImplementedError

    def cells(self, row: R) -> Sequence[str]:
        raise NotImplementedError

    def editor(self, row: R | None) -> ModalScreen[Any] | None:
        return None

    async def switch(self, row: R) -> tuple[R, str]:
        """Switch the row on or off; the changed row and what to say about it."""
        raise NotImplementedError

    def hint(self) -> str:
        """A line under the title (what the list means for the desk)."""
        return ""

    # -- the list ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield self.desk_header(self.clock)
        yield Static(Content(self.TITLE_TEXT), id="catalogue-title")
        yield DataTable(id="catalogue-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="catalogue-message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#catalogue-table", DataTable)
        for label, width in self.COLUMNS:
            table.add_column(label, width=width)
        table.loading = True
        self.load()

    @work(exclusive=True, group="catalogue-load", exit_on_error=False)
    async def load(self, focus_id: int | None = None) -> None:
        table = self.query_one("#catalogue-table", DataTable)
        try:
            self.rows = await self.fetch()
            self.may_set_up = Perm.SETUP in await self.desk.staff.mine()
        except Exception as exc:
            self.set_message(f"Could not load: {describe(exc)}")
            return
        finally:
            table.loading = False
        table.clear()
        for row in self.rows:
            table.add_row(*(Content(c) for c in self.cells(row)), key=str(row.id))
        if focus_id is not None and any(r.id == focus_id for r in self.rows):
            table.move_cursor(row=table.get_row_index(str(focus_id)))
        table.focus()
        self.refresh_bindings()
        if not self.may_set_up:
            self.set_message(self.VIEW_ONLY)
        elif not self.message_text():
            self.set_message(self.hint())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new", "edit") and not self.EDITS:
            return False
        return self.may_set_up or action not in CHANGES

    def set_message(self, message: str) -> None:
        self.query_one("#catalogue-message", Static).update(Content(message))

    def message_text(self) -> str:
        return str(self.query_one("#catalogue-message", Static).render())

    @property
    def current(self) -> R | None:
        table = self.query_one("#catalogue-table", DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_back(self) -> None:
        self.dismiss(None)

    def action_new(self) -> None:
        self._edit(None)

    def action_edit(self) -> None:
        if self.current is not None:
            self._edit(self.current)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on a row
        if self.may_set_up and self.EDITS:
            self.action_edit()

    def action_everyone(self) -> None:
        self.everyone = not self.everyone
        self.load()

    def _edit(self, row: R | None) -> None:
        modal = self.editor(row)
        if modal is None:
            return

        def saved(result: Any) -> None:
            if result is not None:
                self.set_message(self.saved_text(result))
                self.load(result.id)

        self.app.push_screen(modal, saved)

    def saved_text(self, row: R) -> str:
        return f"Saved {getattr(row, 'name', getattr(row, 'code', ''))}."

    @work(exclusive=True, group="catalogue-switch", exit_on_error=False)
    async def action_switch(self) -> None:
        row = self.current
        if row is None:
            return
        try:
            changed, said = await self.switch(row)
        except DomainError as exc:
            self.set_message(str(exc))
            return
        except Exception as exc:
            self.set_message(f"Could not save: {describe(exc)}")
            return
        self.set_message(said)
        self.load(changed.id)
