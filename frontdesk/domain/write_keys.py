"""Idempotency keys for money writes: one key per modal, one write per key.

A modal that writes money (an adjustment, Pay Balance, a reversal, a prepaid
adjustment, add-to-service, a checkout) makes a key when it opens and sends the same key
with every submit of that modal: a double Enter or a retry after a lost connection then
writes once, and the second submit gets the first result back (marked replayed).

The key alone cannot tell a retry from a mistake (a key kept by a screen that was since
edited, a test or script reusing one): each write also records the hash of what it was
asked to do. The same key with the same request is a replay; the same key with a
different request is refused (`KeyReused`), never answered with the first result.

The hash is SHA-256 over canonical JSON: sorted keys, no spaces, ASCII only, decimals
normalised ("10", "10.0" and "10.00" are one amount), tuples as lists, enums as their
values, times in UTC ISO form. What the request *is* goes in; what only lets it through
(an approver's PIN, a "yes, below zero" confirmation, the count a picker last showed)
stays out, so asking again with a manager's PIN is the same request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum

from frontdesk.domain.errors import ValidationError

KEY_LENGTH = 64
"""Longest key accepted (the column's width); `new_key` makes 32 hex characters."""


def new_key() -> str:
    """A fresh key: what a modal makes when it opens (and a script per write)."""
    return uuid.uuid4().hex


def check_key(key: str, field: str = "key") -> str:
    """The key as given, or a ValidationError: 1-64 printable ASCII characters."""
    if not key or len(key) > KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise ValidationError(field, "A write needs a key of 1-64 printable ASCII characters")
    return key


def _plain(value: object) -> object:
    """`value` as JSON-ready data with one spelling per meaning."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite amount: {value}")
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    raise TypeError(f"cannot hash a {type(value).__name__}")


def canonical_json(value: object) -> str:
    """The one text of `value` the hash is taken over."""
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def payload_hash(operation: str, payload: Mapping[str, object]) -> str:
    """Hex SHA-256 of the operation and its request: equal exactly when they mean the same."""
    text = canonical_json({"operation": operation, "payload": payload})
    return hashlib.sha256(text.encode("ascii")).hexdigest()
