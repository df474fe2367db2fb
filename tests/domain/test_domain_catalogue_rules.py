"""Catalogue setup rules (docs/rules.md#catalogue-setup, G1-G5): what each field refuses,
in GBP and JPY, and the cleaned value a save stores."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.catalogue_rules import (
    MAX_DURATION_MINUTES,
    PackageInput,
    ProductInput,
    ProductUnits,
    PromotionInput,
    ServiceInput,
    check_package,
    check_product,
    check_promotion,
    check_service,
    package_field_errors,
    parse_percent,
    product_field_errors,
    promotion_field_errors,
    service_field_errors,
    units_errors,
)
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.money_context import MoneyContext

D = Decimal
GBP = MoneyContext("GBP", "en_GB")
JPY = MoneyContext("JPY", "ja_JP")
DAY = dt.date(2026, 11, 23)
PEEL = ServiceInput(name=" Peel ", category=" Skin ", duration_minutes=45, price=D("65"))
FILLER = ProductInput(name="Filler", unit_name=" syringe ", unit_price=D("250"))
KIT = PackageInput(name="Kit", price=D("120"), contents=(ProductUnits(1, 10),))
SPRING = PromotionInput(code=" spring-10 ", description=" Spring ", percent=D("10"), valid_from=DAY)


def test_good_rows_pass_and_come_back_cleaned() -> None:
    assert check_service(PEEL, GBP) == replace(PEEL, name="Peel", category="Skin")
    assert check_product(FILLER, GBP).unit_name == "syringe"
    assert check_package(KIT, GBP) == KIT
    assert check_promotion(SPRING, GBP) == replace(SPRING, code="SPRING-10", description="Spring")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "Enter a service name"),
        ({"category": "x" * 61}, "category", "Keep the category to 60 characters"),
        ({"duration_minutes": 0}, "duration_minutes", "A duration is 1 to 720 minutes"),
        ({"duration_minutes": MAX_DURATION_MINUTES + 1}, "duration_minutes", "1 to 720"),
        ({"price": D(0)}, "price", "Enter an amount above zero"),
        ({"price": D("1.234")}, "price", "Too many decimal places for GBP"),
        ({"commission_percent": D("100.01")}, "commission_percent", "0 to 100"),
        ({"commission_percent": D("10.125")}, "commission_percent", "at most two decimals"),
        ({"commission_redeem": D("-1")}, "commission_redeem", "zero or more"),
        ({"addons": (ProductUnits(1, 0),)}, "addons", "Units are 1 to 100,000"),
    ],
)
def test_service_field_errors(change: dict[str, object], field: str, message: str) -> None:
    errors = service_field_errors(replace(PEEL, **change), GBP)  # type: ignore[arg-type]
    assert message in errors[field]
    with pytest.raises(ValidationError) as refused:
        check_service(replace(PEEL, **change), GBP)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_jpy_amounts_are_whole() -> None:
    assert (
        "Too many decimal places for JPY"
        in service_field_errors(replace(PEEL, price=D("65.5")), JPY)["price"]
    )
    assert service_field_errors(replace(PEEL, price=D("6500")), JPY) == {}


def test_product_field_errors() -> None:
    assert product_field_errors(replace(FILLER, unit_name=""), GBP)["unit_name"]
    assert product_field_errors(replace(FILLER, unit_name="x" * 41), GBP)["unit_name"]
    assert product_field_errors(replace(FILLER, max_units_per_line=0), GBP)["max_units_per_line"]
    assert product_field_errors(replace(FILLER, max_units_per_line=999), GBP) == {}
    assert product_field_errors(replace(FILLER, max_units_per_line=1000), GBP)
    assert product_field_errors(replace(FILLER, name="a\tb"), GBP)["name"].startswith("Use plain")


def test_package_contents() -> None:
    assert package_field_errors(replace(KIT, contents=()), GBP) == {
        "contents": "Add at least one product"
    }
    twice = (ProductUnits(1, 1), ProductUnits(1, 2))
    assert (
        "Each product once" in package_field_errors(replace(KIT, contents=twice), GBP)["contents"]
    )
    assert units_errors((), "addons", required=False) == {}


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(-2, 100_002)), max_size=6))
def test_units_lines_are_refused_exactly_when_a_rule_says(lines: list[tuple[int, int]]) -> None:
    found = units_errors([ProductUnits(p, u) for p, u in lines], "contents", required=True)
    products = [p for p, _u in lines]
    bad = (
        not lines
        or len(set(products)) != len(products)
        or any(not 1 <= u <= 100_000 for _p, u in lines)
    )
    assert bool(found) == bad


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "  "}, "code"),
        ({"code": "TEN OFF"}, "code"),
        ({"code": "CAFÉ"}, "code"),
        ({"code": "X" * 41}, "code"),
        ({"description": ""}, "description"),
        ({"percent": None}, "amount"),
        ({"fixed": D("5")}, "amount"),
        ({"percent": D(0)}, "amount"),
        ({"percent": None, "fixed": D(0)}, "amount"),
        ({"percent": None, "fixed": D("0.001")}, "amount"),
        ({"valid_to": DAY - dt.timedelta(days=1)}, "valid_to"),
    ],
)
def test_promotion_field_errors(change: dict[str, object], field: str) -> None:
    assert field in promotion_field_errors(replace(SPRING, **change), GBP)  # type: ignore[arg-type]


def test_a_code_may_end_on_its_first_day() -> None:
    assert promotion_field_errors(replace(SPRING, valid_to=DAY), GBP) == {}


@given(st.integers(0, 100), st.integers(0, 99))
def test_percentages_read_back_as_typed(whole: int, cents: int) -> None:
    value = D(whole) + D(cents) / 100
    if value > 100:
        return
    assert parse_percent(f"{value}%", field="amount") == value


@pytest.mark.parametrize("text", ["101", "1e2", "-5", "10.125", "ten", "١٠"])
def test_percentages_refused(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_percent(text, field="commission_percent")
    assert refused.value.field == "commission_percent"


def test_empty_percent_is_zero() -> None:
    assert parse_percent("  ", field="amount") == 0
