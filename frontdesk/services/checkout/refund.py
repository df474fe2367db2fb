"""Refunding a whole ticket by new entries and negative twins; nothing is updated or deleted.

docs/rules.md#completing-and-refunding-a-ticket, R6. In one transaction, with the ticket
row locked so two terminals never both refund it: every stored-value movement of the
ticket gets a reversing entry (reason "refund") - wallet and account credit spent, visits
credited and redeemed, units banked, credit bought, renewal credit - and so do the units
the ticket's visit used from the bank; each payment gets a negative twin with the same
method for what was kept; each commission a negative row. Balances are checked for the
whole refund before anything is written, so a refund is all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db import ledger
from frontdesk.db.ledger import Actor
from frontdesk.db.tables import (
    Commission,
    LedgerEntry,
    Payment,
    Product,
    Service,
    StoredValueAccount,
    Ticket,
    TicketLine,
)
from frontdesk.db.tables.base import utcnow
from frontdesk.domain.errors import InsufficientBalance, NotFound, ValidationError
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.money import format_money, from_minor
from frontdesk.domain.parsing import clean_description
from frontdesk.domain.permissions import Perm
from frontdesk.services.approval import require_approval, verify_approver
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.checkout.receipts import save_receipt
from frontdesk.services.staff import require
from frontdesk.views import StoreView
from frontdesk.views.staff import Approval


async def _lock_ticket(session: AsyncSession, ticket_id: int) -> Ticket:
    """The ticket, locked: a second terminal refunding it waits, then sees it refunded."""
    ticket = (
        await session.execute(select(Ticket).where(Ticket.id == ticket_id).with_for_update())
    ).scalar_one_or_none()
    if ticket is None:
        raise NotFound(f"Ticket #{ticket_id}")
    if ticket.reversed_at is not None:
        when = ticket.reversed_at.strftime("%d %b %Y %H:%M UTC")
        raise ValidationError("ticket", f"Ticket #{ticket_id} was already refunded on {when}")
    if ticket.status != "completed":
        raise ValidationError("ticket", f"Ticket #{ticket_id} is not completed; nothing to refund")
    return ticket


async def _entries_to_reverse(session: AsyncSession, ticket_id: int) -> list[LedgerEntry]:
    """The ticket's own entries, and the units its visits used from the bank (tied to the
    appointment, not the ticket), each not reversed yet and not itself a reversal."""
    appointment_ids = (
        (
            await session.execute(
                select(TicketLine.appointment_id)
                .where(TicketLine.ticket_id == ticket_id, TicketLine.appointment_id.is_not(None))
                .distinct()
            )
        )
        .scalars()
        .all()
    )
    own = LedgerEntry.ticket_id == ticket_id
    used = (
        LedgerEntry.appointment_id.in_(appointment_ids)
        & (LedgerEntry.reason == Reason.USE.value)
        & LedgerEntry.ticket_id.is_(None)
    )
    candidates = (
        (
            await session.execute(
                select(LedgerEntry)
                .where(own | used if appointment_ids else own)
                .where(LedgerEntry.reverses_entry_id.is_(None))
                .order_by(LedgerEntry.id)
            )
        )
        .scalars()
        .all()
    )
    reversed_ids = set(
        (
            await session.execute(
                select(LedgerEntry.reverses_entry_id).where(
                    LedgerEntry.reverses_entry_id.in_([e.id for e in candidates])
                )
            )
        )
        .scalars()
        .all()
    )
    todo = [e for e in candidates if e.id not in reversed_ids]
    # What goes back to the client first, then what is taken back, so an account that the
    # ticket both credited and debited never dips below zero half-way through.
    return sorted(todo, key=lambda e: (e.amount > 0, e.id))


async def _what(session: AsyncSession, account: StoredValueAccount) -> str:
    """The stored value an account holds, in the words the refusal uses."""
    if account.kind == StoredValueKind.PREPAID_VISITS.value:
        service = await session.get(Service, account.service_id)
        return f"prepaid visits of {service.name if service else 'that service'}"
    if account.kind == StoredValueKind.PRODUCT_UNITS.value:
        product = await session.get(Product, account.product_id)
        return f"{product.name if product else 'product'} units in the bank"
    return "in the Beauty Bank"


async def _check_balances(
    session: AsyncSession,
    entries: Sequence[LedgerEntry],
    balances: dict[int, int],
    store: StoreView,
) -> None:
    """Refuse the whole refund if it would take units, visits or Beauty Bank money below
    zero (the client already spent what the ticket gave them). Account money may go into
    owed (docs/rules.md#the-ledger, L4 and L6)."""
    taken: dict[int, int] = {}
    for entry in entries:
        taken[entry.account_id] = taken.get(entry.account_id, 0) + entry.amount
    for account_id, amount in sorted(taken.items()):
        available = balances[account_id]
        if amount <= 0 or available - amount >= 0:
            continue
        account = await session.get(StoredValueAccount, account_id)
        assert account is not None
        if account.kind == StoredValueKind.ACCOUNT_MONEY.value:
            continue
        what = await _what(session, account)
        if account.kind == StoredValueKind.WALLET_MONEY.value:
            cur, loc = store.currency, store.locale
            have = format_money(from_minor(available, cur), cur, loc)
            need = format_money(from_minor(amount, cur), cur, loc)
        else:
            have, need = str(available), str(amount)
        raise InsufficientBalance(
            available=available,
            requested=amount,
            field="ticket",
            message=(
                f"Can't refund: the client has {have} {what} and the refund takes back "
                f"{need}; they were already used"
            ),
        )


async def _reverse_entries(
    session: AsyncSession,
    actor: Actor,
    ticket_id: int,
    entries: Sequence[LedgerEntry],
    text: str,
    approved_by: int | None,
) -> int:
    for entry in entries:
        await ledger.reverse(
            session,
            entry.id,
            description=f"Refund of ticket #{ticket_id}: {text}"[:200],
            actor=actor,
            reason=Reason.REFUND.value,
            ticket_id=ticket_id,
            approved_by=approved_by,
        )
    return len(entries)


async def _reverse_payments(session: AsyncSession, actor: Actor, ticket_id: int) -> None:
    """Each payment gets a negative twin, same method, for what was kept (less its change)."""
    payments = (
        (
            await session.execute(
                select(Payment)
                .where(Payment.ticket_id == ticket_id, Payment.reverses_payment_id.is_(None))
                .order_by(Payment.id)
            )
        )
        .scalars()
        .all()
    )
    for pay in payments:
        kept = pay.amount_minor - pay.change_minor
        if kept:
            session.add(
                Payment(
                    ticket_id=ticket_id,
                    client_id=pay.client_id,
                    method=pay.method,
                    amount_minor=-kept,
                    change_minor=0,
                    staff_id=actor.staff_id,
                    terminal=actor.terminal,
                    reverses_payment_id=pay.id,
                )
            )


async def _reverse_commissions(session: AsyncSession, ticket_id: int) -> None:
    """Each commission row gets a negative "reversal" row for the same staff member."""
    commissions = (
        (
            await session.execute(
                select(Commission)
                .where(Commission.ticket_id == ticket_id, Commission.amount_minor > 0)
                .order_by(Commission.id)
            )
        )
        .scalars()
        .all()
    )
    for c in commissions:
        session.add(
            Commission(
                ticket_id=ticket_id,
                ticket_line_id=c.ticket_line_id,
                staff_id=c.staff_id,
                kind="reversal",
                amount_minor=-c.amount_minor,
            )
        )


class RefundCases(Area):
    """The till's refund of a whole ticket."""

    async def reverse(
        self, ticket_id: int, reason: str, *, approval: Approval | None = None
    ) -> int:
        """Refund a whole completed ticket once, with a reason (docs/rules.md, R6).

        Returns the number of ledger entries written. A second refund is a
        `ValidationError` on "ticket"; a refund of stored value the client has already
        used is an `InsufficientBalance` naming it. Either way nothing is written. A
        ticket worth more than the threshold needs a second person (X4)."""
        text = clean_description(reason, field="reason")
        actor = self.ctx.actor
        approver = await verify_approver(self.ctx, approval)
        async with self.ctx.transaction() as session:
            await require(session, actor, Perm.REFUND_TICKETS)
            store = await load_store(session)
            ticket = await _lock_ticket(session, ticket_id)
            approved_by = await require_approval(session, self.ctx, ticket.total_minor, approver)
            entries = await _entries_to_reverse(session, ticket_id)
            balances = await ledger.lock_accounts(session, [e.account_id for e in entries])
            await _check_balances(session, entries, balances, store)
            count = await _reverse_entries(session, actor, ticket_id, entries, text, approved_by)
            await _reverse_payments(session, actor, ticket_id)
            await _reverse_commissions(session, ticket_id)
            ticket.status = "refunded"
            ticket.reversed_at = utcnow()  # the same clock as every row it writes
            ticket.refund_reason = text
            ticket.refunded_by = actor.staff_id
            ticket.refund_terminal = actor.terminal
            ticket.refund_approved_by = approved_by
        await save_receipt(self.ctx, ticket_id)  # the file now says REFUNDED
        return count
