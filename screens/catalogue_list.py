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

from pathlib import PurePath
from typing import Any, ClassVar, Protocol, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from screens.setup_base import STYLES_DIR, SetupListScreen

VIEW_ONLY = "Viewing only: setting the catalogue up needs the “setup” permission."


class Row(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=Row)


class CatalogueListScreen(SetupListScreen[R]):
    """A catalogue list; subclasses fill in the kind's own parts."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [
        STYLES_DIR / "setup.tcss",
        STYLES_DIR / "catalogue.tcss",
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="catalogue.back"),
        Binding("n", "new", "New", id="catalogue.new", tooltip="Add one"),
        Binding("e", "edit", "Edit", id="catalogue.edit"),
        Binding("x", "switch", "On/off", id="catalogue.switch", tooltip="Offer or stop"),
        Binding("i", "everyone", "Inactive", id="catalogue.everyone", tooltip="Show inactive"),
    ]
    CHANGES = frozenset({"new", "edit", "switch"})
    VIEW_ONLY = VIEW_ONLY
    EDITS = True  # False: a list that only switches (prepaid offers)

    everyone = False

    # -- what a kind fills in (besides `fetch` and `cells`) ------------------------------

    def editor(self, row: R | None) -> ModalScreen[Any] | None:
        return None

    async def switch(self, row: R) -> tuple[R, str]:
        """Switch the row on or off; the changed row and what to say about it."""
        raise NotImplementedError

    def saved_text(self, row: R) -> str:
        return f"Saved {getattr(row, 'name', getattr(row, 'code', ''))}."

    # -- the list ------------------------------------------------------------------------

    def row_key(self, row: R) -> str:
        return str(row.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new", "edit") and not self.EDITS:
            return False
        return super().check_action(action, parameters)

    def open_row(self) -> None:
        if self.EDITS:
            self.action_edit()

    def action_new(self) -> None:
        self._edit(None)

    def action_edit(self) -> None:
        if self.current is not None:
            self._edit(self.current)

    def action_everyone(self) -> None:
        self.everyone = not self.everyone
        self.load()

    def _edit(self, row: R | None) -> None:
        modal = self.editor(row)
        if modal is not None:
            self.open_form(modal, self.reload)

    def reload(self, result: Any) -> None:
        self.set_message(self.saved_text(result))
        self.load(result.id)

    def action_switch(self) -> None:
        row = self.current
        if row is None:
            return

        async def switch() -> tuple[R, str]:
            return await self.switch(row)

        self.change(switch, lambda done: done[1], lambda done: self.load(done[0].id))
