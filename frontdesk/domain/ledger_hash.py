"""The hash that chains each account's ledger entries (docs/rules.md#the-ledger, L10).

An entry's hash covers everything it records and the hash of the entry before it in the
same account, so editing, removing or reordering an entry breaks the chain from there on.
The poster, the migration that backfilled the chain and `frontdesk audit verify` all use
this one definition.

The encoding is JSON with sorted keys and no spaces, ASCII only: every field is named,
strings are quoted and escaped, so no two different entries encode alike. The time is
UTC to the microsecond in ISO form, because SQLite hands back a naive time and
PostgreSQL an aware one for the same instant; both must give the same text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, fields

GENESIS = ""
"""The previous hash of an account's first entry."""

HASH_LENGTH = 64  # hex SHA-256


@dataclass(frozen=True, slots=True)
class EntryContent:
    """What one ledger entry records, as the hash sees it (its id is not known before
    the insert, and the order is kept by the chain itself)."""

    account_id: int
    amount: int
    balance_after: int
    reason: str
    description: str
    staff_id: int | None
    approved_by: int | None
    terminal: str
    created_at: dt.datetime
    ticket_id: int | None
    appointment_id: int | None
    reverses_entry_id: int | None


FIELDS = tuple(f.name for f in fields(EntryContent))


def utc(when: dt.datetime) -> dt.datetime:
    """The same instant, aware and in UTC. A naive time is UTC already: it is what SQLite
    gives back for a time written in UTC."""
    if when.tzinfo is None:
        return when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def time_text(when: dt.datetime) -> str:
    """`2026-03-11T09:30:00.000000Z`: fixed width, whatever the engine handed back."""
    return utc(when).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def encode(content: EntryContent, previous: str) -> bytes:
    """The canonical bytes the hash is taken over."""
    named = {
        "account_id": content.account_id,
        "amount": content.amount,
        "balance_after": content.balance_after,
        "reason": content.reason,
        "description": content.description,
        "staff_id": content.staff_id,
        "approved_by": content.approved_by,
        "terminal": content.terminal,
        "created_at": time_text(content.created_at),
        "ticket_id": content.ticket_id,
        "appointment_id": content.appointment_id,
        "reverses_entry_id": content.reverses_entry_id,
        "previous": previous,
    }
    return json.dumps(named, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def entry_hash(content: EntryContent, previous: str) -> str:
    """Hex SHA-256 of the entry's content and the hash of the entry before it."""
    return hashlib.sha256(encode(content, previous)).hexdigest()
