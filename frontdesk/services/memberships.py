"""A client's memberships: list, pause, resume, change plan, cancel (issue 16, item 2).

Rules: docs/rules.md#memberships. None of these writes a ledger entry: a membership's
Beauty Bank is the client's (W6), so pausing or cancelling keeps its balance and its
history, and the member discount follows the status (only "active" gives it). Each write
is refused (`StaleVersion`) if another terminal changed the membership since the caller
read `expected_version`, and names who and where it was made (the row version).

Who may: pausing, resuming and changing the plan are front-desk work ("take payments":
whoever takes the membership's payments at the desk); cancelling ends what the client
pays for, so it needs "cancel memberships" (managers, owners).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Client, Membership, MembershipCycle, MembershipPlan, utcnow
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.memberships import MembershipStatus, resumed_renewal
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.parsing import clean_description
from frontdesk.domain.permissions import Perm
from frontdesk.domain.plans import BillingCycle, PlanMode
from frontdesk.domain.renewals import PAST_DUE
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.staff import require
from frontdesk.services.versions import check_version, mark_changed
from frontdesk.views.memberships import MembershipRow

ACTIVE = MembershipStatus.ACTIVE
PAUSED = MembershipStatus.PAUSED
CANCELLED = MembershipStatus.CANCELLED


def _row(
    m: Membership, plan: MembershipPlan, money: MoneyContext, past_due: bool = False
) -> MembershipRow:
    return MembershipRow(
        currency=money.currency,
        locale=money.locale,
        id=m.id,
        client_id=m.client_id,
        plan_id=plan.id,
        plan_name=plan.name,
        status=MembershipStatus(m.status),
        started_on=m.started_on,
        next_renewal=m.next_renewal,
        price=money.from_minor(plan.price_minor),
        billing_cycle=BillingCycle(plan.billing_cycle),
        discount_percent=plan.discount_percent,
        beauty_bank=plan.beauty_bank,
        mode=PlanMode(plan.mode),
        cancelled_at=m.cancelled_at,
        cancel_reason=m.cancel_reason,
        version=m.version,
        past_due=past_due,
    )


async def _past_due(session: AsyncSession, members: list[Membership]) -> set[int]:
    """Which of these memberships' due cycle (at `next_renewal`) is declined or failed."""
    due = {(m.id, m.next_renewal) for m in members if m.next_renewal is not None}
    if not due:
        return set()
    rows = await session.execute(
        select(MembershipCycle.membership_id, MembershipCycle.cycle_start).where(
            MembershipCycle.membership_id.in_([m for m, _ in due]),
            MembershipCycle.status.in_([s.value for s in PAST_DUE]),
        )
    )
    return {m for m, start in rows if (m, start) in due}


class Memberships(Area):
    """The memberships on a client's profile (`desk.memberships`)."""

    async def list(self, client_id: int) -> tuple[MembershipRow, ...]:
        """Every membership of the client, current ones first, then newest first."""
        async with self.ctx.read() as session:
            if await session.get(Client, client_id) is None:
                raise NotFound("client")
            money = (await load_store(session)).money
            rows = (
                await session.execute(
                    select(Membership, MembershipPlan)
                    .join(MembershipPlan, MembershipPlan.id == Membership.plan_id)
                    .where(Membership.client_id == client_id)
                    .order_by(Membership.started_on.desc(), Membership.id.desc())
                )
            ).all()
            late = await _past_due(session, [m for m, _ in rows])
            out = [_row(m, plan, money, m.id in late) for m, plan in rows]
            return tuple(sorted(out, key=lambda r: r.status is CANCELLED))

    async def pause(
        self, membership_id: int, *, expected_version: int | None = None
    ) -> MembershipRow:
        """Pause an active membership: no renewal, no Beauty Bank credit and no member
        discount until it is resumed. Needs "take payments"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.TAKE_PAYMENTS)
            m = await self._locked(session, membership_id, expected_version)
            if m.status != ACTIVE:
                raise ValidationError(
                    "membership",
                    f"Only an active membership can be paused (this one is {m.status})",
                )
            m.status = PAUSED
            return await self._saved(session, m)

    async def resume(
        self,
        membership_id: int,
        *,
        expected_version: int | None = None,
        today: dt.date | None = None,
    ) -> MembershipRow:
        """Make a paused membership active again. If its next renewal passed while it was
        paused, it moves to the first renewal date on or after `today` on the anchor day
        (`frontdesk.domain.memberships.resumed_renewal`): the cycles missed while paused
        are neither charged nor credited. Needs "take payments"."""
        day = today or dt.date.today()
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.TAKE_PAYMENTS)
            m = await self._locked(session, membership_id, expected_version)
            if m.status != PAUSED:
                raise ValidationError(
                    "membership",
                    f"Only a paused membership can be resumed (this one is {m.status})",
                )
            plan = await self._plan(session, m.plan_id)
            cycle = BillingCycle(plan.billing_cycle)
            m.next_renewal = resumed_renewal(m.started_on, m.next_renewal, cycle, day)
            m.status = ACTIVE
            return await self._saved(session, m)

    async def change_plan(
        self, membership_id: int, plan_id: int, *, expected_version: int | None = None
    ) -> MembershipRow:
        """Move an active or paused membership to another plan the store offers. It
        applies from the next cycle: renewals read the plan when they run, so the next
        renewal charges the new price and credits the new plan's Beauty Bank; the renewal
        date and what was already credited stay. Needs "take payments"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.TAKE_PAYMENTS)
            m = await self._locked(session, membership_id, expected_version)
            if m.status == CANCELLED:
                raise ValidationError("membership", "A cancelled membership can't change plan")
            if plan_id == m.plan_id:
                raise ValidationError("plan", "The membership is already on that plan")
            plan = await session.get(MembershipPlan, plan_id)
            if plan is None or not plan.active:
                raise ValidationError("plan", "Choose a plan the store offers")
            m.plan_id = plan.id
            return await self._saved(session, m)

    async def cancel(
        self, membership_id: int, reason: str, *, expected_version: int | None = None
    ) -> MembershipRow:
        """End a membership, with a reason (required). No more renewals; the Beauty Bank
        balance and its history stay with the client (W6): nothing is posted. Needs
        "cancel memberships"."""
        why = clean_description(reason, field="reason")
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.CANCEL_MEMBERSHIPS)
            m = await self._locked(session, membership_id, expected_version)
            if m.status == CANCELLED:
                raise ValidationError("membership", "This membership is already cancelled")
            m.status = CANCELLED
            m.cancelled_at = utcnow()
            m.cancel_reason = why
            m.next_renewal = None
            return await self._saved(session, m)

    async def _locked(
        self, session: AsyncSession, membership_id: int, expected_version: int | None
    ) -> Membership:
        m = await session.get(Membership, membership_id, with_for_update=True)
        if m is None:
            raise NotFound(f"membership {membership_id}")
        check_version(m, expected_version)
        return m

    async def _saved(self, session: AsyncSession, m: Membership) -> MembershipRow:
        mark_changed(m, self.ctx.actor)
        await session.flush()
        plan = await self._plan(session, m.plan_id)
        return _row(m, plan, (await load_store(session)).money)

    @staticmethod
    async def _plan(session: AsyncSession, plan_id: int) -> MembershipPlan:
        plan = await session.get(MembershipPlan, plan_id)
        if plan is None:
            raise NotFound(f"membership plan {plan_id}")
        return plan
