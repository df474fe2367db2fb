"""The membership plan editor: one modal, one save (issue 16, item 1; seed 003).

`PlanEditorModal(desk, money, services, plan=None)`: Name, Price and billing cycle,
Member discount %, the Beauty Bank toggle, and its mode:

* **Auto — always bank as cash** shows the *Credit amount* field;
* **Select — patient chooses each cycle** shows the *Cash alternative value* and the
  *Included treatment* (a picker of the store's services).

Seed 003's common mistakes (a credit under a third of the fee, Select mode's monthly
choice, a credit at or above the fee, amounts on a plan whose Beauty Bank is off) show
under the form while you type, and never stop a save; what the rules refuse shows at its
field and nothing is written. The credit is what was typed, never worked out from the
fee. Save (Ctrl+S, or Enter on the last field) writes once and dismisses with the saved
`PlanView`; Esc dismisses with None. A change applies from each membership's next cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import PurePath
from typing import ClassVar

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Select, Static

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.plans import (
    AUTO_LABEL,
    SELECT_LABEL,
    BillingCycle,
    PlanInput,
    PlanMode,
    parse_percent,
    plan_field_errors,
    plan_warnings,
)
from frontdesk.services.desk import Desk
from frontdesk.views import ServiceView
from frontdesk.views.plans import PlanView
from screens.catalogue_editor import STYLES_DIR, CatalogueEditor
from screens.widgets.form import TickBox, TickRadio

NEXT_CYCLE = "A change applies from each member's next cycle."
AMOUNT_FIELDS = ("price", "credit", "cash_alternative")
TEXT_FIELDS = ("name", *AMOUNT_FIELDS, "discount_percent")
ERROR_FIELDS = (*TEXT_FIELDS, "included_service")
SELECT_FIELDS = ("cash_alternative", "included_service")


class PlanEditorModal(CatalogueEditor[PlanInput, PlanView]):
    """Add a plan (``plan=None``) or change one; keyboard only, fits 80x24. The save, the
    error lines and the keys are the catalogue editor's; the mode switch and the live
    warnings are the plan's own."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [
        *CatalogueEditor.CSS_PATH,
        STYLES_DIR / "plan_editor.tcss",
    ]
    ERROR_FIELDS: ClassVar[tuple[str, ...]] = ERROR_FIELDS
    LAST_FIELD = "credit"  # the last field in Auto mode

    def __init__(
        self,
        desk: Desk,
        money: MoneyContext,
        services: Sequence[ServiceView],
        plan: PlanView | None = None,
    ) -> None:
        title = "New membership plan" if plan is None else f"Edit plan: {plan.name}"
        super().__init__(desk, money, title)
        self.add_class("plan-editor")
        self.services = tuple(services)
        self.plan = plan

    # -- layout ------------------------------------------------------------------

    def _amount(self, field: str, value: Decimal | None) -> Input:
        return Input(
            self.amount_value(value),
            placeholder=f"e.g. {self.money.for_input(Decimal(50))}",
            id=field,
            compact=True,
            max_length=20,
        )

    def fields(self) -> ComposeResult:
        plan = self.plan.as_input() if self.plan is not None else None
        yield from self._fee_fields(plan)
        yield from self._bank_fields(plan)
        yield Static(id="plan-warnings")
        yield Static(Content(NEXT_CYCLE), id="plan-next-cycle")

    def _fee_fields(self, plan: PlanInput | None) -> ComposeResult:
        """Name, Price every cycle, Member discount %, each with its error line."""
        yield from self.text_field("name", "Name", plan.name if plan else "")
        cycle = Select[str](
            ((c.label, c.value) for c in BillingCycle),
            value=(plan.billing_cycle if plan else BillingCycle.MONTHLY).value,
            allow_blank=False,
            id="billing_cycle",
            compact=True,
        )
        yield self.row(
            "Price",
            self._amount("price", plan.price if plan else None),
            Static(Content(" every "), classes="plan-between"),
            cycle,
        )
        yield self.error_line("price")
        discount = f"{plan.discount_percent.normalize():f}" if plan else ""
        yield from self.text_field(
            "discount_percent", "Member discount %", discount, placeholder="e.g. 15"
        )

    def _bank_fields(self, plan: PlanInput | None) -> ComposeResult:
        """The Beauty Bank toggle, the mode switch and each mode's own fields."""
        auto = plan is None or plan.mode is PlanMode.AUTO
        yield self.row(
            "Beauty Bank",
            TickBox("On", plan.beauty_bank if plan else True, id="beauty_bank", compact=True),
        )
        yield RadioSet(
            TickRadio(AUTO_LABEL, value=auto, id="mode-auto"),
            TickRadio(SELECT_LABEL, value=not auto, id="mode-select"),
            id="mode",
            compact=True,
        )
        credit = plan.credit if plan and plan.credit else None
        yield self.row("Credit amount", self._amount("credit", credit), classes="auto-only")
        yield self.error_line("credit", "auto-only")
        cash = plan.cash_alternative if plan and plan.cash_alternative else None
        yield self.row(
            "Cash alternative", self._amount("cash_alternative", cash), classes="select-only"
        )
        yield self.error_line("cash_alternative", "select-only")
        offered = {s.id for s in self.services}
        treatment = Select[int](
            ((Content(s.name), s.id) for s in self.services),
            prompt="Choose the included treatment",
            value=plan.included_service_id
            if plan and plan.included_service_id in offered
            else Select.NULL,
            id="included_service",
            compact=True,
        )
        yield self.row("Included treatment", treatment, classes="select-only")
        yield self.error_line("included_service", "select-only")

    def on_mount(self) -> None:
        self._show_mode()
        self._refresh_warnings()

    # -- what the form holds -----------------------------------------------------

    @property
    def mode(self) -> PlanMode:
        select = self.query_one("#mode-select", RadioButton).value
        return PlanMode.SELECT if select else PlanMode.AUTO

    def _hidden(self, mode: PlanMode) -> tuple[str, ...]:
        """The other mode's fields: hidden, kept as typed, and not this save's concern."""
        return ("credit",) if mode is PlanMode.SELECT else SELECT_FIELDS

    def _parse(self, field: str, errors: dict[str, str]) -> Decimal:
        """An amount or the discount as typed; empty is zero (the rules say if it may be)."""
        if field != "discount_percent":
            return self.amount(field, errors)
        try:
            return parse_percent(self.text(field))
        except ValidationError as exc:
            errors[field] = exc.message
            return Decimal(0)

    def read_form(self) -> tuple[PlanInput, dict[str, str]]:
        """The plan as typed, and what the parser refused (by field) of what is shown."""
        errors: dict[str, str] = {}
        amounts = {f: self._parse(f, errors) for f in (*AMOUNT_FIELDS, "discount_percent")}
        cycle = self.query_one("#billing_cycle", Select).value
        treatment = self.query_one("#included_service", Select).value
        plan = PlanInput(
            name=self.text("name"),
            price=amounts["price"],
            billing_cycle=BillingCycle(cycle) if isinstance(cycle, str) else BillingCycle.MONTHLY,
            discount_percent=amounts["discount_percent"],
            beauty_bank=self.ticked("beauty_bank"),
            mode=self.mode,
            credit=amounts["credit"],
            cash_alternative=amounts["cash_alternative"],
            included_service_id=treatment if isinstance(treatment, int) else None,
        )
        hidden = self._hidden(plan.mode)
        return plan, {f: m for f, m in errors.items() if f not in hidden}

    def field_errors(self, form: PlanInput) -> dict[str, str]:
        hidden = self._hidden(form.mode)
        errors = plan_field_errors(form, self.money)
        return {f: m for f, m in errors.items() if f not in hidden}

    async def submit(self, form: PlanInput) -> PlanView:
        if self.plan is None:
            return await self.desk.plans.create(form)
        return await self.desk.plans.update(self.plan.id, form, expected_version=self.plan.version)

    async def reread(self) -> None:
        if self.plan is not None:
            self.plan = await self.desk.plans.get(self.plan.id)

    def warnings_text(self) -> str:
        return str(self.query_one("#plan-warnings", Static).render())

    # -- live: mode and warnings ----------------------------------------------------
    # The catalogue editor's own handlers run too (Textual calls each class's), clearing
    # a field's error as it changes.

    def _show_mode(self) -> None:
        auto = self.mode is PlanMode.AUTO
        for widget in self.query(".auto-only"):
            widget.set_class(not auto, "-hidden")
        for widget in self.query(".select-only"):
            widget.set_class(auto, "-hidden")

    def _refresh_warnings(self) -> None:
        plan, _errors = self.read_form()
        price = next((s.price for s in self.services if s.id == plan.included_service_id), None)
        found = plan_warnings(plan, self.money, treatment_price=price)
        text = "\n".join(f"⚠ {w.message}" for w in found)
        box = self.query_one("#plan-warnings", Static)
        box.update(Content(text))
        box.display = bool(found)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refresh_warnings()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.set_error(event.select.id or "", "")
        self._refresh_warnings()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._refresh_warnings()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._show_mode()
        self._refresh_warnings()
