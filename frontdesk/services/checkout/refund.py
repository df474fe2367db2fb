"""Refunding a whole ticket by new entries and negative twins; nothing is updated or deleted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db import ledger
from frontdesk.db.ledger import Actor
from frontdesk.db.tables import Commission, LedgerEntry, Payment, Ticket
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.ledger import Reason
from frontdesk.domain.parsing import clean_description
from frontdesk.services.area import Area


async def _reverse_entries(session: AsyncSession, actor: Actor, ticket_id: int, text: str) -> int:
    """Reverse each of the ticket's entries not reversed yet, under the account locks."""
    entries = (
        (
            await session.execute(
                select(LedgerEntry)
                .where(LedgerEntry.ticket_id == ticket_id, LedgerEntry.reverses_entry_id.is_(None))
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
                    LedgerEntry.reverses_entry_id.in_([e.id for e in entries])
                )
            )
        )
        .scalars()
        .all()
    )
    await ledger.lock_accounts(session, [e.account_id for e in entries])
    count = 0
    for entry in entries:
        if entry.id in reversed_ids:
            continue
        await ledger.reverse(
            session,
            entry.id,
            description=f"Refund: {text}",
            actor=actor,
            reason=Reason.REFUND.value,
            ticket_id=ticket_id,
        )
        count += 1
    return count


async def _reverse_payments(session: AsyncSession, actor: Actor, ticket_id: int) -> None:
    """Each payment gets a negative twin for what was kept (the amount less its change)."""
    payments = (
        (
            await session.execute(
                select(Payment).where(
                    Payment.ticket_id == ticket_id, Payment.reverses_payment_id.is_(None)
                )
            )
        )
        .scalars()
        .all()
    )
    for pay in payments:
        session.add(
            Payment(
                ticket_id=ticket_id,
                client_id=pay.client_id,
                method=pay.method,
                amount_minor=-(pay.amount_minor - pay.change_minor),
                staff_id=actor.staff_id,
                terminal=actor.terminal,
                reverses_payment_id=pay.id,
            )
        )


async def _reverse_commissions(session: AsyncSession, ticket_id: int) -> None:
    commissions = (
        (await session.execute(select(Commission).where(Commission.ticket_id == ticket_id)))
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

    async def reverse(self, ticket_id: int, reason: str) -> int:
        """Refund a whole ticket by new entries: wallet money, visits and units come back,
        payments and commissions get negative twins. Returns the number of entries written."""
        text = clean_description(reason, field="reason")
        async with self.ctx.transaction() as session:
            ticket = await session.get(Ticket, ticket_id)
            if ticket is None:
                raise NotFound("ticket")
            if ticket.reversed_at is not None:
                raise ValidationError("ticket", f"Ticket #{ticket_id} was already refunded")
            count = await _reverse_entries(session, self.ctx.actor, ticket_id, text)
            await _reverse_payments(session, self.ctx.actor, ticket_id)
            await _reverse_commissions(session, ticket_id)
            # Add-on Use entries belong to the visit, not the ticket: the units were consumed
            # on the client, so a refund of the payment does not put them back in the bank.
            ticket.reversed_at = dt.datetime.now(dt.UTC)
            ticket.status = "reversed"
            return count
