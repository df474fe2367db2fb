"""Receipts: a completed ticket read back as its receipt, and the receipt kept as a file.

`Till.receipt(ticket_id)` reads the ticket as it was completed (its stored result: lines,
discounts, the promotion code, stored value used, change), its tenders, who served and
where, what the client held right after it (each account's balance at the ticket's last
ledger entry, so a reprint reads the same as the first print), and the refund if any.

`save_receipt(ctx, ticket_id)` writes `receipt_lines` to `<ticket id>.txt` in the
receipts folder: beside the database file for SQLite, under the data dir (one folder per
database) for PostgreSQL, or `FRONTDESK_RECEIPTS_DIR` when set. `complete` and `reverse`
call it after their transaction commits; the write runs in a thread, and a failure is
logged and returned as None, never raised: the sale stands.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from pathlib import Path
from typing import cast

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Client,
    LedgerEntry,
    Location,
    Payment,
    Product,
    Service,
    Staff,
    StoredValueAccount,
    Ticket,
)
from frontdesk.domain.checkout import TenderMethod
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.paths import data_dir
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.context import ServiceContext
from frontdesk.views.receipt import receipt_lines
from frontdesk.views.till import (
    CheckoutResult,
    Receipt,
    ReceiptLeft,
    ReceiptRefund,
    ReceiptTender,
)

log = logging.getLogger(__name__)

RECEIPTS_ENV = "FRONTDESK_RECEIPTS_DIR"


async def _name(session: AsyncSession, staff_id: int | None) -> str:
    staff = await session.get(Staff, staff_id) if staff_id is not None else None
    return staff.name if staff is not None else ""


async def _tenders(session: AsyncSession, ticket_id: int, *, refunds: bool) -> list[Payment]:
    which: ColumnElement[bool] = (
        Payment.reverses_payment_id.is_not(None)
        if refunds
        else Payment.reverses_payment_id.is_(None)
    )
    rows = await session.scalars(
        select(Payment).where(Payment.ticket_id == ticket_id, which).order_by(Payment.id)
    )
    return list(rows)


def _utc(at: dt.datetime) -> dt.datetime:
    """SQLite hands back the stored UTC time without its zone."""
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def _tender_views(payments: list[Payment], cur: str) -> tuple[ReceiptTender, ...]:
    return tuple(
        ReceiptTender(
            method=cast(TenderMethod, p.method), amount=from_minor(abs(p.amount_minor), cur)
        )
        for p in payments
    )


async def _cutoff(session: AsyncSession, ticket: Ticket) -> int | None:
    """The last ledger entry the ticket wrote (not its refund), or, for a ticket that
    moved no stored value, the last entry written before it."""
    last = await session.scalar(
        select(func.max(LedgerEntry.id)).where(
            LedgerEntry.ticket_id == ticket.id, LedgerEntry.reverses_entry_id.is_(None)
        )
    )
    if last is None:
        last = await session.scalar(
            select(func.max(LedgerEntry.id)).where(LedgerEntry.created_at <= ticket.created_at)
        )
    return int(last) if last is not None else None


async def _left(session: AsyncSession, ticket: Ticket, cur: str) -> ReceiptLeft:
    """Every balance of the client as it stood at the ticket's last entry."""
    cutoff = await _cutoff(session, ticket)
    if cutoff is None:
        return ReceiptLeft(wallet=from_minor(0, cur), account=from_minor(0, cur))
    last = (
        select(LedgerEntry.account_id, func.max(LedgerEntry.id).label("last_id"))
        .join(StoredValueAccount, StoredValueAccount.id == LedgerEntry.account_id)
        .where(StoredValueAccount.client_id == ticket.client_id, LedgerEntry.id <= cutoff)
        .group_by(LedgerEntry.account_id)
        .subquery()
    )
    rows = await session.execute(
        select(StoredValueAccount.kind, Product.name, Product.unit_name, Service.name)
        .add_columns(LedgerEntry.balance_after)
        .join(last, last.c.account_id == StoredValueAccount.id)
        .join(LedgerEntry, LedgerEntry.id == last.c.last_id)
        .outerjoin(Product, Product.id == StoredValueAccount.product_id)
        .outerjoin(Service, Service.id == StoredValueAccount.service_id)
        .order_by(StoredValueAccount.id)
    )
    money = {StoredValueKind.WALLET_MONEY.value: 0, StoredValueKind.ACCOUNT_MONEY.value: 0}
    prepaid: list[tuple[str, int]] = []
    banked: list[tuple[str, int, str]] = []
    for kind, product, unit, service, balance in rows.all():
        if kind in money:
            money[kind] += balance
        elif kind == StoredValueKind.PREPAID_VISITS.value and balance > 0:
            prepaid.append((service or "?", balance))
        elif kind == StoredValueKind.PRODUCT_UNITS.value and balance > 0:
            banked.append((product or "?", balance, unit or "unit"))
    return ReceiptLeft(
        wallet=from_minor(money[StoredValueKind.WALLET_MONEY.value], cur),
        account=from_minor(money[StoredValueKind.ACCOUNT_MONEY.value], cur),
        prepaid=tuple(prepaid),
        banked=tuple(banked),
    )


