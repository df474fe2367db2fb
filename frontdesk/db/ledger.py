"""Posting to the one append-only ledger. The only code that changes a cached balance.

Every change to any stored value goes through `post`: it locks the account row
(PostgreSQL `FOR UPDATE`; SQLite already holds the write lock from BEGIN IMMEDIATE) and
appends an entry with the running `balance_after`. Entries are never updated or deleted.
The cached balance moves in the same statement: a trigger on the entries table
(migration 0022) sets the account's `balance` and `last_hash` to the inserted entry's
`balance_after` and `entry_hash`, so a posting is a locked read and one INSERT.

Each account's entries form a hash chain (`frontdesk.domain.ledger_hash`): the locked
read returns the newest entry's hash with the balance, and the trigger moves
`last_hash` with the balance, so the chain costs no statement of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Table, func, inspect, select
from sqlalchemy import insert as core_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from frontdesk.db.actor import Actor
from frontdesk.db.core_exec import execute
from frontdesk.db.ledger_accounts import (
    Head,
    Locked,
    Wanted,
    get_or_create_account,
    item_key,
    lock_account,
    lock_accounts,
    lock_client_accounts,
    lock_heads,
)
from frontdesk.db.tables import LedgerEntry, StoredValueAccount
from frontdesk.db.tables.base import utcnow
from frontdesk.domain.errors import AlreadyReversed, InsufficientBalance, NotFound, NotSignedIn
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.ledger_hash import FIELDS, GENESIS, EntryContent, entry_hash, utc

__all__ = [  # the accounts' finding and locking, kept importable from here
    "Actor",
    "Head",
    "LedgerBatch",
    "Locked",
    "Wanted",
    "balance_after",
    "get_or_create_account",
    "item_key",
    "lock_account",
    "lock_accounts",
    "lock_client_accounts",
    "lock_heads",
    "post",
    "reverse",
]


def balance_after(before: int, amount: int, *, allow_negative: bool) -> int:
    """The one rule every posting follows: a non-zero amount, and no debit that takes the
    balance below zero unless it is allowed."""
    if amount == 0:
        raise ValueError("a ledger entry moves a non-zero amount")
    after = before + amount
    if after < 0 and amount < 0 and not allow_negative:
        raise InsufficientBalance(available=before, requested=-amount)
    return after


async def post(
    session: AsyncSession,
    account_id: int,
    amount: int,
    *,
    reason: str,
    description: str,
    actor: Actor,
    ticket_id: int | None = None,
    appointment_id: int | None = None,
    reverses_entry_id: int | None = None,
    allow_negative: bool = False,
    when: dt.datetime | None = None,
    approved_by: int | None = None,
    head: Head | None = None,
) -> LedgerEntry:
    """Append one entry (its trigger moves the cached balance); refuse to go below zero
    unless allowed.

    `head`: the account's head as this transaction read it under the lock
    (`lock_account`), so the posting is one INSERT; only for the first
    posting to that account after the lock (a second one needs the head the first left,
    which is the returned entry's `balance_after` and `entry_hash`). Without it the
    account is locked and read here."""
    if amount == 0:
        raise ValueError("a ledger entry moves a non-zero amount")
    if head is None:
        head = (await lock_heads(session, [account_id])).get(account_id)
    if head is None:
        raise NotFound("stored-value account")
    after = balance_after(head.balance, amount, allow_negative=allow_negative)
    entry = _entry(
        account_id,
        amount,
        after,
        previous=head.last_hash,
        reason=reason,
        description=description,
        actor=actor,
        ticket_id=ticket_id,
        appointment_id=appointment_id,
        reverses_entry_id=reverses_entry_id,
        when=when,
        approved_by=approved_by,
    )
    await _write_entry(session, entry, after)
    return entry


# A posting's one write, built once, Core on the table (issue 19: Python per write): the
# ORM's unit of work costs more than the statement itself. What the ORM did for free is
# done in `_write_entry`.
_ENTRIES = cast(Table, LedgerEntry.__table__)
_ENTRY_COLUMNS = tuple(c.key for c in _ENTRIES.c if c.key != "id")
_INSERT_ENTRY = core_insert(_ENTRIES).returning(_ENTRIES.c.id)


async def _write_entry(session: AsyncSession, entry: LedgerEntry, after: int) -> None:
    """Append `entry` (its id set, as a flush sets it); its trigger moves the account's
    cached balance and head (migration 0022). Objects the session holds are flushed
    first, as the ORM's own flush did (an entry may name a row added just before)."""
    sync = session.sync_session
    if sync.new or sync.dirty or sync.deleted:
        await session.flush()
    values = {name: getattr(entry, name) for name in _ENTRY_COLUMNS}
    entry.id = (await execute(session, _INSERT_ENTRY, values)).scalar_one()
    _held_in_step(session, entry.account_id, Head(after, entry.entry_hash))


def _held_in_step(session: AsyncSession, account_id: int, head: Head) -> None:
    """An account row the session holds is given the head the trigger wrote, as the
    ORM's own UPDATE kept it: the database changed it behind the session's back."""
    held = session.sync_session.identity_map.get(_account_key(account_id))
    if held is not None:
        set_committed_value(held, "balance", head.balance)
        set_committed_value(held, "last_hash", head.last_hash)


_ACCOUNT_MAPPER = inspect(StoredValueAccount)


def _account_key(account_id: int) -> Any:
    return _ACCOUNT_MAPPER.identity_key_from_primary_key((account_id,))


def _entry(
    account_id: int,
    amount: int,
    after: int,
    *,
    previous: str,
    reason: str,
    description: str,
    actor: Actor,
    ticket_id: int | None = None,
    appointment_id: int | None = None,
    reverses_entry_id: int | None = None,
    when: dt.datetime | None = None,
    approved_by: int | None = None,
) -> LedgerEntry:
    """The entry row `post` and `LedgerBatch.post` write: who, where, when, and why, and
    its hash, chained to `previous` (the account's newest entry's hash). Nobody signed
    in writes nothing: every entry names who made it (docs/rules.md#the-ledger, L3)."""
    if actor.staff_id is None:
        raise NotSignedIn()
    content = EntryContent(
        account_id=account_id,
        amount=amount,
        balance_after=after,
        reason=reason,
        description=description,
        staff_id=actor.staff_id,
        approved_by=approved_by,
        terminal=actor.terminal,
        # In UTC before it is written: SQLite keeps the wall time and drops the zone, so
        # any other zone would read back as a different instant and break the hash.
        created_at=utc(when or utcnow()),
        ticket_id=ticket_id,
        appointment_id=appointment_id,
        reverses_entry_id=reverses_entry_id,
    )
    return LedgerEntry(
        account_id=account_id,
        amount=amount,
        balance_after=after,
        reason=reason,
        description=description,
        staff_id=actor.staff_id,
        approved_by=approved_by,
        terminal=actor.terminal,
        ticket_id=ticket_id,
        appointment_id=appointment_id,
        reverses_entry_id=reverses_entry_id,
        created_at=content.created_at,
        entry_hash=entry_hash(content, previous),
    )


def chain_rows(rows: list[dict[str, Any]], previous: str = GENESIS) -> str:
    """Hash entry rows about to be inserted in bulk, in order, all of one account whose
    newest hash is `previous`; return the new newest hash for its `last_hash`. Times are
    made UTC as `_entry` makes them."""
    for row in rows:
        row["created_at"] = utc(row["created_at"])
        named: dict[str, Any] = {name: row.get(name) for name in FIELDS}
        content = EntryContent(**named)
        row["entry_hash"] = previous = entry_hash(content, previous)
    return previous


async def entry_value(session: AsyncSession, entry_id: int) -> int:
    """What an entry moved, in minor units: money as it is, units and visits at their
    sale value (the two-person rule weighs a reversal by this)."""
    row = (
        await session.execute(
            select(LedgerEntry.amount, StoredValueAccount.unit_value_minor)
            .join(StoredValueAccount, StoredValueAccount.id == LedgerEntry.account_id)
            .where(LedgerEntry.id == entry_id)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("ledger entry")
    return abs(int(row.amount)) * int(row.unit_value_minor)


async def reverse(
    session: AsyncSession,
    entry_id: int,
    *,
    description: str,
    actor: Actor,
    reason: str = "reversal",
    ticket_id: int | None = None,
    approved_by: int | None = None,
) -> LedgerEntry:
    """Undo an entry by a new, opposite entry, once. "Already reversed" is checked under
    the account's lock, so of two terminals reversing at once the second waits and is
    told `AlreadyReversed`; the unique `reverses_entry_id` stays as the last guard (its
    violation is `AlreadyReversed` too). Entries a ticket or an appointment owns are
    reversed here by their refund or their add-on's removal; the Account tab's
    `reverse_entry` refuses them before calling this."""
    original = await session.get(LedgerEntry, entry_id)
    if original is None:
        raise NotFound("ledger entry")
    if original.reverses_entry_id is not None:
        raise AlreadyReversed(entry_id)
    # Lock the account first, then look for a reversal: a terminal that reversed this
    # entry a moment ago has committed by the time the lock is ours, so the second one
    # sees it and is refused here rather than by the unique key.
    account = await session.get(
        StoredValueAccount, original.account_id, with_for_update=True, populate_existing=True
    )
    assert account is not None  # an entry's account is never deleted
    already = await session.scalar(
        select(func.count())
        .select_from(LedgerEntry)
        .where(LedgerEntry.reverses_entry_id == entry_id)
    )
    if already:
        raise AlreadyReversed(entry_id)
    try:
        return await post(
            session,
            original.account_id,
            -original.amount,
            reason=reason,
            description=description,
            actor=actor,
            ticket_id=ticket_id if ticket_id is not None else original.ticket_id,
            appointment_id=original.appointment_id,
            reverses_entry_id=entry_id,
            approved_by=approved_by,
            # Giving back what was spent is never refused; taking back units, visits or
            # wallet money that were already spent is. An account balance may go into "owed".
            allow_negative=account.kind == StoredValueKind.ACCOUNT_MONEY.value,
        )
    except IntegrityError as exc:
        # The unique `reverses_entry_id`, the last guard: another terminal won the race.
        if "reverses_entry_id" in str(exc.orig):
            raise AlreadyReversed(entry_id) from exc
        raise


class LedgerBatch:
    """Many entries in one transaction the caller owns (the demo seed, a checkout): the
    same rules as `post` (non-zero, never below zero unless allowed, `balance_after`
    running), but each account is locked once and the entries are written together on
    `flush()` (their trigger moves the cached balances). Three statements per entry made
    a first `--demo` take seconds.

    Call `flush()` before anything else reads these accounts (`reverse`, `post`) or needs
    an entry's id.
    """

    def __init__(self, session: AsyncSession, actor: Actor) -> None:
        self.session = session
        self.actor = actor
        self._heads: dict[int, Head] = {}
        self._dirty: set[int] = set()

    def locked(self, heads: dict[int, Head]) -> None:
        """Accounts this transaction has locked already and read the heads of (nothing
        posted to them since): posting to them needs no other read."""
        self._heads.update(heads)

    async def lock(self, account_ids: list[int]) -> None:
        """Lock these accounts up front in one statement (id order, like `post`)."""
        ids = sorted(set(account_ids))
        for chunk in range(0, len(ids), 500):
            self._heads.update(await lock_heads(self.session, ids[chunk : chunk + 500]))

    async def post(
        self,
        account_id: int,
        amount: int,
        *,
        reason: str,
        description: str,
        appointment_id: int | None = None,
        allow_negative: bool = False,
        when: dt.datetime | None = None,
        approved_by: int | None = None,
        ticket_id: int | None = None,
    ) -> LedgerEntry:
        if account_id not in self._heads:
            locked = await lock_heads(self.session, [account_id])
            if account_id not in locked:
                raise NotFound("stored-value account")
            self._heads.update(locked)
        head = self._heads[account_id]
        after = balance_after(head.balance, amount, allow_negative=allow_negative)
        entry = _entry(
            account_id,
            amount,
            after,
            previous=head.last_hash,
            reason=reason,
            description=description,
            actor=self.actor,
            ticket_id=ticket_id,
            appointment_id=appointment_id,
            when=when,
            approved_by=approved_by,
        )
        self._heads[account_id] = Head(after, entry.entry_hash)
        self._dirty.add(account_id)
        self.session.add(entry)
        return entry

    async def flush(self) -> None:
        """Insert the entries; their trigger moves each account to its last one's head
        (rows fire in insertion order on both engines)."""
        await self.session.flush()
        for account_id in sorted(self._dirty):
            _held_in_step(self.session, account_id, self._heads[account_id])
        self._dirty.clear()
        self._heads.clear()  # others may post next: read fresh heads after this
