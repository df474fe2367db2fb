"""Checkout: one transaction that writes everything a paid ticket implies, or nothing.

The money order lives in `frontdesk.domain.checkout.settle`; this module refuses a ticket
left open that another terminal holds (and closes one held here), takes the ticket's
promotion code (locked, checked and recorded by `promotions.apply_code`), prices the
lines from the catalogue, locks every account it will touch (in id order), settles with
the fresh balances, then writes the ticket, lines, payments, ledger entries (wallet and
credit spent, visits credited and redeemed, units banked, renewal credit), commissions
and appointment status. The idempotency key is unique: the same key again returns the
first result and writes nothing, even when two terminals submit at the same moment. The
ticket records the hash of the request its key was used for: the same key with another
request (other lines, tenders, client) is refused with `KeyReused`, never answered with
the first ticket.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Integer, String, Table, bindparam, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.bulk import insert_ids
from frontdesk.db.core_exec import execute
from frontdesk.db.dialects import dialect_module
from frontdesk.db.ledger import Actor
from frontdesk.db.races import MEANINGS
from frontdesk.db.tables import Appointment, Client, OpenTicket, Payment, Ticket, TicketLine
from frontdesk.db.tables.base import local_today
from frontdesk.domain.checkout import (
    CheckoutRequest,
    CheckoutTotals,
    LineKind,
    LineTotals,
    Promotion,
    Tender,
    settle,
)
from frontdesk.domain.commission import CommissionSystem
from frontdesk.domain.errors import (
    ConnectionLost,
    KeyReused,
    NotFound,
    RaceLost,
    Unavailable,
    ValidationError,
)
from frontdesk.domain.money import from_minor, to_minor
from frontdesk.domain.permissions import Perm
from frontdesk.domain.write_keys import payload_hash
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.checkout.commission import (
    commission_rows,
    insert_commissions,
    line_staff,
)
from frontdesk.services.checkout.open_tickets import settle_open_ticket
from frontdesk.services.checkout.posting import (
    TicketAccounts,
    TicketPosting,
    check_redemptions,
    lock_ticket_accounts,
)
from frontdesk.services.checkout.pricing import (
    Priced,
    best_discount,
    check_line_quantities,
    discount_percent,
    price_ticket,
    read_catalog,
    result_line,
)
from frontdesk.services.checkout.promotions import AppliedCode, apply_code
from frontdesk.services.checkout.receipts import save_receipt
from frontdesk.services.context import ServiceContext
from frontdesk.services.drawer import refuse_cash_if_closed
from frontdesk.services.staff import remember_who, require, who_columns
from frontdesk.services.versions import mark_changed
from frontdesk.views import StoreView
from frontdesk.views.till import CheckoutInput, CheckoutResult, ResultLine

OPERATION = "till.complete"


def request_hash(data: CheckoutInput) -> str:
    """What this checkout asks for, without its key: equal for a resend of the same ticket."""
    return payload_hash(OPERATION, data.model_dump(exclude={"idempotency_key"}))


async def _existing(session: AsyncSession, data: CheckoutInput) -> CheckoutResult | None:
    """The first result for this key (replayed), None when unused, `KeyReused` when the
    key completed another request. Tickets from before hashes were kept replay as ever."""
    ticket = (
        await session.execute(select(Ticket).where(Ticket.idempotency_key == data.idempotency_key))
    ).scalar_one_or_none()
    if ticket is None or not ticket.result_json:
        return None
    if ticket.payload_hash is not None and ticket.payload_hash != request_hash(data):
        raise KeyReused()
    first = CheckoutResult.model_validate_json(ticket.result_json)
    return first.model_copy(update={"replayed": True})


async def _not_claimed(
    session: AsyncSession, actor: Actor, check: Perm | None, data: CheckoutInput
) -> CheckoutResult:
    """Why the ticket row did not go in: the key's first result (replayed, or `KeyReused`),
    or no such client; else the key is held by a ticket with no result yet, which is
    losing the race on it. Only to someone who may take payments (`_claim_key` went
    before the check)."""
    if check is not None:
        await require(session, actor, check)
    replay = await _existing(session, data)
    if replay is not None:
        return replay
    if await session.get(Client, data.client_id) is None:
        raise NotFound("client")
    key = "tickets.idempotency_key"
    raise MEANINGS[key](key)


async def _checkout(
    session: AsyncSession, ctx: ServiceContext, data: CheckoutInput, check: Perm | None
) -> CheckoutResult:
    """`check`: the permission the actor needs (None: the caller checked it). It is read
    with the catalogue, after the key is claimed (issue 19: one statement fewer); the
    transaction then rolls back, so a refused actor leaves nothing written."""
    claimed = await _claim_key(session, ctx.actor, data)
    if claimed is None:
        return await _not_claimed(session, ctx.actor, check, data)
    ticket_id, best, left_open = claimed
    await _read_catalog(session, ctx.actor, data, check)
    store = await load_store(session)  # read just now with the catalogue: no statement
    cur = store.currency
    if left_open:
        await settle_open_ticket(session, ctx.actor, data.idempotency_key)
    if any(t.method == "cash" and t.amount for t in data.tenders):
        # A closed cash drawer takes no cash until a manager reopens it (docs/rules.md,
        # D4). This locks the drawer's row, as its close does: the close counts this
        # sale, or this sale waits for the close and is refused.
        await refuse_cash_if_closed(session, data.location_id, ctx.actor.terminal, local_today())
    code = await apply_code(session, data, ticket_id, store, local_today())
    priced = await price_ticket(session, store, data, lock=True)
    accounts = await lock_ticket_accounts(session, data.client_id, priced)
    check_redemptions(priced, accounts)
    totals = _settle(data, priced, accounts, store, code, discount_percent(best))

    posting = TicketPosting(session, ctx.actor, data, ticket_id, accounts, cur, today=local_today())
    await posting.spend_stored_value(totals)
    await _add_payments(session, ctx.actor, data, ticket_id, totals, cur)
    result_lines = await _write_lines(session, store, posting, priced, totals)
    await posting.flush()
    return await _close_ticket(session, ticket_id, data, totals, result_lines, posting, code)


async def write_checkout(
    session: AsyncSession, ctx: ServiceContext, data: CheckoutInput
) -> CheckoutResult:
    """A checkout's writes inside the caller's transaction, for a caller that checked the
    permission and the key itself: the renewal run records a renewal's card payment as a
    ticket with them, so takings count it like any other."""
    return await _checkout(session, ctx, data, None)


async def _read_catalog(
    session: AsyncSession, actor: Actor, data: CheckoutInput, check: Perm | None
) -> None:
    """The store and the ticket's services and products (`read_catalog`), and with them
    who the actor is (`who_columns`), kept as this transaction's `who`: `require` then
    checks `check` without a statement of its own."""
    if check is None:
        await read_catalog(session, data.lines)
        return
    name, role, grants = await read_catalog(
        session, data.lines, who_columns(session), {"staff_id": actor.staff_id}
    )
    remember_who(session, actor.staff_id, name, role, grants)
    await require(session, actor, check)


async def _claim_key(
    session: AsyncSession, actor: Actor, data: CheckoutInput
) -> tuple[int, Decimal | None, bool] | None:
    """The new ticket's id, the client's best membership discount percent (None: not a
    member) and whether the ticket was left open under this key; or None when the key is
    used or the client is unknown (`_not_claimed` tells which). Claimed first: a
    concurrent duplicate waits on the unique index instead of also locking balances and
    doing all the work. One statement looks the key up, checks the client, writes the
    row and reads the discount and the open ticket (issue 19); the row is completed with
    its totals at the end (`_close_ticket`). An open ticket seen here is then locked and
    checked (`settle_open_ticket`); one parked after this read was not there for a
    locked read either."""
    stmt = _claim_statement(session.get_bind().dialect.name)
    params = {
        "key": data.idempotency_key,
        "client_id": data.client_id,
        "location_id": data.location_id,
        "staff_id": actor.staff_id,
        "terminal": actor.terminal,
        "payload_hash": request_hash(data),
    }
    sync = session.sync_session
    if sync.new or sync.dirty or sync.deleted:  # a caller's own writes (`write_checkout`)
        await session.flush()  # go first, as the ORM's autoflush sent them
    row = (await execute(session, stmt, params)).one_or_none()
    return None if row is None else (row[0], row[1], row[2] is not None)


@functools.cache
def _claim_statement(dialect_name: str) -> Any:
    """`_claim_key`'s statement for this dialect, built once (issue 19: Python per
    checkout); the request's values go in as parameters."""
    dialect = dialect_module(dialect_name)
    client_id = bindparam("client_id", type_=Integer)
    clients, open_tickets = Client.__table__.c, OpenTicket.__table__.c
    values = select(
        bindparam("key", type_=String),
        clients.id,
        bindparam("location_id", type_=Integer),
        bindparam("staff_id", type_=Integer),
        bindparam("terminal", type_=String),
        literal("completed", String),
        bindparam("payload_hash", type_=String),
    ).where(clients.id == client_id)
    tickets = Ticket.__table__
    columns = [
        tickets.c.idempotency_key,
        tickets.c.client_id,
        tickets.c.location_id,
        tickets.c.staff_id,
        tickets.c.terminal,
        tickets.c.status,
        tickets.c.payload_hash,
    ]
    # Core on the tables: the ORM would take the parameters for rows to bulk-insert, and
    # set up its own execution for every checkout (issue 19).
    return (
        dialect.insert(tickets)
        .from_select(columns, values)
        .on_conflict_do_nothing(index_elements=[tickets.c.idempotency_key])
        .returning(
            tickets.c.id,
            best_discount(client_id).scalar_subquery(),
            select(open_tickets.id)
            .where(open_tickets.idempotency_key == bindparam("key", type_=String))
            .scalar_subquery(),
        )
    )


