"""Membership plans: the store's plans in a table, to add, edit, and stop offering.

Reached from the command palette ("Membership plans: set up", F8). Anyone signed in may
read the plans; setting them up needs "setup": without it the keys that change plans are
not offered (footer and palette) and a line says why. The services are the check; this
only keeps the screen honest about it. N adds a plan, Enter (or E) edits the one under the
cursor in `PlanEditorModal`, X stops or starts offering it, I shows the inactive too,
Esc goes back. A change applies from each member's next cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Footer, Static

import styles
from frontdesk.domain.errors import DomainError, describe
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.permissions import Perm
from frontdesk.domain.plans import PlanMode
from frontdesk.services.desk import Desk
from frontdesk.views import ServiceView
from frontdesk.views.plans import PlanView
from screens.plan_editor import NEXT_CYCLE, PlanEditorModal
from screens.widgets import DeskScreen

STYLES_DIR = Path(styles.__file__).parent
# Fixed widths that fit 80 columns (a cell pads one each side).
CHANGES = frozenset({"new", "edit", "toggle_active"})
VIEW_ONLY = "Viewing only: setting plans up needs the “setup” permission."
COLUMNS = (("Plan", 18), ("Price", 16), ("Disc.", 6), ("Beauty Bank", 22), ("", 8))


def beauty_bank_cell(plan: PlanView, money: MoneyContext) -> str:
    if not plan.beauty_bank:
        return "off"
    if plan.mode is PlanMode.AUTO:
        return f"Auto {money.format(plan.credit)}"
    return f"Select {money.format(plan.cash_alternative)} or {plan.included_service_name}"


def plan_row(plan: PlanView, money: MoneyContext) -> tuple[Content, ...]:
    return (
        Content(plan.name),
        Content(f"{money.format(plan.price)} {plan.billing_cycle.value}"),
        Content(f"{plan.discount_percent.normalize():f}%"),
        Content(beauty_bank_cell(plan, money)),
        Content("" if plan.active else "inactive"),
    )


class PlansScreen(DeskScreen):
    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "plan_editor.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="plans.back"),
        Binding("n", "new", "New plan", id="plans.new"),
        Binding("e", "edit", "Edit", id="plans.edit"),
        Binding("x", "toggle_active", "On/off", id="plans.toggle", tooltip="Offer or stop"),
        Binding("i", "everyone", "Inactive", id="plans.everyone", tooltip="Show inactive"),
    ]

    def __init__(self, desk: Desk, *, clock: Callable[[], dt.datetime] = dt.datetime.now) -> None:
        super().__init__(classes="plans")
        self.desk = desk
        self.clock = clock
        self.money: MoneyContext | None = None
        self.services: tuple[ServiceView, ...] = ()
        self.plans: tuple[PlanView, ...] = ()
        self.everyone = False
        self.may_set_up = False  # until `desk.staff.mine()` says so

    def compose(self) -> ComposeResult:
        yield self.desk_header(self.clock)
        yield Static(Content(f"Membership plans · {NEXT_CYCLE}"), id="plans-title")
        yield DataTable(id="plans-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="plans-message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#plans-table", DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        table.loading = True
        self.load()

    @work(exclusive=True, group="plans-load", exit_on_error=False)
    async def load(self, focus_id: int | None = None) -> None:
        table = self.query_one("#plans-table", DataTable)
        try:
            self.money = (await self.desk.catalog.store()).money
            self.services = await self.desk.catalog.services()
            self.plans = await self.desk.plans.list(everyone=self.everyone)
            self.may_set_up = Perm.SETUP in await self.desk.staff.mine()
        except Exception as exc:
            self.set_message(f"Could not load the plans: {describe(exc)}")
            return
        finally:
            table.loading = False
        table.clear()
        for plan in self.plans:
            table.add_row(*plan_row(plan, self.money), key=str(plan.id))
        if focus_id is not None and any(p.id == focus_id for p in self.plans):
            table.move_cursor(row=table.get_row_index(str(focus_id)))
        table.focus()
        self.refresh_bindings()
        if not self.may_set_up:
            self.set_message(VIEW_ONLY)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.may_set_up or action not in CHANGES

    def set_message(self, message: str) -> None:
        self.query_one("#plans-message", Static).update(Content(message))

    @property
    def current(self) -> PlanView | None:
        table = self.query_one("#plans-table", DataTable)
        if not self.plans or table.cursor_row >= len(self.plans):
            return None
        return self.plans[table.cursor_row]

    def action_back(self) -> None:
        self.dismiss(None)

    def action_new(self) -> None:
        self._edit(None)

    def action_edit(self) -> None:
        if self.current is not None:
            self._edit(self.current)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on a row
        if self.may_set_up:
            self.action_edit()

    def action_everyone(self) -> None:
        self.everyone = not self.everyone
        self.load()

    def _edit(self, plan: PlanView | None) -> None:
        if self.money is None:
            return

        def saved(result: PlanView | None) -> None:
            if result is not None:
                self.set_message(f"Saved {result.name}. {NEXT_CYCLE}")
                self.load(result.id)

        self.app.push_screen(PlanEditorModal(self.desk, self.money, self.services, plan), saved)

    @work(exclusive=True, group="plans-toggle", exit_on_error=False)
    async def action_toggle_active(self) -> None:
        plan = self.current
        if plan is None:
            return
        try:
            changed = await self.desk.plans.set_active(plan.id, not plan.active)
        except DomainError as exc:
            self.set_message(str(exc))
            return
        except Exception as exc:
            self.set_message(f"Could not save: {describe(exc)}")
            return
        self.set_message(f"{changed.name} is {'offered' if changed.active else 'not offered'}.")
        self.load(changed.id)
