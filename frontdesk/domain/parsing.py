"""The one parser for what staff type into amount, quantity and description fields.

Python's own ``Decimal()`` and ``int()`` are far too forgiving for a till: they accept
"NaN", "Infinity", "1e3", Arabic-Indic and fullwidth digits and "1_000". Every field in
the app goes through these functions instead, so a value that reaches a rule is already a
plain, finite, correctly scaled number, and a rejected one comes back as a
``ValidationError`` naming the field with a message staff can act on.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import (
    format_currency,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
)

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.money import MAX_AMOUNT, currency_exponent, format_money
from frontdesk.domain.normalize import has_forbidden

# Unicode "space" group separators (fr_FR uses U+202F) cannot be typed on most keyboards,
# so any of these stand in for them.
_SPACE_GROUPS = frozenset({" ", "\u00a0", "\u202f"})

# Generous for any real amount ("-£1,000,000.00" is 14); bounds regex work on pasted junk.
_MAX_TYPED_LENGTH = 40


class _NumberSyntax:
    """Locale symbols and the grammar of a typed amount, built once per locale/currency."""

    def __init__(self, currency: str, locale: str) -> None:
        self.decimal = get_decimal_symbol(locale)
        group = get_group_symbol(locale)
        self.groups = _SPACE_GROUPS if group in _SPACE_GROUPS else frozenset({group})
        self.symbol = get_currency_symbol(currency, locale)
        primary, secondary = Locale.parse(locale).decimal_formats[None].grouping
        group_class = "".join(re.escape(g) for g in sorted(self.groups))
        dec = re.escape(self.decimal)
        # [0-9], never \d: \d matches every script's digits.
        grouped = (
            f"[0-9]{{1,{secondary}}}(?:[{group_class}][0-9]{{{secondary}}})*"
            f"[{group_class}][0-9]{{{primary}}}"
        )
        self.strict = re.compile(
            rf"(?P<int>[0-9]+|{grouped})(?:{dec}(?P<frac>[0-9]+))?|{dec}(?P<bare_frac>[0-9]+)"
        )
        # Digits and separators in a shape a human meant as a number, but mis-grouped.
        self.loose = re.compile(rf"[0-9{group_class}]+(?:{dec}[0-9]+)?")
        self.example = format_currency(Decimal("1234.50"), currency, locale=locale)


@lru_cache(maxsize=32)
def _syntax(currency: str, locale: str) -> _NumberSyntax:
    return _NumberSyntax(currency, locale)


def _has_foreign_digit(text: str) -> bool:
    return any(not ch.isascii() and unicodedata.category(ch) == "Nd" for ch in text)


def _take_sign(body: str, field: str) -> tuple[str | None, str]:
    if body[:1] not in ("-", "+"):
        return None, body
    rest = body[1:].lstrip()
    if rest[:1] in ("-", "+"):
        raise ValidationError(field, "Type at most one sign (+ or -)")
    return body[0], rest


def parse_amount(
    text: str,
    *,
    field: str,
    currency: str,
    locale: str,
    allow_negative: bool = False,
    allow_zero: bool = False,
    maximum: Decimal = MAX_AMOUNT,
) -> Decimal:
    """Parse a typed amount into a ``Decimal`` carrying exactly the currency's decimals.

    Accepts "25", "25.5", "1,234.56" (separators as the locale writes them, so "1.234,56"
    in de_DE), an optional sign and an optional currency symbol before or after the
    number. Rejects everything else, and anything ambiguous, rather than guessing.
    """
    syntax = _syntax(currency, locale)
    body = text.strip()
    _check_characters(body, syntax, field)
    negative, body = _take_sign_and_symbol(body, syntax, field)
    match = _match_number(body, syntax, field)
    exponent = currency_exponent(currency)
    value = _exact_value(match, exponent, currency, field)
    if value == 0:
        if not allow_zero:
            raise ValidationError(
                field,
                "Amount must not be zero" if allow_negative else "Amount must be more than zero",
            )
        # "-0" is zero; never hand a negative zero to code that branches on the sign.
        return Decimal(0).quantize(Decimal(1).scaleb(-exponent))
    if negative and not allow_negative:
        raise ValidationError(field, "Amount must not be negative")
    if value > maximum:
        raise ValidationError(
            field, f"Amount must be at most {format_money(maximum, currency, locale)}"
        )
    value = value.quantize(Decimal(1).scaleb(-exponent))
    return -value if negative else value


def _check_characters(body: str, syntax: _NumberSyntax, field: str) -> None:
    """Something typed, ASCII digits only, no other non-ASCII than the locale's symbols."""
    if not body:
        raise ValidationError(field, "Enter an amount")
    if _has_foreign_digit(body):
        raise ValidationError(field, "Type the amount with the digits 0-9")
    allowed_non_ascii = syntax.groups | {syntax.decimal, syntax.symbol}
    if any(not ch.isascii() and ch not in allowed_non_ascii for ch in body):
        raise ValidationError(field, f"Type the amount as digits, like {syntax.example}")


