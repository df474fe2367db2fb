"""The store's money context: its currency and locale, carried together to every amount.

One value, built from the store settings when they are read, and handed to every screen
and service that shows or reads money. Nothing else chooses a currency or a locale, so a
JPY store never sees "3000.00" pre-filled in a field whose own parser then refuses it,
and an EUR/de_DE store reads and writes "1234,56".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_symbol, get_decimal_symbol, is_currency

from frontdesk.domain.money import (
    MAX_AMOUNT,
    currency_exponent,
    format_money,
    from_minor,
    to_minor,
)
from frontdesk.domain.parsing import parse_amount


def check_locale(locale: str) -> str:
    """``locale`` if babel knows it ("ja_JP", "de_DE"); ``ValueError`` otherwise."""
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"Unknown locale: {locale!r}") from None
    return locale


# The characters the display can draw; None: any. Set once at start-up by a terminal that
# lacks some (TERM=vt100 draws ASCII only: screens/terminal_caps.py). Process-wide because
# the terminal is: every amount on it is written the same way.
_drawable: frozenset[str] | None = None


def limit_symbols_to(chars: frozenset[str] | None) -> None:
    """Write amounts with only ``chars`` (None: any): a currency symbol, sign or space
    outside them gives way to the ISO code ("GBP 35.00", "-JPY 3,000"), so the currency
    is still shown, never a bare number."""
    global _drawable
    _drawable = chars


def _without_marks(text: str) -> str:
    # Direction marks (ar_BH writes them around the symbol) draw nothing where they work.
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def with_iso_code(text: str, currency: str, locale: str) -> str:
    """``text`` (babel's display form) with the symbol written as the ISO code and
    non-ASCII spaces, minus signs and direction marks made plain ("￥3,000" -> "JPY 3,000")."""
    symbol = _without_marks(get_currency_symbol(currency, locale))
    plain = _without_marks(text).replace("\u2212", "-")
    for space in ("\u00a0", "\u202f", "\u2009"):
        plain = plain.replace(space, " ")
    if symbol and symbol != currency and symbol in plain:
        before, _, after = plain.partition(symbol)
        if after[:1].isdigit():
            return f"{before}{currency} {after}"
        return f"{before.rstrip()} {currency}{after}"
    return plain


@dataclass(frozen=True, slots=True)
class MoneyContext:
    """A currency (ISO 4217) and the locale that writes its amounts, checked on creation."""

    currency: str
    locale: str

    def __post_init__(self) -> None:
        if not is_currency(self.currency):
            raise ValueError(f"Unknown currency code: {self.currency!r}")
        check_locale(self.locale)

    @property
    def exponent(self) -> int:
        """Digits after the decimal point (GBP 2, JPY 0, BHD 3)."""
        return currency_exponent(self.currency)

    def format(self, amount: Decimal) -> str:
        """Display form: "£41.50", "￥3,000", "1.234,56 €" ("GBP 41.50" where the
        display lacks "£": ``limit_symbols_to``)."""
        text = format_money(amount, self.currency, self.locale)
        drawable = _drawable
        if drawable is None or all(c in drawable for c in text):
            return text
        return with_iso_code(text, self.currency, self.locale)

    def parse(
        self,
        text: str,
        *,
        field: str,
        allow_negative: bool = False,
        allow_zero: bool = False,
        maximum: Decimal = MAX_AMOUNT,
    ) -> Decimal:
        """What staff typed, read by the one parser in this currency and locale."""
        return parse_amount(
            text,
            field=field,
            currency=self.currency,
            locale=self.locale,
            allow_negative=allow_negative,
            allow_zero=allow_zero,
            maximum=maximum,
        )

    def for_input(self, amount: Decimal) -> str:
        """What a field pre-fills for ``amount``: plain digits, the currency's decimals,
        the locale's decimal sign, no grouping or symbol ("30.00", "3000", "1234,56"),
        so that ``parse(for_input(x)) == x``."""
        minor = to_minor(amount, self.currency)
        sign = "-" if minor < 0 else ""
        digits = str(abs(minor)).rjust(self.exponent + 1, "0")
        if self.exponent == 0:
            return sign + digits
        whole, fraction = digits[: -self.exponent], digits[-self.exponent :]
        return f"{sign}{whole}{get_decimal_symbol(self.locale)}{fraction}"

    def to_minor(self, amount: Decimal) -> int:
        return to_minor(amount, self.currency)

    def from_minor(self, minor: int) -> Decimal:
        return from_minor(minor, self.currency)

    @property
    def zero(self) -> Decimal:
        return from_minor(0, self.currency)


@lru_cache(maxsize=16)
def money_context(currency: str, locale: str) -> MoneyContext:
    """The (checked, immutable) context for a store's pair, built once per pair."""
    return MoneyContext(currency, locale)