def _settle(
    data: CheckoutInput,
    priced: list[Priced],
    accounts: TicketAccounts,
    store: StoreView,
    code: AppliedCode | None,
    membership_percent: Decimal,
) -> CheckoutTotals:
    """Run the checkout order with the balances read under the lock."""
    promotion = code.promotion if code is not None else None
    if data.promotion_percent is not None or data.promotion_fixed is not None:
        promotion = Promotion(percent=data.promotion_percent, fixed=data.promotion_fixed)
    cur = store.currency
    return settle(
        CheckoutRequest(
            lines=tuple(p.line for p in priced),
            currency=cur,
            locale=store.locale,
            membership_discount_percent=membership_percent,
            promotion=promotion,
            use_wallet=data.use_wallet,
            wallet_balance=from_minor(accounts.balances[accounts.wallet_id], cur),
            wallet_amount=data.wallet_amount,
            use_account_credit=data.use_account_credit,
            account_credit_balance=from_minor(accounts.balances[accounts.credit_id], cur),
            tenders=tuple(Tender(method=t.method, amount=t.amount) for t in data.tenders),
        )
    )


# Built once, Core on the table (issue 19: Python per checkout): the ORM's unit of work
# cost more than the INSERT itself. `created_at` comes from the column's default.
_INSERT_PAYMENTS = insert(cast(Table, Payment.__table__))


