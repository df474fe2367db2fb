"""Promotion codes at the till: look one up for a client (a read), and the checkout step
that takes a code on a ticket (docs/rules.md#checkout-order, C9).

Checkout locks the code's row before it asks whether this client has used it, so two
terminals completing tickets with the same once-per-client code take turns: the second
sees the first one's use and gets "Already used by this client". PostgreSQL takes the
row lock (`SELECT … FOR UPDATE`); SQLite's write transactions already run one at a time
(`BEGIN IMMEDIATE`). The partial unique index on `promotion_uses` stays as the backstop,
and if it ever fires it means the same thing, said the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import PromotionCode, PromotionUse
from frontdesk.domain.checkout import Promotion
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.money import from_minor
from frontdesk.domain.promotions import (
    CODE_MAX,
    FIELD,
    PromotionTerms,
    check_code,
    fold_code,
)
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.views import StoreView
from frontdesk.views.till import CheckoutInput, PromotionView

ALREADY_USED = "Already used by this client"
BOTH = "Use a promotion code or a manual promotion, not both"


@dataclass(frozen=True, slots=True)
class AppliedCode:
    """A code taken on a ticket: what the checkout order applies and the receipt names."""

    code: str
    description: str
    promotion: Promotion


def _terms(row: PromotionCode, currency: str) -> PromotionTerms:
    fixed = None if row.fixed_minor is None else from_minor(row.fixed_minor, currency)
    return PromotionTerms(
        code=row.code,
        description=row.description,
        percent=row.percent,
        fixed=fixed,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        once_per_client=row.once_per_client,
        active=row.active,
    )


async def resolve_code(
    session: AsyncSession,
    typed: str,
    client_id: int,
    today: dt.date,
    store: StoreView,
    *,
    lock: bool,
) -> tuple[PromotionCode, Promotion]:
    """The code's row and the promotion it grants this client today, or the field error."""
    code = fold_code(typed)
    row = None
    if code and len(code) <= CODE_MAX:
        stmt = select(PromotionCode).where(PromotionCode.code == code)
        row = (await session.execute(stmt.with_for_update() if lock else stmt)).scalar_one_or_none()
    used = row is not None and row.once_per_client and await _used(session, row.id, client_id)
    terms = None if row is None else _terms(row, store.currency)
    promotion = check_code(terms, today, used_by_client=used, locale=store.locale)
    assert row is not None  # check_code refuses a code that matched nothing
    return row, promotion


async def _used(session: AsyncSession, promotion_id: int, client_id: int) -> bool:
    stmt = select(
        exists().where(
            PromotionUse.promotion_id == promotion_id, PromotionUse.client_id == client_id
        )
    )
    return bool(await session.scalar(stmt))


async def apply_code(
    session: AsyncSession,
    data: CheckoutInput,
    ticket_id: int,
    store: StoreView,
    today: dt.date,
) -> AppliedCode | None:
    """Checkout's promotion-code step: lock the code, check it for this client today and
    record its use on the ticket. None when the ticket carries no code."""
    if data.promotion_code is None or not data.promotion_code.strip():
        return None
    if data.promotion_percent is not None or data.promotion_fixed is not None:
        raise ValidationError(FIELD, BOTH)
    row, promotion = await resolve_code(
        session, data.promotion_code, data.client_id, today, store, lock=True
    )
    session.add(
        PromotionUse(
            promotion_id=row.id,
            client_id=data.client_id,
            ticket_id=ticket_id,
            once_per_client=row.once_per_client,
        )
    )
    try:
        await session.flush()
    except IntegrityError:
        # Only the once-per-client index can refuse this row (the ticket is this
        # transaction's own); the lock above means it should never get here.
        raise ValidationError(FIELD, ALREADY_USED) from None
    return AppliedCode(code=row.code, description=row.description, promotion=promotion)


class PromotionCases(Area):
    """The till's promotion codes."""

    async def find_promotion(self, code: str, client_id: int, today: dt.date) -> PromotionView:
        """The code as typed ("spring10" finds SPRING10) if this client may use it today;
        otherwise a `ValidationError` on `promotion_code` saying why not."""
        async with self.ctx.read() as session:
            store = await load_store(session)
            row, promotion = await resolve_code(session, code, client_id, today, store, lock=False)
            return PromotionView(
                code=row.code,
                description=row.description,
                currency=store.currency,
                percent=promotion.percent,
                fixed=promotion.fixed,
                valid_from=row.valid_from,
                valid_to=row.valid_to,
                once_per_client=row.once_per_client,
            )
