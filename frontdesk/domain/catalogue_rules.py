"""The catalogue as staff set it up: services, products, packages and promotion codes.

Each kind has an input (what the editor sends, amounts in the store currency), a
`*_field_errors` function (every field the rules refuse, with the message staff read at
that field; empty: the row may be saved) and a `check_*` that returns the input cleaned
or raises the first field's `ValidationError`. The services call `check_*` before they
write anything, so a refused save writes nothing; the editors call `*_field_errors` to
show every error at once. Rules: docs/rules.md#catalogue-setup (G1-G6).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from frontdesk.domain.addons import MAX_BUY_PER_LINE
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.fields import clean_name
from frontdesk.domain.money import MAX_AMOUNT
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.parsing import clean_description
from frontdesk.domain.promotions import CODE_MAX, fold_code

# A day's opening hours at most: a longer "duration" is a typo (90 typed as 900).
MAX_DURATION_MINUTES = 720
CATEGORY_MAX = 60
UNIT_NAME_MAX = 40
MAX_LINE_UNITS = 100_000  # units of one product in a package or a service's default
_PERCENT = re.compile(r"([0-9]{1,3})(?:[.,]([0-9]{1,2}))?")
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]*")


@dataclass(frozen=True, slots=True)
class ProductUnits:
    """Units of one product: a package's content line or a service's default add-on."""

    product_id: int
    units: int


@dataclass(frozen=True, slots=True)
class ServiceInput:
    """A service as typed. `commission_percent` counts in the single system,
    `commission_sale`/`commission_redeem` (per visit) in the dual one; both are kept."""

    name: str
    duration_minutes: int
    price: Decimal
    category: str = ""
    commission_percent: Decimal = Decimal(0)
    commission_sale: Decimal = Decimal(0)
    commission_redeem: Decimal = Decimal(0)
    prepaid_allowed: bool = True
    addons: tuple[ProductUnits, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductInput:
    name: str
    unit_price: Decimal
    unit_name: str = "unit"
    usage_tracking: bool = False
    addon_eligible: bool = False
    max_units_per_line: int = MAX_BUY_PER_LINE


@dataclass(frozen=True, slots=True)
class PackageInput:
    name: str
    price: Decimal
    contents: tuple[ProductUnits, ...] = ()


@dataclass(frozen=True, slots=True)
class PromotionInput:
    """Exactly one of `percent` and `fixed` (docs/rules.md#checkout-order, C4, C9)."""

    code: str
    description: str
    valid_from: dt.date
    percent: Decimal | None = None
    fixed: Decimal | None = None
    valid_to: dt.date | None = None
    once_per_client: bool = False


def parse_percent(text: str, *, field: str, what: str = "percentage") -> Decimal:
    """A percentage as typed: empty is 0; 0 to 100 with at most two decimals."""
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned:
        return Decimal(0)
    match = _PERCENT.fullmatch(cleaned)
    if match is None:
        raise ValidationError(field, f"Type the {what} as a number from 0 to 100, e.g. 10")
    value = Decimal(f"{match[1]}.{match[2] or '0'}")
    if value > 100:
        raise ValidationError(field, f"A {what} is at most 100%")
    return value


def amount_error(amount: Decimal, money: MoneyContext, *, positive: bool) -> str | None:
    """What is wrong with an amount in the store currency, or None (M3, M7)."""
    if not amount.is_finite():
        return "Enter an amount"
    if amount < 0 or (positive and amount == 0):
        return "Enter an amount above zero" if positive else "Enter an amount of zero or more"
    if amount > MAX_AMOUNT:
        return f"The amount is over the {money.format(MAX_AMOUNT)} limit"
    if amount != amount.quantize(Decimal(1).scaleb(-money.exponent)):
        return f"Too many decimal places for {money.currency}"
    return None


def _percent_error(value: Decimal, *, above_zero: bool = False) -> str | None:
    if not value.is_finite() or not 0 <= value <= 100 or (above_zero and value == 0):
        return "A percentage above 0, at most 100" if above_zero else "A percentage is 0 to 100"
    if value != value.quantize(Decimal("0.01")):
        return "A percentage has at most two decimals"
    return None


def _catch(errors: dict[str, str], field: str, check: Callable[[], object]) -> None:
    try:
        check()
    except ValidationError as exc:
        errors[field] = exc.message


def _short_text(text: str, field: str, label: str, limit: int, errors: dict[str, str]) -> None:
    _catch(errors, field, lambda: clean_name(text, field, label))
    if field not in errors and len(text.strip()) > limit:
        errors[field] = f"Keep the {label} to {limit} characters"


def units_errors(lines: Sequence[ProductUnits], field: str, *, required: bool) -> dict[str, str]:
    """Content lines: at least one if `required`, each product once, units 1..100,000."""
    if required and not lines:
        return {field: "Add at least one product"}
    seen: set[int] = set()
    for line in lines:
        if line.product_id in seen:
            return {field: "Each product once: change its units instead of adding it again"}
        seen.add(line.product_id)
        if not 1 <= line.units <= MAX_LINE_UNITS:
            return {field: f"Units are 1 to {MAX_LINE_UNITS:,}"}
    return {}


def service_field_errors(service: ServiceInput, money: MoneyContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    _short_text(service.name, "name", "service name", 120, errors)
    if service.category.strip():
        _short_text(service.category, "category", "category", CATEGORY_MAX, errors)
    if not 1 <= service.duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = f"A duration is 1 to {MAX_DURATION_MINUTES} minutes"
    for field, value, positive in (
        ("price", service.price, True),
        ("commission_sale", service.commission_sale, False),
        ("commission_redeem", service.commission_redeem, False),
    ):
        if error := amount_error(value, money, positive=positive):
            errors[field] = error
    if error := _percent_error(service.commission_percent):
        errors["commission_percent"] = error
    return errors | units_errors(service.addons, "addons", required=False)


def check_service(service: ServiceInput, money: MoneyContext) -> ServiceInput:
    _raise_first(service_field_errors(service, money))
    return replace(
        service,
        name=clean_name(service.name, "name", "service name"),
        category=service.category.strip(),
    )


def product_field_errors(product: ProductInput, money: MoneyContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    _short_text(product.name, "name", "product name", 120, errors)
    _short_text(product.unit_name, "unit_name", "unit name", UNIT_NAME_MAX, errors)
    if error := amount_error(product.unit_price, money, positive=True):
        errors["unit_price"] = error
    if not 1 <= product.max_units_per_line <= MAX_BUY_PER_LINE:
        errors["max_units_per_line"] = f"Units per line are 1 to {MAX_BUY_PER_LINE}"
    return errors


def check_product(product: ProductInput, money: MoneyContext) -> ProductInput:
    _raise_first(product_field_errors(product, money))
    return replace(
        product,
        name=clean_name(product.name, "name", "product name"),
        unit_name=clean_name(product.unit_name, "unit_name", "unit name"),
    )


def package_field_errors(package: PackageInput, money: MoneyContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    _short_text(package.name, "name", "package name", 120, errors)
    if error := amount_error(package.price, money, positive=True):
        errors["price"] = error
    return errors | units_errors(package.contents, "contents", required=True)


def check_package(package: PackageInput, money: MoneyContext) -> PackageInput:
    _raise_first(package_field_errors(package, money))
    return replace(package, name=clean_name(package.name, "name", "package name"))


def promotion_field_errors(promo: PromotionInput, money: MoneyContext) -> dict[str, str]:
    errors: dict[str, str] = {}
    code = fold_code(promo.code)
    if not code:
        errors["code"] = "Enter a code"
    elif len(code) > CODE_MAX:
        errors["code"] = f"Keep the code to {CODE_MAX} characters"
    elif not _CODE.fullmatch(code) or not code.isascii():
        errors["code"] = "Letters A-Z, digits, - and _ only (e.g. SPRING10)"
    _catch(errors, "description", lambda: clean_description(promo.description))
    if (promo.percent is None) == (promo.fixed is None):
        errors["amount"] = "Give a percentage or a fixed amount, not both"
    elif promo.percent is not None:
        if error := _percent_error(promo.percent, above_zero=True):
            errors["amount"] = error
    elif promo.fixed is not None and (error := amount_error(promo.fixed, money, positive=True)):
        errors["amount"] = error
    if promo.valid_to is not None and promo.valid_to < promo.valid_from:
        errors["valid_to"] = "The last day is on or after the first day"
    return errors


def check_promotion(promo: PromotionInput, money: MoneyContext) -> PromotionInput:
    _raise_first(promotion_field_errors(promo, money))
    return replace(
        promo, code=fold_code(promo.code), description=clean_description(promo.description)
    )


def _raise_first(errors: dict[str, str]) -> None:
    if errors:
        field, message = next(iter(errors.items()))
        raise ValidationError(field, message)
