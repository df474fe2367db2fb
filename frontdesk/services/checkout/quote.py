"""What a visit costs now, before any stored value or tender is chosen (read only)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Appointment, StoredValueAccount
from frontdesk.domain.checkout import CheckoutRequest, quote
from frontdesk.domain.errors import NotFound
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.checkout.pricing import (
    appointment_lines,
    membership_discount,
    price_line,
    result_line,
)
from frontdesk.views.till import AmountDue


async def _money_balances(session: AsyncSession, client_id: int) -> dict[str, int]:
    """The client's wallet and account-credit balances by kind (unlocked: a quote only)."""
    return {
        acc.kind: acc.balance
        for acc in (
            await session.execute(
                select(StoredValueAccount).where(
                    StoredValueAccount.client_id == client_id,
                    StoredValueAccount.kind.in_(
                        [
                            StoredValueKind.WALLET_MONEY.value,
                            StoredValueKind.ACCOUNT_MONEY.value,
                        ]
                    ),
                )
            )
        ).scalars()
    }


class QuoteCases(Area):
    """The till's quote: what a visit costs now."""

    async def amount_due(self, appointment_id: int) -> AmountDue:
        async with self.ctx.read() as session:
            appt = await session.get(Appointment, appointment_id)
            if appt is None:
                raise NotFound("appointment")
            store = await load_store(session)
            cur = store.currency
            inputs = await appointment_lines(session, appointment_id, appt.client_id, lock=False)
            priced = [await price_line(session, store, inp, i) for i, inp in enumerate(inputs)]
            totals = quote(
                CheckoutRequest(
                    lines=tuple(p.line for p in priced),
                    currency=cur,
                    membership_discount_percent=await membership_discount(session, appt.client_id),
                )
            )
            balances = await _money_balances(session, appt.client_id)
            return AmountDue(
                currency=cur,
                lines=tuple(result_line(p, lt) for p, lt in zip(priced, totals.lines, strict=True)),
                subtotal=totals.subtotal,
                membership_discount=totals.membership_discount,
                total=totals.total_after_discounts,
                wallet_available=from_minor(
                    max(balances.get(StoredValueKind.WALLET_MONEY.value, 0), 0), cur
                ),
                account_credit_available=from_minor(
                    max(balances.get(StoredValueKind.ACCOUNT_MONEY.value, 0), 0), cur
                ),
            )
