"""One entry on a client's money account (account balance or Beauty Bank) and the
result the Account tab shows, in as few statements as the posting needs (issue 19):
the account read once, locked, with its head; the result built from what was written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db import ledger
from frontdesk.db.core_exec import execute
from frontdesk.db.ledger_accounts import Head, Locked, item_key, lock_one_carrying
from frontdesk.db.tables import Client
from frontdesk.domain.errors import NotFound
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.ledger_hash import GENESIS
from frontdesk.domain.money import from_minor
from frontdesk.services.catalog import STORE_COLUMNS, load_store, remember_store
from frontdesk.services.context import ServiceContext
from frontdesk.services.staff import remember_who, who, who_columns
from frontdesk.views.balances import BalanceChange, EntryView

MONEY_KINDS = frozenset({StoredValueKind.ACCOUNT_MONEY, StoredValueKind.WALLET_MONEY})


async def client_row(session: AsyncSession, client_id: int) -> Client:
    client = await session.get(Client, client_id)
    if client is None:
        raise NotFound("client")
    return client


def value_of(kind: StoredValueKind, amount: int, currency: str) -> Decimal:
    """Money in its currency; units and visits as counts."""
    return from_minor(amount, currency) if kind in MONEY_KINDS else Decimal(amount)


ITEM_NAMES = {
    StoredValueKind.WALLET_MONEY: "Beauty Bank",
    StoredValueKind.ACCOUNT_MONEY: "Account balance",
}


async def locked_money(
    session: AsyncSession, client_id: int, kind: StoredValueKind
) -> ledger.Locked:
    """The client's money account of `kind`, locked, with its head: one statement when it
    exists (it exists only for a client that does); made if absent, after checking the
    client is there (a missing one is `NotFound`, not a foreign-key error)."""
    try:
        return await ledger.lock_account(session, client_id, kind, only_existing=True)
    except LookupError:
        await client_row(session, client_id)
        return await ledger.lock_account(session, client_id, kind)


# `lock_account`'s read carrying the store's settings and who acts, per database kind,
# built once (the who columns' grant list is spelled per kind).
_LOCK_READING: dict[str, Select[Any]] = {}
_STORE_AT = 3  # after the account's id, balance and last hash


async def locked_money_reading(
    session: AsyncSession, client_id: int, kind: StoredValueKind, staff_id: int | None
) -> ledger.Locked:
    """`locked_money`, reading in the same statement the store's settings and who
    `staff_id` is, kept as this transaction's (`load_store`, `who`, and so `require`,
    then ask nothing): a posting's three reads in one (issue 19). The account's row is the
    only one locked. An account not made yet: `locked_money`, and the others read apart."""
    dialect = session.get_bind().dialect.name
    stmt = _LOCK_READING.get(dialect)
    if stmt is None:
        stmt = _LOCK_READING[dialect] = lock_one_carrying(*STORE_COLUMNS, *who_columns(session))
    params = {
        "client_id": client_id,
        "kind": kind.value,
        "item_key": item_key(kind, None, None),
        "staff_id": staff_id,
    }
    row = (await execute(session, stmt, params)).one_or_none()
    if row is None:
        return await locked_money(session, client_id, kind)
    who_at = _STORE_AT + len(STORE_COLUMNS)
    remember_store(session, row[_STORE_AT:who_at])
    remember_who(session, staff_id, *row[who_at:])
    return Locked(row[0], Head(row[1], row[2] or GENESIS))


def _as_read(session: AsyncSession, when: dt.datetime) -> dt.datetime:
    """A time as this engine hands it back (SQLite: naive UTC), so a result built from
    what was written equals the one read back."""
    return when.replace(tzinfo=None) if session.get_bind().dialect.name == "sqlite" else when


async def money_change(
    session: AsyncSession,
    ctx: ServiceContext,
    client_id: int,
    kind: StoredValueKind,
    amount_minor: int,
    *,
    reason: Reason,
    description: str,
    allow_negative: bool,
    approved_by: int | None = None,
    account: ledger.Locked | None = None,
) -> BalanceChange:
    """One entry on the client's money account (`account`, if the caller has locked it
    already in this transaction and posted nothing to it since) and its result, built
    from what was written instead of read back (issue 19: statements are a budget)."""
    currency = (await load_store(session)).currency
    if account is None:
        account = await locked_money(session, client_id, kind)
    entry = await ledger.post(
        session,
        account.id,
        amount_minor,
        reason=reason.value,
        description=description,
        actor=ctx.actor,
        allow_negative=allow_negative,
        approved_by=approved_by,
        head=account.head,
    )
    acting = await who(session, ctx.actor.staff_id)
    view = EntryView(
        id=entry.id,
        account_id=entry.account_id,
        kind=kind,
        item_name=ITEM_NAMES[kind],
        amount=value_of(kind, entry.amount, currency),
        balance_after=value_of(kind, entry.balance_after, currency),
        reason=entry.reason,
        description=entry.description,
        staff_name=acting.name if acting is not None else "",
        terminal=entry.terminal,
        created_at=_as_read(session, entry.created_at),
        ticket_id=None,
        appointment_id=None,
        reverses_entry_id=None,
        reversed_by_id=None,
    )
    return BalanceChange(
        entry=view,
        balance_before=from_minor(entry.balance_after - amount_minor, currency),
        balance_after=from_minor(entry.balance_after, currency),
    )
