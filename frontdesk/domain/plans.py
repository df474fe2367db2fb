"""Membership plans as staff set them up: what a plan must hold, and what is only unwise.

A plan has a price per billing cycle, a member discount and, if its Beauty Bank is on, a
mode (seed 003, docs "The Beauty Bank — how it works"):

* **Auto — always bank as cash**: every successful renewal adds the plan's *Credit
  amount* to the patient's Beauty Bank.
* **Select — patient chooses each cycle**: the patient picks the *included treatment* or
  the *Cash alternative value* into the Beauty Bank, never both; no choice, neither.

`plan_field_errors` is what the rules refuse (a `ValidationError` per field: nothing is
saved); `plan_warnings` is the seed's "common mistakes", shown while typing and never in
the way of a save. The credit is a fixed amount staff type: nothing here derives it from
the fee (seed 003: "The system does not link these automatically").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.fields import clean_name
from frontdesk.domain.money import MAX_AMOUNT
from frontdesk.domain.money_context import MoneyContext

AUTO_LABEL = "Auto — always bank as cash"
SELECT_LABEL = "Select — patient chooses each cycle"
_PERCENT = re.compile(r"([0-9]{1,3})(?:[.,]([0-9]{1,2}))?")


class PlanMode(StrEnum):
    AUTO = "auto"
    SELECT = "select"


class BillingCycle(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True, slots=True)
class PlanInput:
    """A plan as typed: amounts in the store currency. `credit` counts in Auto mode,
    `cash_alternative` and `included_service_id` in Select; both are kept as typed so
    switching the mode back shows them again."""

    name: str
    price: Decimal
    billing_cycle: BillingCycle = BillingCycle.MONTHLY
    discount_percent: Decimal = Decimal(0)
    beauty_bank: bool = False
    mode: PlanMode = PlanMode.AUTO
    credit: Decimal = Decimal(0)
    cash_alternative: Decimal = Decimal(0)
    included_service_id: int | None = None


@dataclass(frozen=True, slots=True)
class PlanWarning:
    """A common mistake (seed 003), said with its numbers; `field` is where it shows."""

    field: str
    message: str


def parse_percent(text: str, *, field: str = "discount_percent") -> Decimal:
    """A member discount as typed: empty is 0; 0 to 100 with at most two decimals."""
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned:
        return Decimal(0)
    match = _PERCENT.fullmatch(cleaned)
    if match is None:
        raise ValidationError(field, "Type the discount as a number from 0 to 100, e.g. 15")
    value = Decimal(f"{match[1]}.{match[2] or '0'}")
    if value > 100:
        raise ValidationError(field, "A discount is at most 100%")
    return value


def _amount_error(amount: Decimal, money: MoneyContext, *, positive: bool) -> str | None:
    if not amount.is_finite():
        return "Enter an amount"
    if amount < 0 or (positive and amount == 0):
        return "Enter an amount above zero" if positive else "Enter an amount of zero or more"
    if amount > MAX_AMOUNT:
        return f"The amount is over the {money.format(MAX_AMOUNT)} limit"
    if amount != amount.quantize(Decimal(1).scaleb(-money.exponent)):
        return f"Too many decimal places for {money.currency}"
    return None


def _mode_errors(plan: PlanInput, money: MoneyContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, value in (("credit", plan.credit), ("cash_alternative", plan.cash_alternative)):
        error = _amount_error(value, money, positive=False)
        if error:
            errors[field] = error
    if not plan.beauty_bank:
        return errors
    if plan.mode is PlanMode.AUTO and "credit" not in errors and plan.credit == 0:
        errors["credit"] = "Auto mode needs a Credit amount above zero"
    if plan.mode is PlanMode.SELECT:
        if "cash_alternative" not in errors and plan.cash_alternative == 0:
            errors["cash_alternative"] = "Select mode needs a Cash alternative value above zero"
        if plan.included_service_id is None:
            errors["included_service"] = "Select mode needs an included treatment"
    return errors


def plan_field_errors(plan: PlanInput, money: MoneyContext) -> dict[str, str]:
    """Every field the rules refuse, with its message (empty: the plan may be saved)."""
    errors: dict[str, str] = {}
    try:
        clean_name(plan.name, "name", "plan name")
    except ValidationError as exc:
        errors["name"] = exc.message
    price = _amount_error(plan.price, money, positive=True)
    if price:
        errors["price"] = price
    discount = plan.discount_percent
    if not discount.is_finite() or not 0 <= discount <= 100:
        errors["discount_percent"] = "A discount is 0 to 100%"
    elif discount != discount.quantize(Decimal("0.01")):
        errors["discount_percent"] = "A discount has at most two decimals"
    return errors | _mode_errors(plan, money)


def check_plan(plan: PlanInput, money: MoneyContext) -> PlanInput:
    """The plan with its name cleaned, or the first field's `ValidationError`."""
    errors = plan_field_errors(plan, money)
    if errors:
        field, message = next(iter(errors.items()))
        raise ValidationError(field, message)
    return replace(plan, name=clean_name(plan.name, "name", "plan name"))


