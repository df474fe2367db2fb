"""Paying a membership's due cycle and giving what it gives: one rule for the renewal run
and the desk (a MEMBERSHIP_RENEWAL line on a ticket), so both agree.

`pay_due_cycle` runs inside the ticket's transaction: the cycle at `next_renewal` is
marked paid (made if the desk pays one no run has claimed), `next_renewal` moves on by the
plan's billing cycle, and the plan, read now, decides the benefit: Auto credits the
Beauty Bank and says "Your wallet just grew!", Select leaves a choice pending and asks
the client to choose, a plan with its Beauty Bank off gives nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db import ledger
from frontdesk.db.ledger import Actor
from frontdesk.db.tables import Membership, MembershipCycle, MembershipPlan, Service
from frontdesk.db.tables.base import utcnow
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.money import from_minor, to_minor
from frontdesk.domain.renewals import (
    CHOOSE_BENEFIT,
    NOTIFY_CATEGORY,
    RENEWAL_CREDIT,
    WALLET_GREW,
    Benefit,
    CycleStatus,
    next_cycle_start,
)
from frontdesk.domain.wallet import RenewalChoice, renewal_wallet_credit
from frontdesk.services.catalog import load_store
from frontdesk.services.outbox import queue_notification

BEING_CHARGED = "The renewal run is charging this membership right now; try again in a minute"


async def cycle_at(
    session: AsyncSession, membership_id: int, start: dt.date
) -> MembershipCycle | None:
    """The cycle starting on `start`, locked (PostgreSQL `FOR UPDATE`), read fresh."""
    return (
        await session.execute(
            select(MembershipCycle)
            .where(
                MembershipCycle.membership_id == membership_id,
                MembershipCycle.cycle_start == start,
            )
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()


async def pay_due_cycle(
    session: AsyncSession,
    actor: Actor,
    membership: Membership,
    plan: MembershipPlan,
    *,
    ticket_id: int,
    ticket_key: str,
    amount_minor: int,
    choice: RenewalChoice | None,
    today: dt.date,
) -> int:
    """Mark the due cycle paid by this ticket and give its benefit; return the Beauty
    Bank credit it made now (minor units). A cycle a run is charging under another key
    is refused (the client would pay twice)."""
    start = membership.next_renewal or today
    cycle = await cycle_at(session, membership.id, start)
    now = utcnow()
    if cycle is None:
        cycle = MembershipCycle(
            membership_id=membership.id,
            cycle_start=start,
            status=CycleStatus.PAID.value,
            attempts=0,
            amount_minor=amount_minor,
            decline_reason="",
            benefit=Benefit.NONE.value,
            offer_cash_minor=0,
            staff_id=actor.staff_id,
            terminal=actor.terminal,
        )
        session.add(cycle)
    elif cycle.status == CycleStatus.CHARGING and cycle.charge_key != ticket_key:
        raise ValidationError("lines", BEING_CHARGED)
    elif cycle.status == CycleStatus.PAID:  # next_renewal moved on with it: not reached
        raise ValidationError("lines", "This membership's cycle is already paid")
    cycle.status = CycleStatus.PAID.value
    cycle.ticket_id = ticket_id
    cycle.amount_minor = amount_minor
    cycle.cycle_end = next_cycle_start(start, plan.billing_cycle, membership.started_on.day)
    cycle.updated_at = now
    membership.next_renewal = cycle.cycle_end
    await session.flush()
    return await give_benefit(session, actor, cycle, membership.client_id, plan, choice)


async def give_benefit(
    session: AsyncSession,
    actor: Actor,
    cycle: MembershipCycle,
    client_id: int,
    plan: MembershipPlan,
    choice: RenewalChoice | None,
) -> int:
    """What a paid cycle gives, by the plan as it is now; the Beauty Bank credit in minor
    units (0 for a choice left pending, a treatment, or a plan without Beauty Bank)."""
    if not plan.beauty_bank:
        cycle.benefit = Benefit.NONE.value
        return 0
    store = await load_store(session)
    money = store.money
    if plan.mode != "select":
        credit = renewal_wallet_credit(
            True,
            "auto",
            from_minor(plan.credit_minor, store.currency),
            money.zero,
            None,
            store.currency,
        )
        minor = to_minor(credit, store.currency)
        if not minor:
            return 0
        await _credit_wallet(session, actor, cycle, client_id, minor, Benefit.CREDITED)
        text = WALLET_GREW.format(amount=money.format(credit))
        await queue_notification(session, client_id, NOTIFY_CATEGORY, text)
        return minor
    cycle.offer_service_id = plan.included_service_id
    cycle.offer_cash_minor = plan.cash_alternative_minor
    if choice is not None:  # chosen at the desk as the renewal was paid
        return await give_choice(session, actor, cycle, client_id, choice)
    cycle.benefit = Benefit.PENDING.value
    treatment = await _treatment(session, cycle)
    text = CHOOSE_BENEFIT.format(
        treatment=f"one {treatment.name}",
        amount=money.format(from_minor(cycle.offer_cash_minor, store.currency)),
        deadline=(cycle.cycle_end or cycle.cycle_start).isoformat(),
    )
    await queue_notification(session, client_id, NOTIFY_CATEGORY, text)
    return 0


async def give_choice(
    session: AsyncSession,
    actor: Actor,
    cycle: MembershipCycle,
    client_id: int,
    choice: RenewalChoice,
) -> int:
    """A Select cycle's choice: one prepaid visit of the offered treatment, or the offered
    cash into the Beauty Bank (returned, in minor units). Never both: the cycle's
    `benefit` records which."""
    if choice == "cash":
        minor = cycle.offer_cash_minor
        if minor:
            await _credit_wallet(session, actor, cycle, client_id, minor, Benefit.CASH)
        cycle.benefit = Benefit.CASH.value
        cycle.benefit_at = utcnow()
        return minor
    service = await _treatment(session, cycle)
    account = await ledger.get_or_create_account(
        session,
        client_id,
        StoredValueKind.PREPAID_VISITS,
        service_id=service.id,
        unit_value_minor=service.price_minor,
    )
    entry = await ledger.post(
        session,
        account.id,
        1,
        reason=Reason.RENEWAL.value,
        description=f"Monthly benefit: one {service.name} visit"[:200],
        actor=actor,
        ticket_id=cycle.ticket_id,
    )
    cycle.benefit = Benefit.TREATMENT.value
    cycle.benefit_entry_id = entry.id
    cycle.benefit_at = utcnow()
    return 0


async def _treatment(session: AsyncSession, cycle: MembershipCycle) -> Service:
    service = await session.get(Service, cycle.offer_service_id) if cycle.offer_service_id else None
    if service is None:
        raise ValidationError("choice", "This plan has no included treatment to give")
    return service


async def _credit_wallet(
    session: AsyncSession,
    actor: Actor,
    cycle: MembershipCycle,
    client_id: int,
    minor: int,
    benefit: Benefit,
) -> None:
    wallet = await ledger.get_or_create_account(session, client_id, StoredValueKind.WALLET_MONEY)
    entry = await ledger.post(
        session,
        wallet.id,
        minor,
        reason=Reason.RENEWAL.value,
        description=RENEWAL_CREDIT,
        actor=actor,
        ticket_id=cycle.ticket_id,
    )
    cycle.benefit = benefit.value
    cycle.benefit_entry_id = entry.id
    cycle.benefit_at = utcnow()
