"""Who is writing, from where: its own module so that the services' context (made at
every start) does not import the ledger and its tables (issue 19)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is writing, from where: recorded on every entry."""

    staff_id: int | None
    terminal: str
