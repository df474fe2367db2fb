"""A Select cycle's choice: what is waiting for a client, and making it once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from frontdesk.db.tables import Membership, MembershipCycle, MembershipPlan, Service
from frontdesk.db.tables.base import local_today
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.money import from_minor
from frontdesk.domain.permissions import Perm
from frontdesk.domain.renewals import Benefit, choice_expired
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.membership_cycles import give_choice
from frontdesk.services.staff import require
from frontdesk.services.write_keys import real_outcome
from frontdesk.views.renewals import BenefitChoice, BenefitChosen, PendingBenefit

CHOICES: tuple[BenefitChoice, ...] = ("treatment", "cash")


class ChoiceCases(Area):
    """The benefit-choice modal's reads and its one write."""

    async def pending(
        self, client_id: int, on: dt.date | None = None
    ) -> tuple[PendingBenefit, ...]:
        """The client's Select cycles waiting for a choice on `on` (today), oldest first."""
        today = on or local_today()
        async with self.ctx.read() as session:
            store = await load_store(session)
            cur = store.currency
            rows = await session.execute(
                select(MembershipCycle, MembershipPlan.name, Service.name, Service.price_minor)
                .join(Membership, Membership.id == MembershipCycle.membership_id)
                .join(MembershipPlan, MembershipPlan.id == Membership.plan_id)
                .join(Service, Service.id == MembershipCycle.offer_service_id)
                .where(
                    Membership.client_id == client_id,
                    MembershipCycle.benefit == Benefit.PENDING.value,
                    MembershipCycle.cycle_end > today,
                )
                .order_by(MembershipCycle.cycle_start, MembershipCycle.id)
            )
            return tuple(
                PendingBenefit(
                    currency=cur,
                    locale=store.locale,
                    cycle_id=cycle.id,
                    membership_id=cycle.membership_id,
                    plan_name=plan_name,
                    cycle_start=cycle.cycle_start,
                    choose_by=cycle.cycle_end or cycle.cycle_start,
                    treatment_name=service_name,
                    treatment_value=from_minor(price, cur),
                    cash=from_minor(cycle.offer_cash_minor, cur),
                )
                for cycle, plan_name, service_name, price in rows.all()
            )

    @real_outcome(BenefitChosen)
    async def choose(
        self, cycle_id: int, choice: BenefitChoice, *, key: str, on: dt.date | None = None
    ) -> BenefitChosen:
        """The client's choice for a Select cycle: one visit of the included treatment or
        the cash alternative into the Beauty Bank. Once: a second choice is refused (also
        when two terminals choose at the same moment), and so is a lapsed one."""
        if choice not in CHOICES:
            raise ValidationError("choice", "Choose the treatment or the cash")
        today = on or local_today()
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.ADJUST_BALANCES)
            claim = await self.claim(session, key, "renewals.choose", cycle=cycle_id, choice=choice)
            if (first := claim.replay(BenefitChosen)) is not None:
                return first
            store = await load_store(session)
            cycle = await session.get(
                MembershipCycle, cycle_id, with_for_update=True, populate_existing=True
            )
            membership = (
                await session.get(Membership, cycle.membership_id) if cycle is not None else None
            )
            if cycle is None or membership is None:
                raise NotFound("membership cycle")
            _check_open(cycle, today)
            credited = await give_choice(
                session, self.ctx.actor, cycle, membership.client_id, choice
            )
            service = await session.get(Service, cycle.offer_service_id or 0)
            result = BenefitChosen(
                currency=store.currency,
                locale=store.locale,
                cycle_id=cycle.id,
                choice=choice,
                treatment_name=service.name if service is not None else "",
                cash=from_minor(credited, store.currency),
            )
            return await claim.done(session, result)


def _check_open(cycle: MembershipCycle, today: dt.date) -> None:
    """Refuse a choice already made, lapsed, or for a cycle that has none to make."""
    if cycle.benefit in (Benefit.TREATMENT, Benefit.CASH):
        made = "the treatment" if cycle.benefit == Benefit.TREATMENT else "the cash"
        raise ValidationError("choice", f"This month's benefit was already chosen: {made}")
    if cycle.benefit == Benefit.EXPIRED or (
        cycle.benefit == Benefit.PENDING and choice_expired(cycle.cycle_end, today)
    ):
        raise ValidationError("choice", "The choice for this cycle lapsed: it gives nothing")
    if cycle.benefit != Benefit.PENDING:
        raise ValidationError("choice", "This cycle has no benefit to choose")
