"""Promotion codes as the store sets them up (issue 16, item 1; C9 for the till's side).

A code is stored folded (upper case), so "spring10" and "SPRING10" are one code: a
duplicate is refused at the code field before anything is written, and a second
terminal saving the same new code at the same moment loses on the unique key, which
`frontdesk.db.races` turns into the same field error (never driver text). A code is
either a percentage or a fixed amount (the table's CHECK holds it too), valid from its
first day to its last inclusive. Withdrawn, never deleted: tickets record their uses.
Every write needs "setup".
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import PromotionCode, PromotionUse
from frontdesk.domain.catalogue_rules import PromotionInput, check_promotion
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.permissions import Perm
from frontdesk.services.area import Area
from frontdesk.services.setup_common import refuse_stale, store_money
from frontdesk.services.staff import require
from frontdesk.views.catalogue import PromotionSetupView

DUPLICATE = "A promotion with that code exists"


def _view(row: PromotionCode, money: MoneyContext, uses: int) -> PromotionSetupView:
    return PromotionSetupView(
        currency=money.currency,
        locale=money.locale,
        id=row.id,
        code=row.code,
        description=row.description,
        percent=row.percent,
        fixed=None if row.fixed_minor is None else money.from_minor(row.fixed_minor),
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        once_per_client=row.once_per_client,
        active=row.active,
        uses=uses,
    )


def _write(row: PromotionCode, promo: PromotionInput, money: MoneyContext) -> None:
    row.code = promo.code
    row.description = promo.description
    row.percent = promo.percent
    row.fixed_minor = None if promo.fixed is None else money.to_minor(promo.fixed)
    row.valid_from = promo.valid_from
    row.valid_to = promo.valid_to
    row.once_per_client = promo.once_per_client


async def _uses(session: AsyncSession, ids: list[int]) -> dict[int, int]:
    rows = await session.execute(
        select(PromotionUse.promotion_id, func.count())
        .where(PromotionUse.promotion_id.in_(ids))
        .group_by(PromotionUse.promotion_id)
    )
    return {int(pid): int(n) for pid, n in rows}


class PromotionSetup(Area):
    async def promotions(self, *, everyone: bool = False) -> tuple[PromotionSetupView, ...]:
        """Active codes by code (`everyone`: the withdrawn too), each with its uses."""
        async with self.ctx.read() as session:
            money = await store_money(session)
            stmt = select(PromotionCode).order_by(PromotionCode.code)
            if not everyone:
                stmt = stmt.where(PromotionCode.active.is_(True))
            rows = list((await session.execute(stmt)).scalars())
            uses = await _uses(session, [r.id for r in rows])
            return tuple(_view(r, money, uses.get(r.id, 0)) for r in rows)

    async def promotion(self, promotion_id: int) -> PromotionSetupView:
        async with self.ctx.read() as session:
            return await self._view(session, await self._row(session, promotion_id))

    async def create(self, promo: PromotionInput) -> PromotionSetupView:
        """A new code, usable from its first day. Needs "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            money = await store_money(session)
            clean = check_promotion(promo, money)
            await self._unique(session, clean.code, None)
            row = PromotionCode(active=True)
            _write(row, clean, money)
            session.add(row)
            await session.flush()  # a racing twin fails here: races.py names the field
            return _view(row, money, 0)

    async def update(
        self, promotion_id: int, promo: PromotionInput, *, expected: PromotionInput | None = None
    ) -> PromotionSetupView:
        """Change a code's terms; tickets already paid keep the discount they got.
        Refused if it changed elsewhere since `expected` was read. Needs "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            money = await store_money(session)
            clean = check_promotion(promo, money)
            row = await self._row(session, promotion_id, lock=True)
            refuse_stale(_view(row, money, 0).as_input(), expected)
            await self._unique(session, clean.code, row.id)
            _write(row, clean, money)
            await session.flush()
            return await self._view(session, row)

    async def set_active(self, promotion_id: int, active: bool) -> PromotionSetupView:
        """Withdraw a code (the till then reads it as unknown, C9) or bring it back.
        Needs "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            row = await self._row(session, promotion_id, lock=True)
            row.active = active
            await session.flush()
            return await self._view(session, row)

    @staticmethod
    async def _unique(session: AsyncSession, code: str, own_id: int | None) -> None:
        other = await session.scalar(select(PromotionCode.id).where(PromotionCode.code == code))
        if other is not None and other != own_id:
            raise ValidationError("code", DUPLICATE)

    @staticmethod
    async def _view(session: AsyncSession, row: PromotionCode) -> PromotionSetupView:
        uses = await _uses(session, [row.id])
        return _view(row, await store_money(session), uses.get(row.id, 0))

    @staticmethod
    async def _row(
        session: AsyncSession, promotion_id: int, *, lock: bool = False
    ) -> PromotionCode:
        row = await session.get(PromotionCode, promotion_id, with_for_update=lock)
        if row is None:
            raise NotFound(f"promotion {promotion_id}")
        return row
