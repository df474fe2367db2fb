"""The accounts a posting writes to: found or made, and locked with their heads.

A posting locks its account before it appends (PostgreSQL `FOR UPDATE`; SQLite holds the
write lock from BEGIN IMMEDIATE), and reads the account's balance and newest hash in that
same locked read (issue 19: one statement). Several accounts are locked in id order, so
two terminals never deadlock. `frontdesk.db.ledger` posts; this module only finds and
locks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ScalarSelect, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.core_exec import execute
from frontdesk.db.dialects import dialect_module
from frontdesk.db.tables import StoredValueAccount
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.ledger_hash import GENESIS


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
    insert = dialect_module(session.get_bind().dialect.name).insert
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


_ACCOUNTS = StoredValueAccount.__table__.c

# The hot locked reads, built once (issue 19: Python per write): Core on the table, so
# executing one builds nothing and skips the ORM's per-statement set-up; the values go in
# as parameters.
_LOCK_ONE = (
    select(_ACCOUNTS.id, _ACCOUNTS.balance, _ACCOUNTS.last_hash)
    .where(
        _ACCOUNTS.client_id == bindparam("client_id"),
        _ACCOUNTS.kind == bindparam("kind"),
        _ACCOUNTS.item_key == bindparam("item_key"),
    )
    .with_for_update()
)
_LOCK_CLIENT = (
    select(_ACCOUNTS.id, _ACCOUNTS.item_key, _ACCOUNTS.balance, _ACCOUNTS.last_hash)
    .where(
        _ACCOUNTS.client_id == bindparam("client_id"),
        _ACCOUNTS.item_key.in_(bindparam("keys", expanding=True)),
    )
    .order_by(_ACCOUNTS.id)
    .with_for_update()
)


def lock_one_carrying(*columns: ScalarSelect[Any]) -> Select[Any]:
    """`lock_account`'s locked read of one account (its columns first: id, balance,
    last_hash) carrying `columns` too, scalar subqueries of other tables that it reads in
    the same statement and does not lock (issue 19: a posting's reads in one). Build it
    once; its parameters are "client_id", "kind", "item_key" and those of `columns`."""
    return _LOCK_ONE.add_columns(*columns)


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
    params = {"client_id": client_id, "kind": kind.value, "item_key": key}
    row = (await execute(session, _LOCK_ONE, params)).one_or_none()
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
        row = (await execute(session, _LOCK_ONE, params)).one()
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
    params = {"client_id": client_id, "keys": sorted({w.key for w in wanted})}

    def locked(rows: Any) -> dict[str, Locked]:
        return {r.item_key: Locked(r.id, Head(r.balance, r.last_hash or GENESIS)) for r in rows}

    found = locked((await execute(session, _LOCK_CLIENT, params)).all())
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
    return locked((await execute(session, _LOCK_CLIENT, params)).all())