def _low_amount(plan: PlanInput, money: MoneyContext) -> PlanWarning | None:
    """Seed 003: £10 on a £120 plan "feels like an afterthought"; a third to half is
    common. Said only when both numbers are there to compare."""
    if plan.mode is not PlanMode.AUTO or plan.credit <= 0 or plan.price <= 0:
        return None
    if plan.credit * 3 >= plan.price:
        return None
    low, high = money.format(plan.price / 3), money.format(plan.price / 2)
    return PlanWarning(
        "credit",
        f"A Credit amount of {money.format(plan.credit)} is under a third of the "
        f"{money.format(plan.price)} fee: patients may not notice it. A third to half of "
        f"the fee ({low} to {high}) is common.",
    )


def _cash_against_treatment(
    plan: PlanInput, money: MoneyContext, treatment_price: Decimal | None
) -> PlanWarning | None:
    """Seed 003: a £20 cash alternative to a £60 treatment is no real choice."""
    if plan.mode is not PlanMode.SELECT or not treatment_price or plan.cash_alternative <= 0:
        return None
    if plan.cash_alternative * 3 > treatment_price:
        return None
    return PlanWarning(
        "cash_alternative",
        f"A Cash alternative value of {money.format(plan.cash_alternative)} is a third or "
        f"less of the included treatment's {money.format(treatment_price)}: most patients will "
        "take the treatment every time. A value closer to it gives a real choice.",
    )


def _at_or_above_fee(plan: PlanInput, money: MoneyContext) -> PlanWarning | None:
    field, label, value = (
        ("credit", "Credit amount", plan.credit)
        if plan.mode is PlanMode.AUTO
        else ("cash_alternative", "Cash alternative value", plan.cash_alternative)
    )
    if plan.price <= 0 or value < plan.price:
        return None
    relation = "equals" if value == plan.price else "is above"
    return PlanWarning(
        field,
        f"The {label} {money.format(value)} {relation} the {money.format(plan.price)} fee: "
        "each cycle gives back all the patient pays, or more. Check it is not the fee typed "
        "by mistake.",
    )


def plan_warnings(
    plan: PlanInput, money: MoneyContext, *, treatment_price: Decimal | None = None
) -> list[PlanWarning]:
    """Seed 003's common mistakes in this plan, for staff to read; never a refusal.
    `treatment_price`: the included treatment's price, when Select mode has one."""
    if not plan.beauty_bank:
        if plan.credit > 0 or plan.cash_alternative > 0:
            return [
                PlanWarning(
                    "beauty_bank",
                    "Beauty Bank is off: no credit is issued on this plan, whatever the "
                    "amounts below say. Turn it on to pay them.",
                )
            ]
        return []
    found = [
        _low_amount(plan, money),
        _cash_against_treatment(plan, money, treatment_price),
        _at_or_above_fee(plan, money),
    ]
    warnings = [w for w in found if w is not None]
    if plan.mode is PlanMode.SELECT:
        warnings.append(
            PlanWarning(
                "mode",
                "Select mode: patients must choose their benefit every cycle, or they get "
                "neither. Explain the monthly choice when they sign up and in the plan's "
                "description.",
            )
        )
    return warnings
