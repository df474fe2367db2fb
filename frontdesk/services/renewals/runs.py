"""The renewal run as a use case: who it is recorded as, every due membership renewed
(`frontdesk.services.renewals.run` has one renewal's steps), lapsed choices expired."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from frontdesk.db.tables import Membership, MembershipCycle
from frontdesk.db.tables.base import utcnow
from frontdesk.domain.money import from_minor
from frontdesk.domain.permissions import Perm
from frontdesk.domain.renewals import Benefit
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.payment_gateway import PaymentGateway
from frontdesk.services.renewals.run import renew_one
from frontdesk.services.staff import operator_acts_as, require
from frontdesk.views.renewals import RenewalReport


class RunCases(Area):
    """`frontdesk renewals run` and its service."""

    async def recorded_as(self, number: int | None) -> int:
        """For `frontdesk renewals run` (the operator, nobody signed in): the staff member
        the run's writes are recorded as, who must be active and hold the permission;
        `number` None means the first active owner. Every ledger entry names someone."""
        async with self.ctx.read() as session:
            return await operator_acts_as(
                session,
                self.ctx.actor.terminal,
                number,
                Perm.RUN_RENEWALS,
                "No active owner to record the run as: give --staff NUMBER",
            )

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
                .values(benefit=Benefit.EXPIRED.value, benefit_at=utcnow())
            )
            return int(getattr(done, "rowcount", 0) or 0)