async def _refund(session: AsyncSession, ticket: Ticket, cur: str) -> ReceiptRefund | None:
    if ticket.reversed_at is None:
        return None
    return ReceiptRefund(
        at=_utc(ticket.reversed_at),
        staff_name=await _name(session, ticket.refunded_by),
        terminal=ticket.refund_terminal or "",
        reason=ticket.refund_reason or "",
        paid_back=_tender_views(await _tenders(session, ticket.id, refunds=True), cur),
        wallet_returned=from_minor(ticket.wallet_minor, cur),
        account_returned=from_minor(ticket.account_credit_minor, cur),
    )


async def receipt_in(session: AsyncSession, ticket_id: int) -> Receipt:
    """The receipt of a completed (or refunded) ticket."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(f"Ticket #{ticket_id}")
    if not ticket.result_json:
        raise ValidationError("ticket", f"Ticket #{ticket_id} is not completed; it has no receipt")
    store = await load_store(session)
    cur = store.currency
    result = CheckoutResult.model_validate_json(ticket.result_json)
    client = await session.get(Client, ticket.client_id)
    location = await session.get(Location, ticket.location_id) if ticket.location_id else None
    return Receipt(
        ticket_id=ticket.id,
        business_name=store.business_name,
        location_name=location.name if location else "",
        location_address=location.address if location else "",
        at=_utc(ticket.created_at),
        staff_name=await _name(session, ticket.staff_id),
        terminal=ticket.terminal,
        client_name=f"{client.first_name} {client.last_name}".strip() if client else "",
        currency=cur,
        locale=store.locale,
        lines=result.lines,
        subtotal=result.subtotal,
        membership_discount=result.membership_discount,
        promotion_discount=result.promotion_discount,
        promotion_code=result.promotion_code,
        total=result.total,
        wallet_applied=result.wallet_applied,
        account_credit_applied=result.account_credit_applied,
        tenders=_tender_views(await _tenders(session, ticket.id, refunds=False), cur),
        change=result.change,
        prepaid_added=result.prepaid_added,
        units_banked=result.units_banked,
        left=await _left(session, ticket, cur),
        refund=await _refund(session, ticket, cur),
    )


def receipts_dir(ctx: ServiceContext) -> Path:
    """Where receipt files go: `FRONTDESK_RECEIPTS_DIR`, else `receipts/` beside a SQLite
    database file, else `<data dir>/receipts/<database name>`."""
    override = os.environ.get(RECEIPTS_ENV)
    if override:
        return Path(override)
    url = ctx.engine.url
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database and database != ":memory:":
        return Path(database).parent / "receipts"
    return data_dir() / "receipts" / (database or "frontdesk")


def _write(path: Path, text: str) -> None:
    # Receipts name clients and what they paid: the folder and files are the owner's only.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_suffix(".txt.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    partial.replace(path)  # a reader never sees half a receipt


async def save_receipt(ctx: ServiceContext, ticket_id: int) -> Path | None:
    """Write the ticket's receipt file; on any failure log it and return None."""
    try:
        async with ctx.read() as session:
            receipt = await receipt_in(session, ticket_id)
        path = receipts_dir(ctx) / f"{ticket_id}.txt"
        await asyncio.to_thread(_write, path, "\n".join(receipt_lines(receipt)) + "\n")
    except Exception:
        log.exception("receipt of ticket #%s not written", ticket_id)
        return None
    return path


class ReceiptCases(Area):
    """The till's receipts."""

    async def receipt(self, ticket_id: int) -> Receipt:
        """A completed ticket's receipt, with its refund when it was refunded."""
        async with self.ctx.read() as session:
            return await receipt_in(session, ticket_id)
