"""One membership's renewal in a run: claim the cycle, charge, record. Three steps, each
safe to stop after.

1. **Claim** (its own transaction, committed): insert the cycle's row (`ON CONFLICT DO
   NOTHING`: a run that finds it there skips, never errs), or move a declined cycle to
   its next attempt with a conditional UPDATE (two runs: one wins). The attempt's key is
   deterministic: (membership, cycle start, attempt).
2. **Charge** the gateway with that key. Nothing is written.
3. **Record** in one transaction, under the cycle's lock: approved → a closed ticket with
   the MEMBERSHIP_RENEWAL line paid by card, written by the checkout itself under the
   same key (so takings count it), which pays the cycle and gives its benefit; declined
   → the cycle declined (or failed, after the last attempt) with the gateway's reason.

A run that stopped between 2 and 3 leaves the cycle *charging* under its key: the next
run asks the gateway again with the same key (answered as before, charged once) and
records it. Two runs at once may both ask; the cycle's lock lets one record, the other
finds it done and skips.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.dialects import dialect_module
from frontdesk.db.tables import Membership, MembershipCycle, MembershipPlan
from frontdesk.db.tables.base import utcnow
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import DomainError
from frontdesk.domain.money import from_minor, to_minor
from frontdesk.domain.normalize import printable
from frontdesk.domain.renewals import (
    Benefit,
    CycleStatus,
    after_decline,
    charge_key,
    is_due,
    may_retry,
)
from frontdesk.services.catalog import load_store
from frontdesk.services.checkout.complete import write_checkout
from frontdesk.services.context import ServiceContext
from frontdesk.services.membership_cycles import cycle_at
from frontdesk.services.payment_gateway import ChargeResult, PaymentGateway
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput

Outcome = Literal["renewed", "declined", "failed", "skipped", "unanswered", "error"]


@dataclass(frozen=True, slots=True)
class Attempt:
    """A claimed attempt: what to charge, under which key."""

    cycle_id: int
    key: str
    client_id: int
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    credited_minor: int = 0
    pending_choice: bool = False
    why: str = ""


async def renew_one(
    ctx: ServiceContext, membership_id: int, on: dt.date, gateway: PaymentGateway
) -> Result:
    """One membership's renewal; a refusal or a database fault while recording it is
    this membership's `error` (its cycle is left as it was: a claimed one is asked for
    again, with the same key, by the next run), never the end of the whole run."""
    try:
        return await _renew(ctx, membership_id, on, gateway)
    except DomainError as exc:
        return Result("error", why=str(exc))


async def _renew(
    ctx: ServiceContext, membership_id: int, on: dt.date, gateway: PaymentGateway
) -> Result:
    attempt = await _claim(ctx, membership_id, on)
    if attempt is None:
        return Result("skipped")
    try:
        answer = await gateway.charge(
            attempt.key, attempt.client_id, attempt.amount, attempt.currency
        )
    except Exception:  # any gateway's failure: unknown outcome, asked again next run
        return Result("unanswered")
    if answer.approved:
        return await _record_paid(ctx, attempt, answer)
    return await _record_declined(ctx, attempt, answer)


async def _claim(ctx: ServiceContext, membership_id: int, on: dt.date) -> Attempt | None:
    async with ctx.transaction() as session:
        membership = await session.get(Membership, membership_id, populate_existing=True)
        if membership is None or not is_due(membership.status, membership.next_renewal, on):
            return None  # paused, cancelled or renewed since the run listed it
        assert membership.next_renewal is not None
        start = membership.next_renewal
        plan = await session.get(MembershipPlan, membership.plan_id)
        assert plan is not None
        currency = (await load_store(session)).currency
        cycle = await cycle_at(session, membership_id, start)
        if cycle is None:
            claimed = await _insert_cycle(session, ctx, membership_id, start, on, plan.price_minor)
            if claimed is None:
                return None  # another run claimed it this moment
            return Attempt(
                claimed,
                charge_key(membership_id, start, 1),
                membership.client_id,
                from_minor(plan.price_minor, currency),
                currency,
            )
        if cycle.status == CycleStatus.CHARGING and cycle.charge_key:
            # A run stopped between charging and recording: ask again with the same key.
            key = cycle.charge_key
        elif may_retry(cycle.status, cycle.attempts, cycle.last_attempt_on, on):
            key = charge_key(membership_id, start, cycle.attempts + 1)
            moved = await session.execute(
                update(MembershipCycle)
                .where(
                    MembershipCycle.id == cycle.id,
                    MembershipCycle.status == CycleStatus.DECLINED.value,
                    MembershipCycle.attempts == cycle.attempts,
                )
                .values(
                    status=CycleStatus.CHARGING.value,
                    attempts=cycle.attempts + 1,
                    last_attempt_on=on,
                    charge_key=key,
                    # A retry charges the plan's price as it is now (a change applies
                    # from the next charge).
                    amount_minor=plan.price_minor,
                    staff_id=ctx.actor.staff_id,
                    terminal=ctx.actor.terminal,
                    updated_at=utcnow(),
                )
            )
            if getattr(moved, "rowcount", 0) != 1:
                return None
            cycle.amount_minor = plan.price_minor
        else:
            return None  # paid, failed for good, or already tried today
        return Attempt(
            cycle.id,
            key,
            membership.client_id,
            from_minor(cycle.amount_minor, currency),
            currency,
        )


async def _insert_cycle(
    session: AsyncSession,
    ctx: ServiceContext,
    membership_id: int,
    start: dt.date,
    on: dt.date,
    amount_minor: int,
) -> int | None:
    dialect = dialect_module("postgresql" if ctx.is_postgres else "sqlite")
    now = utcnow()
    inserted: int | None = await session.scalar(
        dialect.insert(MembershipCycle)
        .values(
            membership_id=membership_id,
            cycle_start=start,
            status=CycleStatus.CHARGING.value,
            attempts=1,
            last_attempt_on=on,
            charge_key=charge_key(membership_id, start, 1),
            amount_minor=amount_minor,
            decline_reason="",
            benefit=Benefit.NONE.value,
            offer_cash_minor=0,
            staff_id=ctx.actor.staff_id,
            terminal=ctx.actor.terminal,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["membership_id", "cycle_start"])
        .returning(MembershipCycle.id)
    )
    return inserted


async def _locked_charging(session: AsyncSession, attempt: Attempt) -> MembershipCycle | None:
    """The cycle, locked, if it still waits for this attempt's answer (else another run
    recorded it)."""
    cycle = (
        await session.execute(
            select(MembershipCycle)
            .where(MembershipCycle.id == attempt.cycle_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if cycle is None or cycle.status != CycleStatus.CHARGING or cycle.charge_key != attempt.key:
        return None
    return cycle


async def _record_paid(ctx: ServiceContext, attempt: Attempt, answer: ChargeResult) -> Result:
    async with ctx.transaction() as session:
        cycle = await _locked_charging(session, attempt)
        if cycle is None:
            return Result("skipped")
        data = CheckoutInput(
            idempotency_key=attempt.key,
            client_id=attempt.client_id,
            lines=(LineInput(kind=LineKind.MEMBERSHIP_RENEWAL, membership_id=cycle.membership_id),),
            tenders=(TenderInput(method="card", amount=attempt.amount),),
        )
        # The checkout pays the cycle (frontdesk.services.membership_cycles.pay_due_cycle).
        result = await write_checkout(session, ctx, data)
        cycle.gateway_ref = printable(answer.reference)[:80]
        cycle.decline_reason = ""
        credited = to_minor(result.wallet_credited, result.currency)
        return Result("renewed", credited, cycle.benefit == Benefit.PENDING)


async def _record_declined(ctx: ServiceContext, attempt: Attempt, answer: ChargeResult) -> Result:
    async with ctx.transaction() as session:
        cycle = await _locked_charging(session, attempt)
        if cycle is None:
            return Result("skipped")
        status = after_decline(cycle.attempts)
        cycle.status = status.value
        cycle.decline_reason = printable(answer.reason or "Declined")[:200]
        cycle.updated_at = utcnow()
        return Result("failed" if status is CycleStatus.FAILED else "declined")
