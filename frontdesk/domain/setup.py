"""Store settings and locations as the setup screens take them (issue 16, item 1).

Pure rules, no I/O: what each field may hold, checked before anything is written, with a
`ValidationError` naming the field. The services add what needs the database (a currency
change is refused once amounts are stored in the old currency's minor units; a location
name is unique).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import is_currency

from frontdesk.domain.commission import CommissionSystem
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.fields import clean_name
from frontdesk.domain.money import MAX_AMOUNT
from frontdesk.domain.money_context import MoneyContext, check_locale
from frontdesk.domain.normalize import has_forbidden

# A minute at least (the lock would interrupt typing), four hours at most (a terminal
# left open all afternoon is the thing the lock is for). docs/rules.md, X1 and X5.
IDLE_LOCK_MINUTES = range(1, 241)
ADDRESS_MAX = 200
_TIME = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})")
_MINUTES = re.compile(r"[0-9]{1,4}")
PLAIN = "Use plain text (no tabs, line breaks or hidden characters)"


@dataclass(frozen=True, slots=True)
class StoreInput:
    """The store settings as typed: the threshold in the store currency, the idle lock
    in whole minutes."""

    business_name: str
    currency: str
    locale: str
    future_product_usage: bool
    commission_system: CommissionSystem
    approval_threshold: Decimal
    idle_lock_minutes: int


@dataclass(frozen=True, slots=True)
class LocationInput:
    name: str
    address: str
    opens_at: dt.time
    closes_at: dt.time


def clean_currency(text: str) -> str:
    code = text.strip().upper()
    if not is_currency(code):
        raise ValidationError("currency", "Type a currency code such as GBP, EUR or JPY")
    return code


def clean_locale(text: str) -> str:
    cleaned = text.strip().replace("-", "_")
    try:
        if cleaned.isascii() and cleaned:
            return check_locale(cleaned)
    except ValueError:
        pass
    raise ValidationError("locale", "Type a locale such as en_GB, de_DE or ja_JP")


def parse_minutes(text: str, field: str = "idle_lock_minutes") -> int:
    """Whole minutes, 1 to 240, as typed (ASCII digits only)."""
    cleaned = text.strip()
    if not _MINUTES.fullmatch(cleaned) or int(cleaned) not in IDLE_LOCK_MINUTES:
        raise ValidationError(field, "Enter 1 to 240 minutes")
    return int(cleaned)


def parse_time(text: str, field: str) -> dt.time:
    """A wall-clock time typed as HH:MM (24-hour; "9:30" and "09.30" too)."""
    match = _TIME.fullmatch(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValidationError(field, "Type the time as HH:MM, e.g. 09:00 or 18:30")
    return dt.time(int(match[1]), int(match[2]))


def check_threshold(amount: Decimal, money: MoneyContext) -> Decimal:
    field = "approval_threshold"
    if not amount.is_finite() or amount < 0:
        raise ValidationError(field, "Enter an amount of zero or more")
    if amount > MAX_AMOUNT:
        raise ValidationError(field, f"The threshold is over the {money.format(MAX_AMOUNT)} limit")
    if amount != amount.quantize(Decimal(1).scaleb(-money.exponent)):
        raise ValidationError(field, f"Too many decimal places for {money.currency}")
    return amount


def check_store(store: StoreInput) -> StoreInput:
    """The settings cleaned, or the first field the rules refuse."""
    name = clean_name(store.business_name, "business_name", "business name")
    currency = clean_currency(store.currency)
    locale = clean_locale(store.locale)
    check_threshold(store.approval_threshold, MoneyContext(currency, locale))
    if store.idle_lock_minutes not in IDLE_LOCK_MINUTES:
        raise ValidationError("idle_lock_minutes", "Enter 1 to 240 minutes")
    return StoreInput(
        business_name=name,
        currency=currency,
        locale=locale,
        future_product_usage=store.future_product_usage,
        commission_system=CommissionSystem(store.commission_system),
        approval_threshold=store.approval_threshold,
        idle_lock_minutes=store.idle_lock_minutes,
    )


def clean_address(text: str) -> str:
    cleaned = unicodedata.normalize("NFC", text).strip()
    if has_forbidden(cleaned):
        raise ValidationError("address", PLAIN)
    if len(cleaned) > ADDRESS_MAX:
        raise ValidationError("address", f"Keep the address to {ADDRESS_MAX} characters")
    return cleaned


def check_location(location: LocationInput) -> LocationInput:
    """The location cleaned, or the first field the rules refuse. A location closes
    after it opens on the same day (the schedule shows one day from open to close)."""
    name = clean_name(location.name, "name", "location name")
    address = clean_address(location.address)
    if location.closes_at <= location.opens_at:
        raise ValidationError("closes_at", "Closing time must be after opening time")
    return LocationInput(name, address, location.opens_at, location.closes_at)
