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
from collections.abc import Awaitable, Callable
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual import work
from textual.content import Content
from textual.widgets import DataTable, Static

import styles
from frontdesk.domain.errors import DomainError, describe
from frontdesk.domain.permissions import Perm
from frontdesk.services.desk import Desk
from screens.widgets import DeskScreen
from screens.widgets.form import FormModal

STYLES_DIR = Path(styles.__file__).parent
Clock = Callable[[], dt.datetime]


def view_only(permission: Perm) -> str:
    return f"Viewing only: changing this needs the “{permission.value}” permission."


class SetupScreen(DeskScreen):
    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "setup.tcss"]
    PERMISSION: ClassVar[Perm] = Perm.SETUP
    CHANGES: ClassVar[frozenset[str]] = frozenset()

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
            self.set_message(view_only(self.PERMISSION))

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

    def open_form(self, form: FormModal[Any], saved: Callable[[Any], None]) -> None:
        def done(result: object) -> None:
            if result is not None:
                saved(result)

        self.app.push_screen(form, done)

    @work(exclusive=True, group="setup-change", exit_on_error=False)
    async def change(self, call: Callable[[], Awaitable[Any]], said: Callable[[Any], str]) -> None:
        """One change straight from the list; its refusal (or result) on the message line."""
        try:
            result = await call()
        except DomainError as exc:
            self.set_message(str(exc))
            return
        except Exception as exc:
            self.set_message(f"Could not save: {describe(exc)}")
            return
        self.set_message(said(result))
        self.reload(result)

    def reload(self, result: Any) -> None:
        """Load again after a change (the cursor on what changed)."""
