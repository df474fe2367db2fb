"""Membership plans: the store's plans in a table, to add, edit, and stop offering.

Reached from the command palette ("Membership plans: set up", F8). Anyone signed in may
read the plans; setting them up needs "setup": without it the keys that change plans are
not offered (footer and palette) and a line says why. The services are the check; this
only keeps the screen honest about it. N adds a plan, Enter (or E) edits the one under the
cursor in `PlanEditorModal`, X stops or starts offering it, I shows the inactive too,
Esc goes back. A change applies from each member's next cycle.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.screen import ModalScreen

from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.plans import PlanMode
from frontdesk.views import ServiceView
from frontdesk.views.plans import PlanView
from screens.catalogue_list import CatalogueListScreen
from screens.plan_editor import NEXT_CYCLE, PlanEditorModal

VIEW_ONLY = "Viewing only: setting plans up needs the “setup” permission."


def beauty_bank_cell(plan: PlanView, money: MoneyContext) -> str:
    if not plan.beauty_bank:
        return "off"
    if plan.mode is PlanMode.AUTO:
        return f"Auto {money.format(plan.credit)}"
    return f"Select {money.format(plan.cash_alternative)} or {plan.included_service_name}"


def plan_cells(plan: PlanView, money: MoneyContext) -> tuple[str, ...]:
    return (
        plan.name,
        f"{money.format(plan.price)} {plan.billing_cycle.value}",
        f"{plan.discount_percent.normalize():f}%",
        beauty_bank_cell(plan, money),
        "" if plan.active else "inactive",
    )


class PlansScreen(CatalogueListScreen[PlanView]):
    """The plans list: the catalogue lists' keys and loading, a plan's own cells and
    editor; a change applies from each member's next cycle, so every save says so."""

    TITLE_TEXT = f"Membership plans · {NEXT_CYCLE}"
    # Fixed widths that fit 80 columns (a cell pads one each side).
    COLUMNS = (("Plan", 18), ("Price", 16), ("Disc.", 6), ("Beauty Bank", 22), ("", 8))
    VIEW_ONLY = VIEW_ONLY

    money: MoneyContext | None = None
    services: tuple[ServiceView, ...] = ()

    async def fetch(self) -> tuple[PlanView, ...]:
        self.money = (await self.desk.catalog.store()).money
        self.services = await self.desk.catalog.services()
        return await self.desk.plans.list(everyone=self.everyone)

    def cells(self, row: PlanView) -> Sequence[str]:
        assert self.money is not None
        return plan_cells(row, self.money)

    def editor(self, row: PlanView | None) -> ModalScreen[PlanView | None] | None:
        if self.money is None:
            return None
        return PlanEditorModal(self.desk, self.money, self.services, row)

    def saved_text(self, row: PlanView) -> str:
        return f"Saved {row.name}. {NEXT_CYCLE}"

    async def switch(self, row: PlanView) -> tuple[PlanView, str]:
        changed = await self.desk.plans.set_active(row.id, not row.active)
        return changed, f"{changed.name} is {'offered' if changed.active else 'not offered'}."
