"""What an open ticket costs now: the till's read-only quote for any ticket (read only).

The ticket screen sends the same `CheckoutInput` it will complete, and gets back every
line priced the way `complete` prices it (`pricing.price_line`, the appointment's own lines
first), run through the domain's checkout order with the Beauty Bank and account credit
staff toggled, up to the balances held now. Tenders are not counted: the screen shows what
they must cover. One read transaction; nothing is written.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Client, StoredValueAccount
from frontdesk.domain.checkout import CheckoutRequest, LineKind, LineTotals, Promotion, quote
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.domain.promotions import FIELD
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.checkout.pricing import (
    Priced,
    membership_discount,
    price_ticket,
    result_line,
)
from frontdesk.services.checkout.promotions import BOTH, resolve_code
from frontdesk.services.prepaid import prepaid_items_in
from frontdesk.views import StoreView
from frontdesk.views.balances import PrepaidItem
from frontdesk.views.till import CheckoutInput, QuoteLine, TicketQuote

_SERVICE_KINDS = frozenset({LineKind.SERVICE, LineKind.PREPAID_SALE, LineKind.PREPAID_REDEEM})


def _visits_left(priced: list[Priced], prepaid: tuple[PrepaidItem, ...]) -> dict[int, int]:
    """Visits held per service, less those redeemed on this ticket."""
    left: dict[int, int] = {}
    for item in prepaid:
        left[item.service_id] = left.get(item.service_id, 0) + item.remaining
    for p in priced:
        if p.inp.kind is LineKind.PREPAID_REDEEM and p.service is not None:
            left[p.service.id] = left.get(p.service.id, 0) - p.inp.quantity
    return {service: max(n, 0) for service, n in left.items()}


def _quote_line(p: Priced, lt: LineTotals, left: dict[int, int]) -> QuoteLine:
    inp = p.inp
    service_id = p.service.id if p.service is not None else inp.service_id
    return QuoteLine(
        **result_line(p, lt).model_dump(),
        qty_used=inp.qty_used if inp.kind is LineKind.PREPAID_SALE else 0,
        service_id=service_id,
        product_id=inp.product_id,
        package_id=inp.package_id,
        plan_id=inp.plan_id,
        membership_id=inp.membership_id,
        appointment_id=inp.appointment_id,
        staff_id=inp.staff_id,
        prepaid_left=left.get(service_id or 0, 0) if inp.kind in _SERVICE_KINDS else None,
    )


async def _promotion(
    session: AsyncSession, data: CheckoutInput, store: StoreView
) -> Promotion | None:
    """The code's promotion as `complete` will grant it (a bad code is its field error),
    or the manual percent or amount."""
    if data.promotion_code and data.promotion_code.strip():
        if data.promotion_percent is not None or data.promotion_fixed is not None:
            raise ValidationError(FIELD, BOTH)
        _, promotion = await resolve_code(
            session, data.promotion_code, data.client_id, dt.date.today(), store, lock=False
        )
        return promotion
    if data.promotion_percent is None and data.promotion_fixed is None:
        return None
    return Promotion(percent=data.promotion_percent, fixed=data.promotion_fixed)


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


class TicketQuoteCases(Area):
    """The till's quote for an open ticket."""

    async def quote(self, data: CheckoutInput) -> TicketQuote:
        """Price `data` as `complete` would, with the stored value toggled; write nothing."""
        async with self.ctx.read() as session:
            store = await load_store(session)
            cur = store.currency
            client = await session.get(Client, data.client_id)
            if client is None:
                raise NotFound("client")
            priced = await price_ticket(session, store, data, lock=False)
            balances = await _money_balances(session, data.client_id)
            wallet = from_minor(max(balances.get(StoredValueKind.WALLET_MONEY.value, 0), 0), cur)
            credit = from_minor(max(balances.get(StoredValueKind.ACCOUNT_MONEY.value, 0), 0), cur)
            percent = await membership_discount(session, data.client_id)
            totals = quote(
                CheckoutRequest(
                    lines=tuple(p.line for p in priced),
                    currency=cur,
                    locale=store.locale,
                    membership_discount_percent=percent,
                    promotion=await _promotion(session, data, store),
                    use_wallet=data.use_wallet,
                    wallet_balance=wallet,
                    wallet_amount=None
                    if data.wallet_amount is None
                    else min(data.wallet_amount, wallet),
                    use_account_credit=data.use_account_credit,
                    account_credit_balance=credit,
                )
            )
            prepaid = await prepaid_items_in(session, data.client_id, cur, active_only=True)
            left = _visits_left(priced, prepaid)
            return TicketQuote(
                business_name=store.business_name,
                client_name=f"{client.first_name} {client.last_name}".strip(),
                currency=cur,
                locale=store.locale,
                lines=tuple(
                    _quote_line(p, lt, left) for p, lt in zip(priced, totals.lines, strict=True)
                ),
                subtotal=totals.subtotal,
                membership_discount_percent=percent,
                membership_discount=totals.membership_discount,
                promotion_discount=totals.promotion_discount,
                total=totals.total_after_discounts,
                wallet_available=wallet,
                wallet_applied=totals.wallet_applied,
                account_credit_available=credit,
                account_credit_applied=totals.account_credit_applied,
                due=totals.due_after_stored_value,
                prepaid=prepaid,
            )
