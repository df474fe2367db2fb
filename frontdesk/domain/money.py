"""Money arithmetic: ``Decimal`` in Python, integer minor units at storage boundaries.

Floats never appear: 0.1 + 0.2 != 0.3 is a bug report waiting to happen at a till.
Rounding is always explicit ROUND_HALF_UP to the currency's minor unit, and only where a
rule says so (a discount step); conversions to and from minor units are exact or fail.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_currency, get_currency_precision, is_currency

# Largest amount staff may type; a mistyped extra zero should fail loudly, not bill £4m.
MAX_AMOUNT = Decimal("1000000.00")

_HUNDRED = Decimal(100)


@functools.lru_cache(maxsize=32)
def currency_exponent(currency: str) -> int:
    """Digits after the decimal point for ``currency`` (GBP 2, JPY 0, BHD 3).

    Unknown codes raise ``ValueError``: babel would silently answer 2 for a typo like "GPB".
    Cached (issue 19): babel builds its whole currency list to check one code, some 90
    times a checkout; an unknown code raises every time (exceptions are not cached).
    """
    if not is_currency(currency):
        raise ValueError(f"Unknown currency code: {currency!r}")
    return get_currency_precision(currency)


def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-currency_exponent(currency))


def to_minor(amount: Decimal, currency: str) -> int:
    """Exact integer minor units (pence) for ``amount``; ``ValueError`` if that would round."""
    if not amount.is_finite():
        raise ValueError(f"Not a finite amount: {amount}")
    scaled = amount.scaleb(currency_exponent(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more decimal places than {currency} allows")
    return int(scaled)


def from_minor(minor: int, currency: str) -> Decimal:
    """``Decimal`` for integer minor units, always carrying the currency's decimal places."""
    return Decimal(minor).scaleb(-currency_exponent(currency)).quantize(_quantum(currency))


def round_half_up(amount: Decimal, currency: str) -> Decimal:
    """Round to the minor unit, halves away from zero (what customers and accountants expect)."""
    return amount.quantize(_quantum(currency), rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, percent: Decimal, currency: str) -> Decimal:
    """``percent`` % of ``amount``, rounded half-up to the minor unit."""
    return round_half_up(amount * percent / _HUNDRED, currency)


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """Display form, e.g. "£41.50" and "-£10.00" in GBP/en_GB (the store's own pair:
    see ``MoneyContext``).

    Rounds half-up first because babel's own default (half-even) could show a different
    penny from the one the rules computed.
    """
    return _formatted(str(round_half_up(amount, currency)), currency, locale)


@functools.lru_cache(maxsize=1024)
def _formatted(amount: str, currency: str, locale: str) -> str:
    """babel's display form of `amount` (a rounded Decimal's text, so -0.00 and 0.00 stay
    two keys). Remembered: applying babel's pattern was ~0.1 ms an amount, a desk shows
    the same prices and balances all day, and a receipt formats ~8 (issue 19)."""
    return format_currency(Decimal(amount), currency, locale=_locale(locale))


@functools.cache
def _locale(name: str) -> Locale:
    """babel's `Locale` for `name`, parsed once: given the name, `format_currency` parses a
    new one and loads its data again on every call (issue 19: a receipt formats ~8)."""
    return Locale.parse(name)


def allocate_minor(amount: int, weights: Sequence[int]) -> list[int]:
    """Split ``amount`` minor units in proportion to ``weights`` so the shares sum exactly.

    Largest-remainder method: everyone gets the floor of their exact share, then the
    units still unassigned go one each to the largest fractional remainders (earlier
    entries win ties, so the result is deterministic). Rounding each share on its own
    could lose or invent a penny, and a receipt whose lines disagree with its total
    is a complaint.
    """
    if amount < 0 or any(w < 0 for w in weights):
        raise ValueError("allocate_minor needs a non-negative amount and weights")
    total = sum(weights)
    if total == 0:
        if amount:
            raise ValueError("Cannot allocate a non-zero amount over zero weights")
        return [0 for _ in weights]
    shares = [amount * w // total for w in weights]
    leftover = amount - sum(shares)
    by_remainder = sorted(range(len(weights)), key=lambda i: -(amount * weights[i] % total))
    for index in by_remainder[:leftover]:
        shares[index] += 1
    return shares
