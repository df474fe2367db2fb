"""Posting to the one append-only ledger. The only code that changes a cached balance.

Every change to any stored value goes through `post`: it locks the account row
(PostgreSQL `FOR UPDATE`; SQLite already holds the write lock from BEGIN IMMEDIATE),
appends an entry with the running `balance_after`, and moves the cached balance in
the same transaction. Entries are never updated or deleted.

Each account's entries form a hash chain (`frontdesk.domain.ledger_hash`): the locked
read returns the newest entry's hash with the balance, and the UPDATE that moves the
balance moves `last_hash` too, so the chain costs no statement of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import LedgerEntry, StoredValueAccount
from frontdesk.db.tables.base import utcnow
from frontdesk.domain.errors import AlreadyReversed, InsufficientBalance, NotFound, NotSignedIn
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.ledger_hash import FIELDS, GENESIS, EntryContent, entry_hash, utc


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is writing, from where: recorded on every entry."""

    staff_id: int | None
    terminal: str


def item_key(kind: StoredValueKind, product_id: int | None, service_id: int | None) -> str:
    if kind is StoredValueKind.PRODUCT_UNITS:
        return f"product:{product_id}"
    if kind is StoredValueKind.PREPAID_VISITS:
        return f"service:{service_id}"
    if kind is StoredValueKind.WALLET_MONEY:
        return "wallet"
    return "account"


async def get_or_create_account(
    session: AsyncSession,
    client_id: int,
    kind: StoredValueKind,
    *,
    product_id: int | None = None,
    service_id: int | None = None,
    unit_value_minor: int = 1,
) -> StoredValueAccount:
    """The client's account of this kind and item, made if absent. Insert-if-absent (ON
    CONFLICT DO NOTHING, then read it), so two terminals giving a client their first
    credit at once both land on the one account instead of one failing on the unique
    key. An account that exists costs one read, as before."""
    key = item_key(kind, product_id, service_id)
    stmt = select(StoredValueAccount).where(
        StoredValueAccount.client_id == client_id,
        StoredValueAccount.kind == kind.value,
        StoredValueAccount.item_key == key,
    )
    account = (await session.execute(stmt)).scalar_one_or_none()
    if account is not None:
        return account
    values = {
        "client_id": client_id,
        "kind": kind.value,
        "item_key": key,
        "product_id": product_id,
        "service_id": service_id,
        "unit_value_minor": unit_value_minor,
        "balance": 0,
    }
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(StoredValueAccount)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["client_id", "kind", "item_key"])
    )
    return (await session.execute(stmt)).scalar_one()


@dataclass(frozen=True, slots=True)
class Head:
    """A locked account's newest state: its cached balance and its newest entry's hash."""

    balance: int
    last_hash: str


@dataclass(frozen=True, slots=True)
class Locked:
    """An account locked in this transaction, with its head as read under the lock."""

    id: int
    head: Head


async def lock_account(
    session: AsyncSession,
    client_id: int,
    kind: StoredValueKind,
    *,
    product_id: int | None = None,
    service_id: int | None = None,
    unit_value_minor: int = 1,
    only_existing: bool = False,
) -> Locked:
    """The client's account of this kind and item, locked, with its balance and newest
    hash: one statement when it exists (a posting's one locked read, issue 19). Absent,
    it is made as `get_or_create_account` makes it, then locked; or, `only_existing`,
    `LookupError` (the caller checks the client first)."""
    key = item_key(kind, product_id, service_id)
    stmt = (
        select(StoredValueAccount.id, StoredValueAccount.balance, StoredValueAccount.last_hash)
        .where(
            StoredValueAccount.client_id == client_id,
            StoredValueAccount.kind == kind.value,
            StoredValueAccount.item_key == key,
        )
        .with_for_update()
    )
    row = (await session.execute(stmt)).one_or_none()
    if row is None and only_existing:
        raise LookupError(key)
    if row is None:
        await get_or_create_account(
            session,
            client_id,
            kind,
            product_id=product_id,
            service_id=service_id,
            unit_value_minor=unit_value_minor,
        )
        row = (await session.execute(stmt)).one()
    return Locked(row.id, Head(row.balance, row.last_hash or GENESIS))


async def lock_heads(session: AsyncSession, account_ids: list[int]) -> dict[int, Head]:
    """Lock rows in id order (no deadlocks between terminals); return their fresh heads."""
    stmt = (
        select(StoredValueAccount.id, StoredValueAccount.balance, StoredValueAccount.last_hash)
        .where(StoredValueAccount.id.in_(sorted(set(account_ids))))
        .order_by(StoredValueAccount.id)
        .with_for_update()
    )
    rows = (await session.execute(stmt)).all()
    return {row.id: Head(row.balance, row.last_hash or GENESIS) for row in rows}


async def lock_accounts(session: AsyncSession, account_ids: list[int]) -> dict[int, int]:
    """Lock rows in id order (no deadlocks between terminals); return fresh balances."""
    return {i: head.balance for i, head in (await lock_heads(session, account_ids)).items()}


@dataclass(frozen=True, slots=True)
class Wanted:
    """One account a write will touch: its kind and item, and the unit value it is made
    with if it is new."""

    kind: StoredValueKind
    product_id: int | None = None
    service_id: int | None = None
    unit_value_minor: int = 1

    @property
    def key(self) -> str:
        return item_key(self.kind, self.product_id, self.service_id)


async def lock_client_accounts(
    session: AsyncSession, client_id: int, wanted: list[Wanted]
) -> dict[str, Locked]:
    """The client's accounts `wanted`, by item key, locked in id order with their heads:
    one statement when they all exist (a checkout's one locked read, issue 19). The
    missing ones are made first (`get_or_create_account`), then all are locked."""
    keys = sorted({w.key for w in wanted})
    stmt = (
        select(
            StoredValueAccount.id,
            StoredValueAccount.item_key,
            StoredValueAccount.balance,
            StoredValueAccount.last_hash,
        )
        .where(StoredValueAccount.client_id == client_id, StoredValueAccount.item_key.in_(keys))
        .order_by(StoredValueAccount.id)
        .with_for_update()
    )

    def locked(rows: Any) -> dict[str, Locked]:
        return {r.item_key: Locked(r.id, Head(r.balance, r.last_hash or GENESIS)) for r in rows}

    found = locked((await session.execute(stmt)).all())
    missing = [w for w in wanted if w.key not in found]
    if not missing:
        return found
    for w in missing:
        await get_or_create_account(
            session,
            client_id,
            w.kind,
            product_id=w.product_id,
            service_id=w.service_id,
            unit_value_minor=w.unit_value_minor,
        )
    return locked((await session.execute(stmt)).all())


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
    """Append one entry and move the cached balance; refuse to go below zero unless allowed.

    `head`: the account's head as this transaction read it under the lock
    (`lock_account`), so the posting is one INSERT and one UPDATE; only for the first
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
    await session.execute(
        update(StoredValueAccount)
        .where(StoredValueAccount.id == account_id)
        .values(balance=after, last_hash=entry.entry_hash)
    )
    session.add(entry)
    await session.flush()
    return entry


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
    running), but each account is locked once and the entries and cached balances are
    written together on `flush()`. Three statements per entry made a first `--demo` take seconds.

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
        for account_id in sorted(self._dirty):
            head = self._heads[account_id]
            await self.session.execute(
                update(StoredValueAccount)
                .where(StoredValueAccount.id == account_id)
                .values(balance=head.balance, last_hash=head.last_hash)
            )
        self._dirty.clear()
        self._heads.clear()  # others may post next: read fresh heads after this
        await self.session.flush()