async def _add_payments(
    session: AsyncSession,
    actor: Actor,
    data: CheckoutInput,
    ticket_id: int,
    totals: CheckoutTotals,
    cur: str,
) -> None:
    """One payment row per tender, in one statement; the change is recorded on the cash one."""
    rows = [
        {
            "ticket_id": ticket_id,
            "client_id": data.client_id,
            "method": tender.method,
            "amount_minor": to_minor(tender.amount, cur),
            "change_minor": to_minor(totals.change if tender.method == "cash" else Decimal(0), cur),
            "staff_id": actor.staff_id,
            "terminal": actor.terminal,
            "reverses_payment_id": None,
        }
        for tender in totals.tenders
    ]
    if rows:
        await execute(session, _INSERT_PAYMENTS, rows if len(rows) > 1 else rows[0])


async def _write_lines(
    session: AsyncSession,
    store: StoreView,
    posting: TicketPosting,
    priced: list[Priced],
    totals: CheckoutTotals,
) -> list[ResultLine]:
    """Each line: its ticket row, its stored value, its appointment done, its commission.
    The rows go in together first (one INSERT for all, issue 19): commissions need
    their ids."""
    system = CommissionSystem(store.commission_system)
    tid = posting.ticket_id
    result_lines: list[ResultLine] = []
    seller = posting.actor.staff_id
    rows = [
        _ticket_line(tid, p, lt, store.currency, seller)
        for p, lt in zip(priced, totals.lines, strict=True)
    ]
    line_ids = await insert_ids(session, TicketLine, TicketLine.id, rows)
    commissions: list[dict[str, object]] = []
    for p, lt, line_id in zip(priced, totals.lines, line_ids, strict=True):
        result_lines.append(result_line(p, lt))
        await posting.post_line(p, lt)
        if p.inp.appointment_id is not None:
            appt = await session.get(Appointment, p.inp.appointment_id)
            if appt is not None and appt.status in ("booked", "checked_in"):
                appt.status = "completed"
                mark_changed(appt, posting.actor)
        commissions += await commission_rows(
            session,
            system,
            p,
            lt.net,
            line_id,
            tid,
            store.currency,
            seller_id=seller,
            client_id=posting.data.client_id,
        )
    await insert_commissions(session, commissions)
    return result_lines


def _ticket_line(
    ticket_id: int,
    p: Priced,
    lt: LineTotals,
    cur: str,
    seller_id: int | None,
) -> dict[str, object]:
    inp = p.inp
    return dict(
        ticket_id=ticket_id,
        kind=inp.kind.value,
        description=p.description[:200],
        service_id=p.service.id if p.service else None,
        product_id=inp.product_id,
        package_id=inp.package_id,
        appointment_id=inp.appointment_id,
        membership_id=inp.membership_id,
        staff_id=line_staff(inp.kind, inp.staff_id, seller_id),
        unit_price_minor=to_minor(p.line.unit_price, cur),
        quantity=inp.quantity,
        qty_used=inp.qty_used if inp.kind is LineKind.PREPAID_SALE else 0,
        gross_minor=to_minor(lt.gross, cur),
        discount_minor=to_minor(lt.membership_discount + lt.promotion_discount, cur),
        net_minor=to_minor(lt.net, cur),
    )


