"""Membership plans: list, read, add, change, and stop or start offering them.

Setting a plan up needs "setup"; reading plans does not (the desk sells them). A plan is
never deleted: memberships keep pointing at it, so it is deactivated instead.

A change to a plan applies from the next cycle: nothing here touches memberships or
their Beauty Banks. Renewals (and the next Select choice) read the plan as it is when
each membership's next cycle runs, so a new price or Credit amount is what that cycle
charges and credits, and what a cycle already credited stays as it was.

The rules are `frontdesk.domain.plans`: field errors refuse the save (nothing written);
the seed's common mistakes are warnings for the editor to show, never a refusal. The
Credit amount is stored as typed, never derived from the fee.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import MembershipPlan, Service
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.permissions import Perm
from frontdesk.domain.plans import BillingCycle, PlanInput, PlanMode, check_plan
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.staff import require
from frontdesk.services.versions import mark_changed, save_checked
from frontdesk.views.plans import PlanView


async def _money(session: AsyncSession) -> MoneyContext:
    return (await load_store(session)).money


def _view(row: MembershipPlan, money: MoneyContext, service_name: str) -> PlanView:
    return PlanView(
        currency=money.currency,
        locale=money.locale,
        id=row.id,
        name=row.name,
        price=money.from_minor(row.price_minor),
        billing_cycle=BillingCycle(row.billing_cycle),
        discount_percent=row.discount_percent,
        beauty_bank=row.beauty_bank,
        mode=PlanMode(row.mode),
        credit=money.from_minor(row.credit_minor),
        cash_alternative=money.from_minor(row.cash_alternative_minor),
        included_service_id=row.included_service_id,
        included_service_name=service_name,
        active=row.active,
        version=row.version,
    )


async def _service_name(session: AsyncSession, service_id: int | None) -> str:
    if service_id is None:
        return ""
    return await session.scalar(select(Service.name).where(Service.id == service_id)) or ""


def _write(row: MembershipPlan, plan: PlanInput, money: MoneyContext) -> None:
    row.name = plan.name
    row.price_minor = money.to_minor(plan.price)
    row.billing_cycle = plan.billing_cycle.value
    row.discount_percent = plan.discount_percent
    row.beauty_bank = plan.beauty_bank
    row.mode = plan.mode.value
    row.credit_minor = money.to_minor(plan.credit)  # as typed: never from the fee
    row.cash_alternative_minor = money.to_minor(plan.cash_alternative)
    row.included_service_id = plan.included_service_id


class Plans(Area):
    """The membership plans a store offers (setup: issue 16, item 1)."""

    async def list(self, *, everyone: bool = False) -> tuple[PlanView, ...]:
        """Offered plans by name (`everyone`: the deactivated too)."""
        async with self.ctx.read() as session:
            money = await _money(session)
            stmt = (
                select(MembershipPlan, Service.name)
                .outerjoin(Service, Service.id == MembershipPlan.included_service_id)
                .order_by(MembershipPlan.name, MembershipPlan.id)
            )
            if not everyone:
                stmt = stmt.where(MembershipPlan.active.is_(True))
            rows = (await session.execute(stmt)).all()
            return tuple(_view(plan, money, name or "") for plan, name in rows)

    async def get(self, plan_id: int) -> PlanView:
        async with self.ctx.read() as session:
            row = await self._row(session, plan_id, lock=False)
            name = await _service_name(session, row.included_service_id)
            return _view(row, await _money(session), name)

    async def create(self, plan: PlanInput) -> PlanView:
        """A new plan, offered at once. Needs "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            money = await _money(session)
            clean = check_plan(plan, money)
            name = await self._included(session, clean)
            row = MembershipPlan()
            _write(row, clean, money)
            mark_changed(row, self.ctx.actor)
            session.add(row)
            await session.flush()
            return _view(row, money, name)

    async def update(
        self, plan_id: int, plan: PlanInput, *, expected_version: int | None = None
    ) -> PlanView:
        """Change a plan; it applies from each membership's next cycle. Needs "setup";
        refused (`StaleVersion`) if another terminal saved it since `expected_version`."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            money = await _money(session)
            clean = check_plan(plan, money)
            name = await self._included(session, clean)
            row = await self._row(session, plan_id, lock=True)
            save_checked(row, self.ctx.actor, expected_version)
            _write(row, clean, money)
            await session.flush()
            return _view(row, money, name)

    async def set_active(self, plan_id: int, active: bool) -> PlanView:
        """Offer a plan again, or stop offering it (memberships on it go on). Needs
        "setup"."""
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            row = await self._row(session, plan_id, lock=True)
            if row.active != active:
                row.active = active
                mark_changed(row, self.ctx.actor)
            await session.flush()
            name = await _service_name(session, row.included_service_id)
            return _view(row, await _money(session), name)

    @staticmethod
    async def _included(session: AsyncSession, plan: PlanInput) -> str:
        """The included treatment's name; refused at its field if it is not offered."""
        if plan.included_service_id is None:
            return ""
        name = await session.scalar(
            select(Service.name).where(
                Service.id == plan.included_service_id, Service.active.is_(True)
            )
        )
        if name is None:
            raise ValidationError("included_service", "Choose a treatment the store offers")
        return name

    @staticmethod
    async def _row(session: AsyncSession, plan_id: int, *, lock: bool) -> MembershipPlan:
        row = await session.get(MembershipPlan, plan_id, with_for_update=lock)
        if row is None:
            raise NotFound(f"membership plan {plan_id}")
        return row
