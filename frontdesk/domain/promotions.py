"""Promotion codes: whether a code typed at the till may be used today, by this client.

A code is stored folded (``fold_code``), so "spring10" and "SPRING10" are the same code.
``check_code`` turns a code's terms into the checkout's ``Promotion`` or refuses it with
a ``ValidationError`` on the ``promotion_code`` field, in the order a person would ask:
does it exist, has it started, has it ended, has this client already used it.
Dates in messages follow the store's locale, as amounts do (``format_money``).
Rules: docs/rules.md#checkout-order, C4 and C9.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date

from frontdesk.domain.checkout import Promotion
from frontdesk.domain.errors import ValidationError

FIELD = "promotion_code"
CODE_MAX = 40


@dataclass(frozen=True, slots=True)
class PromotionTerms:
    """A code as stored: exactly one of ``percent`` and ``fixed`` (in the store's currency);
    valid from ``valid_from`` to ``valid_to`` inclusive (no end when None)."""

    code: str
    description: str
    percent: Decimal | None
    fixed: Decimal | None
    valid_from: dt.date
    valid_to: dt.date | None
    once_per_client: bool
    active: bool = True


def fold_code(text: str) -> str:
    """The stored form of a code: compatibility-normalised, trimmed, upper case."""
    return unicodedata.normalize("NFKC", text).strip().upper()


def format_day(day: dt.date, locale: str) -> str:
    """A date as the store's locale writes it in a sentence: "31 Oct 2026" in en_GB."""
    return format_date(day, "medium", locale=locale)


def check_code(
    terms: PromotionTerms | None,
    today: dt.date,
    *,
    used_by_client: bool,
    locale: str,
) -> Promotion:
    """The promotion ``terms`` grant today, or a ``ValidationError`` saying why not.

    ``terms`` is None when no code matched what was typed; an inactive code reads the
    same ("Unknown code"): staff cannot tell a withdrawn code from a mistyped one, and
    need not.
    """
    if terms is None or not terms.active:
        raise ValidationError(FIELD, "Unknown code")
    if today < terms.valid_from:
        raise ValidationError(FIELD, f"This code starts on {format_day(terms.valid_from, locale)}")
    if terms.valid_to is not None and today > terms.valid_to:
        raise ValidationError(FIELD, f"This code expired on {format_day(terms.valid_to, locale)}")
    if terms.once_per_client and used_by_client:
        raise ValidationError(FIELD, "Already used by this client")
    return Promotion(percent=terms.percent, fixed=terms.fixed)
