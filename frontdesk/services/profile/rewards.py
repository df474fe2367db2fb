"""Rewards: an append-only points ledger per client, earned by visits and spend, spent on
prizes."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Prize, RewardEntry, Staff
from frontdesk.domain.errors import InsufficientBalance, NotFound, ValidationError
from frontdesk.domain.fields import choice
from frontdesk.domain.parsing import clean_description
from frontdesk.services.area import Area
from frontdesk.services.context import ServiceContext
from frontdesk.services.profile.lookups import as_utc, check_page, load_client, lock_client
from frontdesk.views.profile import PrizeView, RewardEntryView, RewardReason, RewardsPage

POINTS_PER_VISIT = 10


async def _points_balance(session: AsyncSession, client_id: int) -> int:
    last = await session.scalar(
        select(RewardEntry.balance_after)
        .where(RewardEntry.client_id == client_id)
        .order_by(RewardEntry.id.desc())
        .limit(1)
    )
    return int(last or 0)


async def _reward_views(
    session: AsyncSession, where: list[Any], *, offset: int = 0, limit: int = 50
) -> list[RewardEntryView]:
    rows = await session.execute(
        select(RewardEntry, Staff.name)
        .outerjoin(Staff, Staff.id == RewardEntry.staff_id)
        .where(*where)
        .order_by(RewardEntry.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [
        RewardEntryView(
            id=e.id,
            points=e.points,
            balance_after=e.balance_after,
            reason=cast(RewardReason, e.reason),
            description=e.description,
            staff_name=staff_name or "",
            terminal=e.terminal,
            prize_id=e.prize_id,
            created_at=as_utc(e.created_at),
        )
        for e, staff_name in rows.all()
    ]


async def _post_points(
    ctx: ServiceContext,
    session: AsyncSession,
    client_id: int,
    points: int,
    *,
    reason: RewardReason,
    description: str,
    prize_id: int | None = None,
) -> RewardEntryView:
    await lock_client(ctx, session, client_id)
    before = await _points_balance(session, client_id)
    after = before + points
    if after < 0:
        raise InsufficientBalance(
            available=before,
            requested=-points,
            field="points",
            message=f"Not enough points: {before} available, {-points} needed",
        )
    entry = RewardEntry(
        client_id=client_id,
        points=points,
        balance_after=after,
        reason=reason,
        description=description,
        staff_id=ctx.actor.staff_id,
        terminal=ctx.actor.terminal,
        prize_id=prize_id,
    )
    session.add(entry)
    await session.flush()
    return (await _reward_views(session, [RewardEntry.id == entry.id]))[0]


class RewardsCases(Area):
    """The Rewards tab: points earned and spent, and the prizes to spend them on."""

    async def rewards(self, client_id: int, offset: int = 0, limit: int = 50) -> RewardsPage:
        offset, limit = check_page(offset, limit)
        async with self.ctx.read() as session:
            await load_client(session, client_id)
            where = [RewardEntry.client_id == client_id]
            total = await session.scalar(
                select(func.count()).select_from(RewardEntry).where(*where)
            )
            return RewardsPage(
                balance=await _points_balance(session, client_id),
                entries=tuple(await _reward_views(session, where, offset=offset, limit=limit)),
                total=int(total or 0),
                offset=offset,
                limit=limit,
            )

    async def earn_points(
        self,
        client_id: int,
        points: int,
        reason: RewardReason = "visit",
        description: str = "",
    ) -> RewardEntryView:
        """Append points: "visit"/"spend" earn (> 0); "adjust" may also take some away."""
        choice(reason, ("visit", "spend", "adjust"), "reason")
        if points == 0 or (points < 0 and reason != "adjust"):
            raise ValidationError("points", "Points earned must be more than zero")
        if abs(points) > 1_000_000:
            raise ValidationError("points", "Points must be at most 1,000,000")
        default = {"visit": "Points for a visit", "spend": "Points for spend", "adjust": ""}[reason]
        text = clean_description(description or default, field="description")
        async with self.ctx.transaction() as session:
            await load_client(session, client_id)
            return await _post_points(
                self.ctx, session, client_id, points, reason=reason, description=text
            )

    async def redeem_prize(self, client_id: int, prize_id: int) -> RewardEntryView:
        async with self.ctx.transaction() as session:
            await load_client(session, client_id)
            prize = await session.get(Prize, prize_id)
            if prize is None:
                raise NotFound("prize")
            if not prize.active:
                raise ValidationError("prize", f"{prize.name} is no longer offered")
            return await _post_points(
                self.ctx,
                session,
                client_id,
                -prize.points_cost,
                reason="redeem",
                description=f"Redeemed: {prize.name}",
                prize_id=prize.id,
            )

    async def prizes(self, *, active_only: bool = True) -> tuple[PrizeView, ...]:
        async with self.ctx.read() as session:
            stmt = select(Prize).order_by(Prize.points_cost, Prize.id)
            if active_only:
                stmt = stmt.where(Prize.active.is_(True))
            return tuple(
                PrizeView(id=p.id, name=p.name, points_cost=p.points_cost, active=p.active)
                for p in await session.scalars(stmt)
            )
