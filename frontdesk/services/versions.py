"""Row versions: refuse a save based on an old read, and mark every change.

A screen reads a row's `version` with what it shows and passes it back on save as
`expected_version`; the service checks it and bumps it under the row lock it already
holds (PostgreSQL `SELECT … FOR UPDATE`; SQLite's write lock from `BEGIN IMMEDIATE`), in
the transaction that makes the change, so of two saves based on the same read exactly
one passes. `expected_version=None` means the caller read nothing it could be stale
against (a script, a status change from a list): the change is still marked.
"""

from __future__ import annotations

from frontdesk.db.actor import Actor
from frontdesk.db.tables import utcnow
from frontdesk.db.tables.base import Versioned
from frontdesk.domain.errors import StaleVersion


def check_version(row: Versioned, expected_version: int | None) -> None:
    """Refuse (`StaleVersion`, naming who changed it and when) if `row` moved on since
    the caller read `expected_version`. Call it with the row locked."""
    if expected_version is not None and row.version != expected_version:
        raise StaleVersion(row.changed_terminal, row.changed_at, row.version)


def mark_changed(row: Versioned, actor: Actor) -> None:
    """One more version, changed here, by the signed-in staff member, now."""
    row.version = (row.version or 0) + 1  # a row not yet flushed starts at 1
    row.changed_terminal = actor.terminal
    row.changed_by = actor.staff_id
    row.changed_at = utcnow()


def save_checked(row: Versioned, actor: Actor, expected_version: int | None) -> None:
    """`check_version`, then `mark_changed`: the step every save takes under the lock."""
    check_version(row, expected_version)
    mark_changed(row, actor)
