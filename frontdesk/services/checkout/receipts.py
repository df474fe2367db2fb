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
from typing import Any, cast

from sqlalchemy import Row, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.core_exec import execute
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
from frontdesk.services.catalog import STORE_COLUMNS, load_store, remember_store
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


_PAYMENTS = Payment.__table__.c


def _tenders_read(*, refunds: bool) -> Select[tuple[str, int]]:
    """A ticket's tenders (or its refund's), Core, built once below: method and amount are
    all a receipt shows of them."""
    reverses = _PAYMENTS.reverses_payment_id
    return (
        select(_PAYMENTS.method, _PAYMENTS.amount_minor)
        .where(
            _PAYMENTS.ticket_id == bindparam("ticket_id"),
            reverses.is_not(None) if refunds else reverses.is_(None),
        )
        .order_by(_PAYMENTS.id)
    )


_TENDERS = _tenders_read(refunds=False)
_REFUND_TENDERS = _tenders_read(refunds=True)


async def _tenders(
    session: AsyncSession, ticket_id: int, *, refunds: bool
) -> list[tuple[str, int]]:
    stmt = _REFUND_TENDERS if refunds else _TENDERS
    return [(m, a) for m, a in (await execute(session, stmt, {"ticket_id": ticket_id})).all()]


def _utc(at: dt.datetime) -> dt.datetime:
    """SQLite hands back the stored UTC time without its zone."""
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def _tender_views(payments: list[tuple[str, int]], cur: str) -> tuple[ReceiptTender, ...]:
    return tuple(
        ReceiptTender(method=cast(TenderMethod, method), amount=from_minor(abs(minor), cur))
        for method, minor in payments
    )


_E = LedgerEntry.__table__.c
_T = Ticket.__table__.c
# The last ledger entry the ticket wrote (not its refund), or, for a ticket that moved no
# stored value, the last entry written before it: what its "left" balances stand at.
_CUTOFF = func.coalesce(
    select(func.max(_E.id))
    .where(_E.ticket_id == _T.id, _E.reverses_entry_id.is_(None))
    .scalar_subquery(),
    select(func.max(_E.id)).where(_E.created_at <= _T.created_at).scalar_subquery(),
).label("cutoff")

# A row of `_SOLD_READ`.
SoldRow = Row[*tuple[Any, ...]]
_SERVED = Staff.__table__.alias("served")
_REFUNDER = Staff.__table__.alias("refunder")
_CLIENTS = Client.__table__.c
_LOCATIONS = Location.__table__.c
# The ticket with who it was for, who served, who refunded and where, in one read built
# once (issue 19: a receipt is written after every checkout): Core, no row objects.
_SOLD_READ = (
    select(
        _T.id,
        _T.client_id,
        _T.location_id,
        _T.staff_id,
        _T.terminal,
        _T.created_at,
        _T.result_json,
        _T.wallet_minor,
        _T.account_credit_minor,
        _T.reversed_at,
        _T.refund_reason,
        _T.refund_terminal,
        _CLIENTS.first_name,
        _CLIENTS.last_name,
        _LOCATIONS.name.label("location_name"),
        _LOCATIONS.address.label("location_address"),
        _SERVED.c.name.label("staff_name"),
        _REFUNDER.c.name.label("refunder_name"),
        # What the receipt also needs, in the same read (issue 19: a receipt follows
        # every checkout): the ledger entry its balances stand at (`_CUTOFF`) and the
        # store's settings, as scalar subqueries.
        _CUTOFF,
        *STORE_COLUMNS,
    )
    .select_from(Ticket.__table__)
    .outerjoin(Client.__table__, _CLIENTS.id == _T.client_id)
    .outerjoin(Location.__table__, _LOCATIONS.id == _T.location_id)
    .outerjoin(_SERVED, _SERVED.c.id == _T.staff_id)
    .outerjoin(_REFUNDER, _REFUNDER.c.id == _T.refunded_by)
    .where(_T.id == bindparam("ticket_id"))
)
_STORE_AT = len(_SOLD_READ.selected_columns) - len(STORE_COLUMNS)  # the store's, last


# The receipt's ledger reads, built once, Core on the tables (issue 19: Python per
# checkout; every checkout writes its receipt): the ticket's values go in as parameters.
_A = StoredValueAccount.__table__.c
_PRODUCTS = Product.__table__.c
_SERVICES = Service.__table__.c
_LAST_PER_ACCOUNT = (
    select(_E.account_id, func.max(_E.id).label("last_id"))
    .join(StoredValueAccount.__table__, _A.id == _E.account_id)
    .where(_A.client_id == bindparam("client_id"), _E.id <= bindparam("cutoff"))
    .group_by(_E.account_id)
    .subquery()
)
_BALANCES_AT = (
    select(_A.kind, _PRODUCTS.name, _PRODUCTS.unit_name, _SERVICES.name, _E.balance_after)
    .select_from(StoredValueAccount.__table__)
    .join(_LAST_PER_ACCOUNT, _LAST_PER_ACCOUNT.c.account_id == _A.id)
    .join(LedgerEntry.__table__, _E.id == _LAST_PER_ACCOUNT.c.last_id)
    .outerjoin(Product.__table__, _PRODUCTS.id == _A.product_id)
    .outerjoin(Service.__table__, _SERVICES.id == _A.service_id)
    .order_by(_A.id)
)


async def _left(session: AsyncSession, ticket: SoldRow, cur: str) -> ReceiptLeft:
    """Every balance of the client as it stood at the ticket's last entry."""
    cutoff = ticket.cutoff
    if cutoff is None:
        return ReceiptLeft(wallet=from_minor(0, cur), account=from_minor(0, cur))
    rows = await execute(session, _BALANCES_AT, {"client_id": ticket.client_id, "cutoff": cutoff})
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


async def _refund(session: AsyncSession, ticket: SoldRow, cur: str) -> ReceiptRefund | None:
    if ticket.reversed_at is None:
        return None
    return ReceiptRefund(
        at=_utc(ticket.reversed_at),
        staff_name=ticket.refunder_name or "",
        terminal=ticket.refund_terminal or "",
        reason=ticket.refund_reason or "",
        paid_back=_tender_views(await _tenders(session, ticket.id, refunds=True), cur),
        wallet_returned=from_minor(ticket.wallet_minor, cur),
        account_returned=from_minor(ticket.account_credit_minor, cur),
    )


async def receipt_in(session: AsyncSession, ticket_id: int) -> Receipt:
    """The receipt of a completed (or refunded) ticket."""
    ticket = (await execute(session, _SOLD_READ, {"ticket_id": ticket_id})).one_or_none()
    if ticket is None:
        raise NotFound(f"Ticket #{ticket_id}")
    if not ticket.result_json:
        raise ValidationError("ticket", f"Ticket #{ticket_id} is not completed; it has no receipt")
    remember_store(session, ticket[_STORE_AT:])
    store = await load_store(session)
    cur = store.currency
    result = CheckoutResult.model_validate_json(ticket.result_json)
    client_name = f"{ticket.first_name or ''} {ticket.last_name or ''}".strip()
    return Receipt(
        ticket_id=ticket.id,
        business_name=store.business_name,
        location_name=ticket.location_name or "",
        location_address=ticket.location_address or "",
        at=_utc(ticket.created_at),
        staff_name=ticket.staff_name or "",
        terminal=ticket.terminal,
        client_name=client_name,
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
