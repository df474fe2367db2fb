"""What another terminal (or this one, or any tool) changed: the change feed's one message.

PostgreSQL names the tables and clients a commit touched (migration 0012's triggers);
SQLite only knows that something was committed, and a feed that lost its connection
cannot know what it missed: both are `EVERYTHING`, which concerns every screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# The tables a desk shows whose changes are signalled (migration 0012 has the same list).
CLIENTS = "clients"
MEMBERSHIPS = "memberships"
ACCOUNTS = "stored_value_accounts"
ENTRIES = "ledger_entries"
APPOINTMENTS = "appointments"
ADDONS = "appointment_addons"
OPEN_TICKETS = "open_tickets"
TICKETS = "tickets"
BALANCES = frozenset({ACCOUNTS, ENTRIES})
WATCHED = frozenset(
    {CLIENTS, MEMBERSHIPS, ACCOUNTS, ENTRIES, APPOINTMENTS, ADDONS, OPEN_TICKETS, TICKETS}
)


@dataclass(frozen=True)
class Change:
    """Tables changed, and the clients named (a row without a client names none)."""

    tables: frozenset[str] = frozenset()
    client_ids: frozenset[int] = frozenset()
    # Some row had no client (or the feed cannot say): every client may be concerned.
    any_client: bool = False
    everything: bool = False

    def concerns(self, tables: Iterable[str], client_id: int | None = None) -> bool:
        """Whether a screen showing `tables` (for `client_id`, if it shows one) must re-read.
        One that shows none of them (a form, a fixed list) never does."""
        tables = frozenset(tables)
        if not tables:
            return False
        if self.everything:
            return True
        if self.tables.isdisjoint(tables):
            return False
        return client_id is None or self.any_client or client_id in self.client_ids

    def __or__(self, other: Change) -> Change:
        return Change(
            self.tables | other.tables,
            self.client_ids | other.client_ids,
            self.any_client or other.any_client,
            self.everything or other.everything,
        )

    @classmethod
    def from_payloads(cls, payloads: Iterable[str]) -> Change:
        """From the triggers' "<table>:<client id>" notifications (client may be empty)."""
        tables: set[str] = set()
        clients: set[int] = set()
        any_client = False
        for payload in payloads:
            table, _, client = payload.partition(":")
            tables.add(table)
            if client.isdigit():
                clients.add(int(client))
            else:
                any_client = True
        return cls(frozenset(tables), frozenset(clients), any_client)


EVERYTHING = Change(WATCHED, everything=True, any_client=True)
