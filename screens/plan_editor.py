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
from pathlib import Path, PurePath
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, Select, Static

import styles
from frontdesk.domain.errors import DomainError, StaleVersion, ValidationError, describe
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
from screens.widgets.form import TickBox, TickRadio

STYLES_DIR = Path(styles.__file__).parent
NEXT_CYCLE = "A change applies from each member's next cycle."
AMOUNT_FIELDS = ("price", "credit", "cash_alternative")
TEXT_FIELDS = ("name", *AMOUNT_FIELDS, "discount_percent")
ERROR_FIELDS = (*TEXT_FIELDS, "included_service")
SELECT_FIELDS = ("cash_alternative", "included_service")


class PlanEditorModal(ModalScreen[PlanView | None]):
    """Add a plan (``plan=None``) or change one; keyboard only, fits 80x24."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "plan_editor.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="plan.cancel"),
        Binding("ctrl+s", "save", "Save", id="plan.save"),
    ]

    def __init__(
        self,
        desk: Desk,
        money: MoneyContext,
        services: Sequence[ServiceView],
        plan: PlanView | None = None,
    ) -> None:
        super().__init__(classes="plan-editor")
        self.desk = desk
        self.money = money
        self.services = tuple(services)
        self.plan = plan
        self._saving = False
        self.calls = 0  # service calls made (one per save)

    # -- layout ------------------------------------------------------------------

    def _row(
        self, label: str, field: Input | Select[int] | Checkbox, classes: str = ""
    ) -> Horizontal:
        return Horizontal(
            Static(Content(label), classes="plan-label"),
            field,
            classes=f"plan-row {classes}".strip(),
        )

    def _amount(self, field: str, value: Decimal | None) -> Input:
        return Input(
            "" if value is None else self.money.for_input(value),
            placeholder=f"e.g. {self.money.for_input(Decimal(50))}",
            id=field,
            compact=True,
            max_length=20,
        )

    def compose(self) -> ComposeResult:
        plan = self.plan.as_input() if self.plan is not None else None
        title = "New membership plan" if plan is None else f"Edit plan: {plan.name}"
        with VerticalScroll(id="plan-dialog"):
            yield Static(Content(title), id="plan-title")
            yield from self._fee_fields(plan)
            yield from self._bank_fields(plan)
            yield Static(id="plan-warnings")
            yield Static(Content(NEXT_CYCLE), id="plan-next-cycle")
            yield Static(id="plan-message")
            yield Horizontal(
                Button("Save", id="plan-save", variant="primary", compact=True),
                Button("Cancel", id="plan-cancel", compact=True),
                id="plan-buttons",
            )
            yield Static(Content("Enter next · ^S save · Esc cancel"), id="plan-keys")

    def _fee_fields(self, plan: PlanInput | None) -> ComposeResult:
        """Name, Price every cycle, Member discount %, each with its error line."""
        yield self._row("Name", Input(plan.name if plan else "", id="name", compact=True))
        yield Static(id="name-error", classes="field-error")
        cycle = Select[str](
            ((c.label, c.value) for c in BillingCycle),
            value=(plan.billing_cycle if plan else BillingCycle.MONTHLY).value,
            allow_blank=False,
            id="billing_cycle",
            compact=True,
        )
        yield Horizontal(
            Static(Content("Price"), classes="plan-label"),
            self._amount("price", plan.price if plan else None),
            Static(Content(" every "), classes="plan-between"),
            cycle,
            classes="plan-row",
        )
        yield Static(id="price-error", classes="field-error")
        discount = f"{plan.discount_percent.normalize():f}" if plan else ""
        yield self._row(
            "Member discount %",
            Input(discount, placeholder="e.g. 15", id="discount_percent", compact=True),
        )
        yield Static(id="discount_percent-error", classes="field-error")

    def _bank_fields(self, plan: PlanInput | None) -> ComposeResult:
        """The Beauty Bank toggle, the mode switch and each mode's own fields."""
        auto = plan is None or plan.mode is PlanMode.AUTO
        yield self._row(
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
        yield self._row("Credit amount", self._amount("credit", credit), "auto-only")
        yield Static(id="credit-error", classes="field-error auto-only")
        cash = plan.cash_alternative if plan and plan.cash_alternative else None
        yield self._row("Cash alternative", self._amount("cash_alternative", cash), "select-only")
        yield Static(id="cash_alternative-error", classes="field-error select-only")
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
        yield self._row("Included treatment", treatment, "select-only")
        yield Static(id="included_service-error", classes="field-error select-only")

    def on_mount(self) -> None:
        self._show_mode()
        self._refresh_warnings()
        self.query_one("#name", Input).focus()

    # -- what the form holds -----------------------------------------------------

    @property
    def mode(self) -> PlanMode:
        select = self.query_one("#mode-select", RadioButton).value
        return PlanMode.SELECT if select else PlanMode.AUTO

    def _text(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def _parse(self, field: str, errors: dict[str, str]) -> Decimal:
        """An amount or the discount as typed; empty is zero (the rules say if it may be)."""
        text = self._text(field)
        try:
            if field == "discount_percent":
                return parse_percent(text)
            if not text.strip():
                return Decimal(0)
            return self.money.parse(text, field=field, allow_zero=True)
        except ValidationError as exc:
            errors[field] = str(exc)
            return Decimal(0)

    def read_form(self) -> tuple[PlanInput, dict[str, str]]:
        """The plan as typed, and what the parser refused (by field)."""
        errors: dict[str, str] = {}
        amounts = {f: self._parse(f, errors) for f in (*AMOUNT_FIELDS, "discount_percent")}
        cycle = self.query_one("#billing_cycle", Select).value
        treatment = self.query_one("#included_service", Select).value
        plan = PlanInput(
            name=self._text("name"),
            price=amounts["price"],
            billing_cycle=BillingCycle(cycle) if isinstance(cycle, str) else BillingCycle.MONTHLY,
            discount_percent=amounts["discount_percent"],
            beauty_bank=self.query_one("#beauty_bank", Checkbox).value,
            mode=self.mode,
            credit=amounts["credit"],
            cash_alternative=amounts["cash_alternative"],
            included_service_id=treatment if isinstance(treatment, int) else None,
        )
        return plan, errors

    def warnings_text(self) -> str:
        return str(self.query_one("#plan-warnings", Static).render())

    def message_text(self) -> str:
        box = self.query_one("#plan-message", Static)
        return str(box.render()) if box.display else ""

    def error_of(self, field: str) -> str:
        box = self.query_one(f"#{field}-error", Static)
        return str(box.render()) if box.display else ""

    # -- live: mode, warnings, errors ---------------------------------------------

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

    def set_error(self, field: str, message: str) -> None:
        if field not in ERROR_FIELDS:
            self.set_message(message)
            return
        box = self.query_one(f"#{field}-error", Static)
        box.update(Content(message))
        box.display = bool(message)
        self.query_one(f"#{field}").set_class(bool(message), "-invalid")

    def set_message(self, message: str) -> None:
        box = self.query_one("#plan-message", Static)
        box.update(Content(message))
        box.display = bool(message)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.set_error(event.input.id or "", "")
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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "credit":  # the last field in Auto mode
            self.action_save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "plan-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    # -- save --------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving:
            return
        plan, errors = self.read_form()
        errors = plan_field_errors(plan, self.money) | errors
        # The other mode's fields are hidden, kept as typed, and not this save's concern.
        hidden = ("credit",) if plan.mode is PlanMode.SELECT else SELECT_FIELDS
        errors = {f: m for f, m in errors.items() if f not in hidden}
        for field in ERROR_FIELDS:
            self.set_error(field, errors.get(field, ""))
        if errors:
            first = next(f for f in ERROR_FIELDS if f in errors)
            self.query_one(f"#{first}").focus()
            return
        self._saving = True
        self.save(plan)

    @work(exclusive=True, group="plan-save", exit_on_error=False)
    async def save(self, plan: PlanInput) -> None:
        self.query_one("#plan-save", Button).disabled = True
        self.calls += 1
        try:
            if self.plan is None:
                saved = await self.desk.plans.create(plan)
            else:
                saved = await self.desk.plans.update(
                    self.plan.id, plan, expected_version=self.plan.version
                )
        except ValidationError as exc:
            self._failed(exc.field, str(exc))
            return
        except StaleVersion as exc:  # reread: the next Save is against what is there now
            self._failed("", str(exc))
            if self.plan is not None:
                self.plan = await self.desk.plans.get(self.plan.id)
            return
        except DomainError as exc:
            self._failed("", str(exc))
            return
        except Exception as exc:  # shown, never a traceback on screen
            self.log.error("saving the plan failed", exc)
            self._failed("", f"Could not save: {describe(exc)}")
            return
        self.dismiss(saved)

    def _failed(self, field: str, message: str) -> None:
        self._saving = False
        self.query_one("#plan-save", Button).disabled = False
        self.set_error(field, message)