# Built once, Core on the table (issue 19: Python per checkout).
_CLOSE_TICKET = (
    update(cast(Table, Ticket.__table__))
    .where(Ticket.__table__.c.id == bindparam("ticket_id"))
    .values(
        subtotal_minor=bindparam("subtotal"),
        discount_minor=bindparam("discount"),
        total_minor=bindparam("total"),
        wallet_minor=bindparam("wallet"),
        account_credit_minor=bindparam("account_credit"),
        paid_minor=bindparam("paid"),
        change_minor=bindparam("change"),
        result_json=bindparam("result_json"),
    )
)


async def _close_ticket(
    session: AsyncSession,
    ticket_id: int,
    data: CheckoutInput,
    totals: CheckoutTotals,
    result_lines: list[ResultLine],
    posting: TicketPosting,
    code: AppliedCode | None,
) -> CheckoutResult:
    """Write the totals on the ticket and the result a replay of this key returns."""
    cur = posting.currency
    result = CheckoutResult(
        ticket_id=ticket_id,
        idempotency_key=data.idempotency_key,
        client_id=data.client_id,
        currency=cur,
        lines=tuple(result_lines),
        subtotal=totals.subtotal,
        membership_discount=totals.membership_discount,
        promotion_discount=totals.promotion_discount,
        promotion_code=code.code if code is not None else None,
        promotion_description=code.description if code is not None else None,
        total=totals.total_after_discounts,
        wallet_applied=totals.wallet_applied,
        account_credit_applied=totals.account_credit_applied,
        tendered=totals.tendered,
        change=totals.change,
        card=totals.tendered_by("card"),
        prepaid_added=tuple(posting.prepaid_added),
        units_banked=tuple(posting.units_banked),
        wallet_credited=from_minor(posting.wallet_credited, cur),
    )
    await execute(
        session,
        _CLOSE_TICKET,
        {
            "ticket_id": ticket_id,
            "subtotal": to_minor(totals.subtotal, cur),
            "discount": to_minor(totals.membership_discount + totals.promotion_discount, cur),
            "total": to_minor(totals.total_after_discounts, cur),
            "wallet": to_minor(totals.wallet_applied, cur),
            "account_credit": to_minor(totals.account_credit_applied, cur),
            "paid": to_minor(totals.tendered, cur),
            "change": to_minor(totals.change, cur),
            "result_json": result.model_dump_json(),
        },
    )
    return result


class CompleteCases(Area):
    """The till's checkout: complete a ticket exactly once."""

    async def complete(self, data: CheckoutInput) -> CheckoutResult:
        """Complete a ticket exactly once for its idempotency key; then (again on a
        replay, so a crash after the commit still leaves one) write its receipt file."""
        result = await self._complete_once(data)
        await save_receipt(self.ctx, result.ticket_id)
        return result

    async def _complete_once(self, data: CheckoutInput) -> CheckoutResult:
        if not data.idempotency_key or len(data.idempotency_key) > 64:
            raise ValidationError("idempotency_key", "A checkout needs a key of 1-64 characters")
        check_line_quantities(data.lines)
        try:
            async with self.ctx.transaction() as session:
                # A resend of a completed key is answered by `_checkout` (`_not_claimed`),
                # which checks the permission too.
                return await _checkout(session, self.ctx, data, Perm.TAKE_PAYMENTS)
        except RaceLost:
            # Another terminal committed the same key between our read and our insert
            # (or won another race: then there is no replay, and the loss is the answer).
            async with self.ctx.read() as session:
                replay = await _existing(session, data)
            if replay is None:
                raise
            return replay
        except ConnectionLost as lost:
            if lost.saved is not None:
                raise
            return await self._outcome(data, lost)

    async def _outcome(self, data: CheckoutInput, lost: ConnectionLost) -> CheckoutResult:
        """The connection went while the COMMIT was in flight: the key tells what really
        happened. Saved: the result, as if the answer had arrived. Not there: nothing was
        saved. The database still out of reach: say the outcome is unknown."""
        try:
            async with self.ctx.read() as session:
                saved = await _existing(session, data)
        except Unavailable:
            raise lost from None
        if saved is None:
            raise ConnectionLost(saved=False) from lost
        return saved.model_copy(update={"replayed": False})
