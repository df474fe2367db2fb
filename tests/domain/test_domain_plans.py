"""Membership plan rules (seed 003): field errors refuse, common mistakes only warn."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.plans import (
    PlanInput,
    PlanMode,
    check_plan,
    parse_percent,
    plan_field_errors,
    plan_warnings,
)

D = Decimal
GBP = MoneyContext("GBP", "en_GB")
JPY = MoneyContext("JPY", "ja_JP")

AUTO = PlanInput(name="Glow", price=D("79"), beauty_bank=True, credit=D("50"))
SELECT = PlanInput(
    name="Choice",
    price=D("99"),
    beauty_bank=True,
    mode=PlanMode.SELECT,
    cash_alternative=D("40"),
    included_service_id=1,
)


def fields(plan: PlanInput, money: MoneyContext = GBP) -> set[str]:
    return set(plan_field_errors(plan, money))


def warned(plan: PlanInput, money: MoneyContext = GBP, **kw: Decimal) -> set[str]:
    return {w.field for w in plan_warnings(plan, money, **kw)}


def test_a_sound_plan_has_no_errors_and_keeps_its_credit() -> None:
    assert fields(AUTO) == set() == fields(SELECT)
    assert check_plan(replace(AUTO, name="  Glow "), GBP) == AUTO
    assert warned(AUTO) == set()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"price": D("0")}, "price"),
        ({"price": D("-1")}, "price"),
        ({"price": D("1.001")}, "price"),
        ({"price": D("NaN")}, "price"),
        ({"discount_percent": D("100.01")}, "discount_percent"),
        ({"discount_percent": D("-1")}, "discount_percent"),
        ({"discount_percent": D("1.005")}, "discount_percent"),
        ({"credit": D("-5")}, "credit"),
        ({"credit": D("0")}, "credit"),  # Auto with the Beauty Bank on needs a credit
        ({"cash_alternative": D("-1")}, "cash_alternative"),
    ],
)
def test_each_refusal_names_its_field(change: dict[str, object], field: str) -> None:
    plan = replace(AUTO, **change)  # type: ignore[arg-type]
    assert field in fields(plan)
    with pytest.raises(ValidationError) as err:
        check_plan(plan, GBP)
    assert err.value.field == field


def test_select_needs_a_cash_alternative_and_an_included_treatment() -> None:
    bare = replace(SELECT, cash_alternative=D(0), included_service_id=None)
    assert fields(bare) == {"cash_alternative", "included_service"}
    # The Auto field is not asked for in Select, nor either with the Beauty Bank off.
    assert fields(replace(SELECT, credit=D(0))) == set()
    assert fields(replace(bare, beauty_bank=False)) == set()
    assert fields(replace(AUTO, credit=D(0), beauty_bank=False)) == set()


def test_jpy_has_no_decimals() -> None:
    assert fields(replace(AUTO, price=D("7900"), credit=D("5000")), JPY) == set()
    assert fields(replace(AUTO, price=D("7900.5"), credit=D("5000")), JPY) == {"price"}


def test_a_credit_under_a_third_of_the_fee_warns_with_the_numbers() -> None:
    plan = replace(AUTO, price=D("120"), credit=D("10"))
    (warning,) = plan_warnings(plan, GBP)
    assert warning.field == "credit"
    assert "£10.00" in warning.message and "£120.00" in warning.message
    assert "£40.00 to £60.00" in warning.message
    assert check_plan(plan, GBP) == plan  # a warning, never a refusal
    assert warned(replace(plan, credit=D("40"))) == set()  # a third is fine


def test_credit_at_or_above_the_fee_warns() -> None:
    assert warned(replace(AUTO, credit=D("79"))) == {"credit"}
    assert "equals" in plan_warnings(replace(AUTO, credit=D("79")), GBP)[0].message
    assert warned(replace(AUTO, credit=D("100"))) == {"credit"}
    assert warned(replace(SELECT, cash_alternative=D("99"))) == {"cash_alternative", "mode"}


def test_select_mode_always_reminds_to_explain_the_choice() -> None:
    (warning,) = plan_warnings(SELECT, GBP)
    assert warning.field == "mode" and "explain" in warning.message.lower()


def test_a_cash_alternative_far_below_the_treatment_warns() -> None:
    plan = replace(SELECT, cash_alternative=D("20"))
    assert warned(plan, treatment_price=D("60")) == {"cash_alternative", "mode"}
    assert warned(plan, treatment_price=D("55")) == {"mode"}


def test_beauty_bank_off_with_amounts_warns_once() -> None:
    assert warned(replace(AUTO, beauty_bank=False)) == {"beauty_bank"}
    assert warned(replace(AUTO, beauty_bank=False, credit=D(0))) == set()


def test_warnings_speak_the_store_currency() -> None:
    plan = replace(AUTO, price=D("12000"), credit=D("1000"))
    (warning,) = plan_warnings(plan, JPY)
    assert "￥1,000" in warning.message and "￥12,000" in warning.message


@pytest.mark.parametrize(
    ("text", "value"),
    [("", "0"), ("15", "15"), ("12.5", "12.5"), ("12,50", "12.50"), ("100%", "100")],
)
def test_percent_parses(text: str, value: str) -> None:
    assert parse_percent(text) == D(value)


@pytest.mark.parametrize("text", ["101", "-5", "1e2", "NaN", "12.345", "١٥", "abc"])
def test_percent_refuses(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_percent(text)
    assert err.value.field == "discount_percent"


cents = st.integers(min_value=1, max_value=100_000_00).map(lambda c: D(c) / 100)


@given(price=cents, credit=cents, on=st.booleans(), select=st.booleans())
def test_warnings_never_refuse_and_never_touch_the_amounts(
    price: Decimal, credit: Decimal, on: bool, select: bool
) -> None:
    plan = replace(
        SELECT if select else AUTO,
        price=price,
        credit=credit,
        cash_alternative=credit,
        beauty_bank=on,
    )
    plan_warnings(plan, GBP, treatment_price=price)
    checked = check_plan(plan, GBP)
    assert (checked.price, checked.credit, checked.cash_alternative) == (price, credit, credit)
    low = plan_warnings(plan, GBP)
    assert any(w.field == "credit" for w in low) == (
        on and not select and (credit * 3 < price or credit >= price)
    )
