"""Cleaning what staff type into name, phone, email, note and date fields.

Each function returns the value a rule or the database may take, or raises a
``ValidationError`` naming the field, with a message staff can act on. Amounts,
quantities and one-line descriptions are ``frontdesk.domain.parsing``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.normalize import has_forbidden

NAME_MAX = 120
EMAIL_MAX = 120
NOTE_MAX = 2000
DATE_FORMS = "Type the date as YYYY-MM-DD or DD/MM/YYYY"

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_PHONE_CHARS = re.compile(r"[0-9 +()\-./]+")
# ASCII digits only: `\d` would take Arabic-Indic or full-width digits too.
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_ISO_SHORT = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DAYS_AHEAD = re.compile(r"\+\s*([0-9]{1,3})")
_RELATIVE_WORDS = {"today": 0, "tomorrow": 1, "yesterday": -1}


def clean_name(text: str, field: str, label: str) -> str:
    cleaned = unicodedata.normalize("NFC", text).strip()
    if not cleaned:
        raise ValidationError(field, f"Enter a {label}")
    if has_forbidden(cleaned):
        raise ValidationError(field, "Use plain text (no tabs, line breaks or hidden characters)")
    if len(cleaned) > NAME_MAX:
        raise ValidationError(field, f"Keep the {label} to 120 characters (now {len(cleaned)})")
    return cleaned


def clean_phone(text: str) -> str:
    """Empty, or 7-15 digits written with spaces, +, brackets, dots or dashes."""
    cleaned = text.strip()
    if not cleaned:
        return ""
    if not _PHONE_CHARS.fullmatch(cleaned):
        raise ValidationError("phone", "Type the phone number with digits 0-9 (and + ( ) -)")
    n = sum("0" <= ch <= "9" for ch in cleaned)
    if not 7 <= n <= 15:
        raise ValidationError("phone", f"A phone number has 7 to 15 digits (this has {n})")
    return cleaned


def clean_email(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        return ""
    if len(cleaned) > EMAIL_MAX:
        raise ValidationError("email", "Keep the email address to 120 characters")
    # ASCII too: ESC, NUL and DEL are ASCII, and the address pattern below lets them by.
    if has_forbidden(cleaned):
        raise ValidationError("email", "Type the email address like name@example.com")
    if not _EMAIL.fullmatch(cleaned):
        raise ValidationError("email", "Type the email address like name@example.com")
    return cleaned


def clean_note(text: str, field: str = "note", *, required: bool = False) -> str:
    """Free text that may span lines (notes); other control characters are refused."""
    cleaned = unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()
    if not cleaned:
        if required:
            raise ValidationError(field, "Enter a note")
        return ""
    if has_forbidden(cleaned, allow="\n"):
        raise ValidationError(field, "Use plain text (no tabs or hidden characters)")
    if len(cleaned) > NOTE_MAX:
        raise ValidationError(field, f"Keep it to {NOTE_MAX} characters (now {len(cleaned)})")
    return cleaned


def choice(value: str, allowed: Sequence[str], field: str) -> str:
    """`value` if it is one of `allowed` (a fixed list a form offers), else a ValidationError."""
    if value not in allowed:
        raise ValidationError(field, f"Choose one of: {', '.join(allowed)}")
    return value


def parse_date(
    text: str,
    field: str,
    *,
    relative_to: dt.date | None = None,
    short_iso: bool = False,
    hint: str = DATE_FORMS,
) -> dt.date | None:
    """ "" -> None; YYYY-MM-DD or DD/MM/YYYY -> a real calendar date.

    With `relative_to` (the booking form's "today") the words "today", "tomorrow",
    "yesterday" (any case) and "+N" (N days ahead, up to 999) count from it; with
    `short_iso` YYYY-M-D may drop the leading zeros. Anything else is a ValidationError
    on `field` saying `hint`, or that the date does not exist (31/02).
    """
    body = text.strip()
    if not body:
        return None
    if relative_to is not None:
        day = _relative_day(body.lower(), relative_to)
        if day is not None:
            return day
    parts = _year_month_day(body, short_iso)
    if parts is None:
        raise ValidationError(field, hint)
    try:
        return dt.date(*parts)
    except ValueError:
        raise ValidationError(field, f"{body} is not a real date") from None


def _relative_day(body: str, today: dt.date) -> dt.date | None:
    if body in _RELATIVE_WORDS:
        return today + dt.timedelta(days=_RELATIVE_WORDS[body])
    if match := _DAYS_AHEAD.fullmatch(body):
        return today + dt.timedelta(days=int(match.group(1)))
    return None


def _year_month_day(body: str, short_iso: bool) -> tuple[int, int, int] | None:
    if match := (_ISO_SHORT if short_iso else _ISO).fullmatch(body):
        return int(match.group(1)), int(match.group(2)), int(match.group(3))
    if match := _DMY.fullmatch(body):
        return int(match.group(3)), int(match.group(2)), int(match.group(1))
    return None


def parse_birthday(text: str, today: dt.date) -> dt.date | None:
    day = parse_date(text, "birthday")
    if day is None:
        return None
    if day >= today:
        raise ValidationError("birthday", "A birthday must be in the past")
    if day.year < 1900:
        raise ValidationError("birthday", "A birthday must be after 1900")
    return day
