"""Memberships of the rich clients: who has which plan since when, and what the monthly
renewals credited (and what of it was spent) within the history window, up to
`SERVICE_DAYS` ago. The last `SERVICE_DAYS` are not planned here: the renewal run itself
makes them, day by day (`frontdesk.demo.renewal_days`), so the demo's recent history is
what the services really write: cycles, card payments, retries, choices, notifications.

Draws come from the same `"{seed}:ledger"` stream as the client's other events, right
after them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from frontdesk.db.tables import Membership, MembershipPlan, Service
from frontdesk.demo import names
from frontdesk.demo.events import WALLET_SPEND_SERVICES, Event, HistoryWindow
from frontdesk.demo.timeline import HISTORY_DAYS
from frontdesk.domain.ledger import Reason, StoredValueKind

RENEWAL = "Monthly Membership Credit"
SERVICE_DAYS = 90
_SERVICE_SPAN = dt.timedelta(days=SERVICE_DAYS)
_WALLET = (StoredValueKind.WALLET_MONEY, None)


@dataclass(frozen=True, slots=True)
class LiveMembership:
    """A membership the renewal run takes over `SERVICE_DAYS` ago; cancelled through
    the service on `cancel_on`, if at all."""

    membership: Membership
    cancel_on: dt.date | None


@dataclass(frozen=True, slots=True)
class _Term:
    plan: MembershipPlan
    started: dt.date
    cancel_on: dt.date | None

    @property
    def cancelled(self) -> bool:
        return self.cancel_on is not None


def plan_membership(
    rng: random.Random,
    index: int,
    client_id: int,
    *,
    plans: dict[str, MembershipPlan],
    services: dict[str, Service],
    window: HistoryWindow,
    today: dt.date,
) -> tuple[Membership | None, list[Event], LiveMembership | None]:
    """One client in five has a membership (Amelia always): the row, its renewals before
    the run took over, and, unless it ended before then, what the run takes over."""
    if index != names.AMELIA and rng.random() >= 0.2:
        return None, [], None
    term = _draw_term(rng, index, plans, today)
    renewals, next_renewal = _renewals(term, today)
    ended = term.cancel_on is not None and term.cancel_on < today - _SERVICE_SPAN
    membership = Membership(
        client_id=client_id,
        plan_id=term.plan.id,
        status="cancelled" if ended else "active",
        started_on=term.started,
        next_renewal=None if ended else next_renewal,
        cancelled_at=(
            dt.datetime.combine(term.cancel_on, dt.time(11, 0), dt.UTC)
            if ended and term.cancel_on
            else None
        ),
    )
    live = None if ended else LiveMembership(membership, term.cancel_on)
    if not term.plan.beauty_bank:
        return membership, [], live
    # The run's own entries start at the cut-over: what is planned here stays before it,
    # so each account's entries stay in time order.
    cutover = dt.datetime.combine(today - _SERVICE_SPAN, dt.time(0, 0), dt.UTC)
    before = min(window.end, cutover)
    events = _renewal_events(rng, term.plan, renewals, services, window, before)
    return membership, events, live


def _draw_term(
    rng: random.Random, index: int, plans: dict[str, MembershipPlan], today: dt.date
) -> _Term:
    plan_key = (
        "auto"
        if index == names.AMELIA
        else rng.choice(("auto", "auto", "select", "select", "essentials"))
    )
    started = today - dt.timedelta(days=rng.randint(20, 540))
    started = started.replace(day=min(started.day, 28))
    cancelled = index != names.AMELIA and rng.random() < 0.1
    days_in = (today - started).days
    cancel_on = (
        today - dt.timedelta(days=rng.randint(1, min(60, days_in - 1))) if cancelled else None
    )
    return _Term(plans[plan_key], started, cancel_on)


def _renewals(term: _Term, today: dt.date) -> tuple[list[dt.date], dt.date]:
    """Renewal days within the history window before the run took over (and before any
    cancellation); the first one the run makes."""
    renewals: list[dt.date] = []
    month = 1
    next_renewal = _add_months(term.started, month)
    while next_renewal < today - _SERVICE_SPAN:
        if next_renewal >= today - dt.timedelta(days=HISTORY_DAYS) and (
            term.cancel_on is None or next_renewal < term.cancel_on
        ):
            renewals.append(next_renewal)
        month += 1
        next_renewal = _add_months(term.started, month)
    return renewals, next_renewal


def _renewal_events(
    rng: random.Random,
    plan: MembershipPlan,
    renewals: list[dt.date],
    services: dict[str, Service],
    window: HistoryWindow,
    before: dt.datetime,
) -> list[Event]:
    """Each renewal's credit (auto: money; select: a facial or money, or nothing if the
    client forgot to choose), and now and then a checkout that spent from the wallet."""
    events: list[Event] = []
    balance = 0
    for day in renewals:
        when = dt.datetime.combine(day, dt.time(6, 0), dt.UTC)
        if when >= window.end:
            continue
        if plan.mode == "auto":
            amount = plan.credit_minor
        else:
            choice = rng.random()
            if choice < 0.35:
                events.append(
                    Event(
                        when,
                        (StoredValueKind.PREPAID_VISITS, "facial"),
                        1,
                        Reason.RENEWAL,
                        "Monthly membership treatment: Signature Facial",
                    )
                )
                continue
            if choice < 0.5:
                continue  # forgot to choose this cycle: neither benefit
            amount = plan.cash_alternative_minor
        events.append(Event(when, _WALLET, amount, Reason.RENEWAL, RENEWAL))
        balance += amount
        spend = _wallet_spend(rng, plan, balance, when, services, before)
        if spend is not None:
            events.append(spend)
            balance += spend.amount
    return events


def _wallet_spend(
    rng: random.Random,
    plan: MembershipPlan,
    balance: int,
    credited: dt.datetime,
    services: dict[str, Service],
    before: dt.datetime,
) -> Event | None:
    """Sometimes a member's discounted checkout soon after a credit, paid from the wallet."""
    if rng.random() >= 0.45:
        return None
    service = services[rng.choice(WALLET_SPEND_SERVICES)]
    price = service.price_minor * (100 - int(plan.discount_percent)) // 100
    spend = min(balance, price)
    spent_at = min(credited + dt.timedelta(days=rng.randint(1, 20)), before)
    return Event(spent_at, _WALLET, -spend, Reason.CHECKOUT_SPEND, f"Checkout: {service.name}")


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    return day.replace(year=day.year + month0 // 12, month=month0 % 12 + 1)