def _take_sign_and_symbol(body: str, syntax: _NumberSyntax, field: str) -> tuple[bool, str]:
    """(negative, the number alone) once an optional sign and currency symbol are off."""
    sign, body = _take_sign(body, field)
    if body.startswith(syntax.symbol):
        body = body[len(syntax.symbol) :].lstrip()
    elif body.endswith(syntax.symbol):
        body = body[: -len(syntax.symbol)].rstrip()
    # "£-5" is as clear as "-£5", so the sign may also follow the symbol; never both.
    late_sign, body = _take_sign(body, field)
    if sign is not None and late_sign is not None:
        raise ValidationError(field, "Type at most one sign (+ or -)")
    return (sign or late_sign) == "-", body


def _match_number(body: str, syntax: _NumberSyntax, field: str) -> re.Match[str]:
    match = syntax.strict.fullmatch(body) if len(body) <= _MAX_TYPED_LENGTH else None
    if match is None:
        if syntax.loose.fullmatch(body) and any(g in body for g in syntax.groups):
            raise ValidationError(
                field, f"Thousands separators are in the wrong place; type it like {syntax.example}"
            )
        raise ValidationError(field, f"Type the amount as digits, like {syntax.example}")
    return match


def _exact_value(match: re.Match[str], exponent: int, currency: str, field: str) -> Decimal:
    """The matched number, unsigned and unrounded, once its decimals fit the currency."""
    integer = match.group("int") or "0"
    fraction = match.group("frac") or match.group("bare_frac") or ""
    if len(fraction) > exponent:
        if exponent == 0:
            raise ValidationError(field, f"{currency} amounts are whole numbers")
        raise ValidationError(field, f"{currency} amounts have at most {exponent} decimal places")
    # Decimal() on a validated ASCII string is exact at any length; quantize is not (it
    # overflows past 28 digits), so the range checks come before it.
    return Decimal(f"{''.join(ch for ch in integer if ch.isdigit())}.{fraction or '0'}")


# The most units or visits one quantity may hold: far below PostgreSQL's 32-bit INTEGER,
# so a slipped key or a huge number is a field error here, never an overflow in a driver.
MAX_QUANTITY = 100_000
# The largest id a 32-bit INTEGER key holds: a bigger number names no row.
MAX_ID = 2**31 - 1


def check_quantity(value: int, *, field: str, minimum: int = 0, maximum: int = MAX_QUANTITY) -> int:
    """A quantity a service was given (not typed: `parse_quantity` reads typed ones)
    within ``minimum``..``maximum``, or a `ValidationError` on `field`."""
    if value < minimum:
        raise ValidationError(field, f"Number must be at least {minimum}")
    if value > maximum:
        raise ValidationError(field, f"Number must be at most {maximum}")
    return value


def parse_quantity(text: str, *, field: str, minimum: int = 0, maximum: int = MAX_QUANTITY) -> int:
    """Parse a typed whole number of units or visits within ``minimum``..``maximum``."""
    body = text.strip()
    if not body:
        raise ValidationError(field, "Enter a number")
    if _has_foreign_digit(body):
        raise ValidationError(field, "Type the number with the digits 0-9")
    if body.startswith("-") and body[1:].isascii() and body[1:].isdigit():
        raise ValidationError(field, "Number must not be negative")
    if not (body.isascii() and body.isdigit()):
        if re.fullmatch(r"[+-]?[0-9]*(?:[.,][0-9]+)+", body):
            raise ValidationError(field, "Type a whole number, without decimals or separators")
        raise ValidationError(field, "Type a whole number using the digits 0-9")
    # Compare lengths first: int() refuses strings over 4,300 digits with a ValueError.
    significant = body.lstrip("0") or "0"
    if len(significant) > len(str(maximum)) or int(significant) > maximum:
        raise ValidationError(field, f"Number must be at most {maximum}")
    value = int(significant)
    if value < minimum:
        raise ValidationError(field, f"Number must be at least {minimum}")
    return value


def parse_signed_quantity(text: str, *, field: str, maximum: int = MAX_QUANTITY) -> int:
    """A typed whole number to take away ("-20") or add ("+50", "50"); never zero, at
    most `maximum` either way."""
    body = text.strip()
    sign = -1 if body.startswith("-") else 1
    digits = body[1:] if body[:1] in ("-", "+") else body
    return sign * parse_quantity(digits, field=field, minimum=1, maximum=maximum)


def clean_description(
    text: str, *, field: str = "description", required: bool = True, max_length: int = 200
) -> str:
    """Trim a free-text reason/description and refuse characters that could hide content.

    Text is NFC-normalised first so "é" typed as e + combining accent counts (and later
    searches) as one character.
    """
    cleaned = unicodedata.normalize("NFC", text).strip()
    if not cleaned:
        if required:
            raise ValidationError(field, "Enter a description")
        return ""
    if has_forbidden(cleaned):
        raise ValidationError(
            field, "Use a single line of plain text (no tabs, line breaks or hidden characters)"
        )
    if len(cleaned) > max_length:
        raise ValidationError(
            field, f"Keep it to {max_length} characters (currently {len(cleaned)})"
        )
    return cleaned
