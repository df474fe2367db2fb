"""A unique-key race, or a number out of the database's range, named in desk words.

Two terminals can both read "absent" and both insert: the database's unique key refuses
the second one, with the driver's text (`IntegrityError`, `UniqueViolationError`,
"UNIQUE constraint failed"). `mapped` turns that, at the edge of every transaction, into
the domain error the key means ("Another terminal took that client number"), so no
driver text ever reaches a screen or the CLI; a number too big for its column (a bad id)
becomes a plain "out of range" (quantities are checked as field errors before this).
Races with a sharper meaning are mapped where they happen (`ledger.reverse`:
`AlreadyReversed`) or avoided outright (`ledger.get_or_create_account` inserts if absent).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import cache

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from frontdesk.db.tables import full_metadata
from frontdesk.domain.errors import DomainError, RaceLost, ValidationError

GENERIC = "Another terminal changed this at the same moment — nothing was saved; try again"
GONE = "Something this change refers to was removed on another terminal — nothing was saved"
OUT_OF_RANGE = "A number is out of range — nothing was saved"

# "table.column" of a unique key → what losing the race on it means, for the desk.
MEANINGS: dict[str, Callable[[str], DomainError]] = {
    "clients.client_number": lambda key: RaceLost(
        "Another terminal took that client number; try again", key
    ),
    "tickets.idempotency_key": lambda key: RaceLost(
        "This ticket was completed on another terminal at the same moment", key
    ),
    "open_tickets.idempotency_key": lambda key: RaceLost(
        "Another terminal left this ticket open at the same moment; resume it from Open tickets",
        key,
    ),
    "ledger_entries.reverses_entry_id": lambda key: RaceLost(
        "That entry was reversed on another terminal at the same moment", key
    ),
    "payments.reverses_payment_id": lambda key: RaceLost(
        "This ticket was refunded on another terminal at the same moment", key
    ),
    "stored_value_accounts.client_id": lambda key: RaceLost(GENERIC, key),
    "membership_cycles.membership_id": lambda key: RaceLost(
        "This membership's renewal was recorded on another terminal at the same moment", key
    ),
    "promotion_uses.promotion_id": lambda _: ValidationError(
        "promotion_code", "Already used by this client"
    ),
    "promotion_uses.ticket_id": lambda key: RaceLost(
        "This ticket already carries a promotion code", key
    ),
    "client_relationships.client_id": lambda _: ValidationError(
        "related_client", "These clients were linked on another terminal at the same moment"
    ),
    "cash_drawers.location_id": lambda _: ValidationError(
        "float", "The cash drawer was opened on this terminal at the same moment"
    ),
    "locations.name": lambda _: ValidationError("name", "A location with that name exists"),
    "promotions.code": lambda _: ValidationError("code", "A promotion with that code exists"),
}

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (\w+\.\w+)")
_PG_UNIQUE = re.compile(r'unique constraint "(\w+)"')


@cache
def _constraint_keys() -> dict[str, str]:
    """PostgreSQL names a unique key by its constraint name (the naming convention's
    `uq_<table>_<column>`, or an index's name): each one's "table.first column"."""
    keys: dict[str, str] = {}
    for table in full_metadata().tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.name:
                first = next(iter(constraint.columns))
                keys[str(constraint.name)] = f"{table.name}.{first.name}"
        for index in table.indexes:
            if isinstance(index, Index) and index.unique and index.name:
                first = next(iter(index.columns))
                keys[str(index.name)] = f"{table.name}.{first.name}"
    return keys


def violated_key(exc: IntegrityError) -> str | None:
    """The unique key `exc` is about as "table.column" (its first column), or None when
    it is not a unique key (a foreign key, a check) or unknown."""
    text = str(exc.orig)
    found = _SQLITE_UNIQUE.search(text)
    if found:
        return found.group(1)
    found = _PG_UNIQUE.search(text)
    if found:
        return _constraint_keys().get(found.group(1), found.group(1))
    return None


def race_error(exc: IntegrityError) -> DomainError:
    """The domain error losing this race means."""
    key = violated_key(exc)
    if key is not None:
        meaning = MEANINGS.get(key)
        return meaning(key) if meaning is not None else RaceLost(GENERIC, key)
    if "foreign key" in str(exc.orig).lower():
        return RaceLost(GONE)
    return RaceLost(GENERIC)


@asynccontextmanager
async def mapped() -> AsyncIterator[None]:
    """Around a transaction: a unique-key race or an out-of-range number leaves it as a
    domain error (the driver's exception stays as its cause, for the log)."""
    try:
        yield
    except IntegrityError as exc:
        raise race_error(exc) from exc
    except DBAPIError as exc:
        if not _out_of_range(exc):
            raise
        raise DomainError(OUT_OF_RANGE) from exc
    except OverflowError as exc:  # sqlite3 refuses an int past 64 bits itself
        raise DomainError(OUT_OF_RANGE) from exc


def _out_of_range(exc: DBAPIError) -> bool:
    """A number the column cannot hold (asyncpg's "value out of int32 range" arrives as
    a plain `DBAPIError`, PostgreSQL's own as a `DataError`)."""
    text = str(exc.orig).lower()
    return isinstance(exc, DataError) or "out of int" in text or "out of range" in text
