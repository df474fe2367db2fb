"""Membership renewals (issue 16, items 3-5): the run, the Select choice, past due.

`desk.renewals.run(on, gateway)` renews every active membership whose cycle has started
(`frontdesk renewals run`, from cron or a systemd timer); `choose(cycle_id, choice,
key=...)` makes a Select cycle's choice, once; `pending(client_id)` lists the choices
waiting. The steps of one renewal are in `run`, the rules a paid cycle follows (shared
with the desk's MEMBERSHIP_RENEWAL line) in `frontdesk.services.membership_cycles`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from frontdesk.db.ledger import Actor
from frontdesk.db.tables import Membership, MembershipCycle, MembershipPlan, Service, Staff
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.money import from_minor
from frontdesk.domain.permissions import Perm
from frontdesk.domain.renewals import Benefit, choice_expired
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.membership_cycles import give_choice
from frontdesk.services.payment_gateway import PaymentGateway
from frontdesk.services.renewals.run import renew_one
from frontdesk.services.staff import require
from frontdesk.services.write_keys import real_outcome
from frontdesk.views.renewals import BenefitChoice, BenefitChosen, PendingBenefit, RenewalReport

CHOICES: tuple[BenefitChoice, ...] = ("treatment", "cash")


class Renewals(Area):
    async def recorded_as(self, number: int | None) -> int:
        """For `frontdesk renewals run` (the operator, nobody signed in): the staff member
        the run's writes are recorded as, who must be active and hold the permission;
        `number` None means the first active owner. Every ledger entry names someone."""
        async with self.ctx.read() as session:
            if number is None:
                number = await session.scalar(
                    select(Staff.id)
                    .where(Staff.role == "owner", Staff.active.is_(True))
                    .order_by(Staff.id)
                    .limit(1)
                )
                if number is None:
                    raise ValidationError(
                        "staff", "No active owner to record the run as: give --staff NUMBER"
                    )
            await require(session, Actor(number, self.ctx.actor.terminal), Perm.RUN_RENEWALS)
            return number

    async def run(self, on: dt.date, gateway: PaymentGateway) -> RenewalReport:
        """Renew every membership due on `on`: safe to run any number of times, on any
        number of terminals at once (each cycle is charged and credited once)."""
        async with self.ctx.read() as session:
            await require(session, self.ctx.actor, Perm.RUN_RENEWALS)
            store = await load_store(session)
            due = list(
                await session.scalars(
                    select(Membership.id)
                    .where(Membership.status == "active", Membership.next_renewal <= on)
                    .order_by(Membership.id)
                )
            )
        expired = await self._expire_choices(on)
        counts = dict.fromkeys(
            ("renewed", "declined", "failed", "skipped", "unanswered", "error"), 0
        )
        credited = pending = 0
        errors: list[str] = []
        for membership_id in due:
            result = await renew_one(self.ctx, membership_id, on, gateway)
            counts[result.outcome] += 1
            if result.why:
                errors.append(f"membership #{membership_id}: {result.why}")
            credited += result.credited_minor
            pending += result.pending_choice
        return RenewalReport(
            currency=store.currency,
            locale=store.locale,
            on=on,
            renewed=counts["renewed"],
            credited=from_minor(credited, store.currency),
            pending_choices=pending,
            # A last declined attempt is a decline too; `failed` says how many were last.
            declined=counts["declined"] + counts["failed"],
            failed=counts["failed"],
            skipped=counts["skipped"],
            unanswered=counts["unanswered"],
            expired=expired,
            errors=tuple(errors),
        )

    async def _expire_choices(self, on: dt.date) -> int:
        """Select choices not made by the next cycle's start give nothing: recorded."""
        async with self.ctx.transaction() as session:
            done = await session.execute(
                update(MembershipCycle)
                .where(
                    MembershipCycle.benefit == Benefit.PENDING.value,
                    MembershipCycle.cycle_end <= on,
                )
                .values(benefit=Benefit.EXPIRED.value, benefit_at=dt.datetime.now(dt.UTC))
            )
            return int(getattr(done, "rowcount", 0) or 0)

    async def pending(
        self, client_id: int, on: dt.date | None = None
    ) -> tuple[PendingBenefit, ...]:
        """The client's Select cycles waiting for a choice on `on` (today), oldest first."""
        today = on or dt.date.today()
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
        today = on or dt.date.today()
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
