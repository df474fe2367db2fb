"""A new client as staff type them at the desk: the rules for each field, and how the
text typed into a search that found nobody pre-fills the form.

The fields follow Profile Details (`frontdesk.domain.fields`), so a client added here
can be saved there again unchanged: first and last name required, phone, email and
date of birth optional but checked when given, no control or hidden characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.fields import clean_email, clean_name, clean_phone, parse_birthday
from frontdesk.domain.normalize import digits, fold, has_forbidden

# The form's fields, in the order they are shown and checked.
FIELDS = ("first_name", "last_name", "phone", "email", "birthday")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class NewClient:
    """A new client's checked fields: what the database may take."""

    first_name: str
    last_name: str
    phone: str = ""
    email: str = ""
    birthday: dt.date | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def phone_digits(self) -> str:
        return digits(self.phone)

    @property
    def email_lower(self) -> str:
        return self.email.casefold()

    @property
    def folded_first(self) -> str:
        return fold(self.first_name)

    @property
    def folded_last(self) -> str:
        return fold(self.last_name)


def _take(problems: dict[str, str], check: Callable[[], T]) -> T | None:
    try:
        return check()
    except ValidationError as exc:
        problems[exc.field] = exc.message
        return None


def new_client_problems(
    *,
    first_name: str,
    last_name: str,
    phone: str = "",
    email: str = "",
    birthday: str = "",
    today: dt.date,
) -> tuple[NewClient | None, dict[str, str]]:
    """Every field checked: the new client and no problems, or None and each bad field's
    message by field name (a form shows them all at once)."""
    problems: dict[str, str] = {}
    first = _take(problems, lambda: clean_name(first_name, "first_name", "first name"))
    last = _take(problems, lambda: clean_name(last_name, "last_name", "last name"))
    phone_text = _take(problems, lambda: clean_phone(phone))
    email_text = _take(problems, lambda: clean_email(email))
    born = _take(problems, lambda: parse_birthday(birthday, today))
    if problems or first is None or last is None or phone_text is None or email_text is None:
        return None, problems
    return NewClient(first, last, phone_text, email_text, born), {}


def clean_new_client(
    *,
    first_name: str,
    last_name: str,
    phone: str = "",
    email: str = "",
    birthday: str = "",
    today: dt.date,
) -> NewClient:
    """The new client, or a `ValidationError` naming the first bad field (form order)."""
    client, problems = new_client_problems(
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        email=email,
        birthday=birthday,
        today=today,
    )
    if client is None:
        field = next(f for f in FIELDS if f in problems)
        raise ValidationError(field, problems[field])
    return client


@dataclass(frozen=True, slots=True)
class Prefill:
    """What a search's typed text says about the person it did not find."""

    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""


def prefill_from_search(text: str) -> Prefill:
    """An email goes to Email, digits (with + ( ) - . /) to Phone, and words to the names:
    "Last, First" by its comma, else the first word is the first name and the rest the
    last name ("Ana de la Cruz"). Hidden characters are dropped, not carried over."""
    typed = "".join(ch for ch in text if not has_forbidden(ch)).strip()
    if not typed:
        return Prefill()
    if "@" in typed:
        return Prefill(email=typed)
    if not any(ch.isalpha() for ch in typed) and any("0" <= ch <= "9" for ch in typed):
        return Prefill(phone=typed)
    if "," in typed:
        last, _, first = typed.partition(",")
        return Prefill(first_name=" ".join(first.split()), last_name=" ".join(last.split()))
    words = typed.split()
    return Prefill(first_name=words[0], last_name=" ".join(words[1:]))
