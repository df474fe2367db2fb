"""Membership renewals (issue 16, items 3-5): cycles, retries, the Select choice.

A membership renews once per cycle. The cycle that starts on the membership's
`next_renewal` is the one due: it is charged by the renewal run (or paid at the desk), and
only a paid cycle moves `next_renewal` on by the plan's billing cycle. So an unpaid cycle
is always the one at `next_renewal`, and "past due" is simply a declined or failed cycle
there (not a membership status).

Retries: the first attempt plus `RETRIES` more, at most one per run date. After the last
attempt is declined the cycle is *failed*: no run charges it again, and it stays past due
until it is paid at the desk.

Select mode: a paid cycle's benefit is *pending* until the client chooses the included
treatment or the cash alternative, once; a cycle whose choice was not made by the next
cycle's start is *expired* and gives nothing (seed 003: "they receive neither").
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Final

from frontdesk.domain.memberships import CYCLE_MONTHS, add_months
from frontdesk.domain.plans import BillingCycle

RETRIES: Final = 3
"""Declined attempts retried after the first: the first charge plus three retries."""
MAX_ATTEMPTS: Final = 1 + RETRIES

WALLET_GREW: Final = "Your wallet just grew! {amount} was added to your Beauty Bank."
CHOOSE_BENEFIT: Final = (
    "Choose your monthly benefit: {treatment} or {amount} into your Beauty Bank. "
    "Choose before {deadline}, or this month's benefit lapses."
)
RENEWAL_CREDIT: Final = "Monthly Membership Credit"
NOTIFY_CATEGORY: Final = "account"


class CycleStatus(StrEnum):
    CHARGING = "charging"  # claimed by a run, the gateway's answer not yet recorded
    PAID = "paid"
    DECLINED = "declined"  # to be retried by a later run
    FAILED = "failed"  # declined on every attempt: past due until paid at the desk


class Benefit(StrEnum):
    """What a cycle gave the client."""

    NONE = "none"  # not paid yet, or the plan has no Beauty Bank
    CREDITED = "credited"  # Auto: the credit amount into the Beauty Bank
    PENDING = "pending"  # Select: waiting for the client's choice
    TREATMENT = "treatment"  # Select: one prepaid visit of the included treatment
    CASH = "cash"  # Select: the cash alternative into the Beauty Bank
    EXPIRED = "expired"  # Select: no choice by the next cycle's start: nothing


PAST_DUE: Final = frozenset({CycleStatus.DECLINED, CycleStatus.FAILED})


def next_cycle_start(start: dt.date, cycle: str, anchor_day: int | None = None) -> dt.date:
    """The next cycle's start after one that starts on `start`, on the membership's
    anchor day (the day of the month it started; `start`'s day when not given) or that
    month's last day, so 31 Jan → 28 Feb → 31 Mar never drifts to the 28th. An unknown
    cycle is monthly, as plans were before they had one."""
    try:
        months = CYCLE_MONTHS[BillingCycle(cycle)]
    except ValueError:
        months = 1
    return add_months(start, months, start.day if anchor_day is None else anchor_day)


def is_due(status: str, next_renewal: dt.date | None, on: dt.date) -> bool:
    """Whether a renewal run on `on` charges this membership: active, and its cycle has
    started. Paused and cancelled memberships get nothing (no charge, no credit)."""
    return status == "active" and next_renewal is not None and next_renewal <= on


def may_retry(status: str, attempts: int, last_attempt_on: dt.date | None, on: dt.date) -> bool:
    """A declined cycle is charged again by a run on a later date than its last attempt,
    until `MAX_ATTEMPTS` attempts have been made."""
    return (
        status == CycleStatus.DECLINED
        and attempts < MAX_ATTEMPTS
        and (last_attempt_on is None or last_attempt_on < on)
    )


def after_decline(attempts: int) -> CycleStatus:
    """A cycle's status once its attempt number `attempts` was declined."""
    return CycleStatus.FAILED if attempts >= MAX_ATTEMPTS else CycleStatus.DECLINED


def choice_expired(cycle_end: dt.date | None, on: dt.date) -> bool:
    """A Select choice may be made until the next cycle starts (that day, it has lapsed)."""
    return cycle_end is not None and on >= cycle_end


def charge_key(membership_id: int, cycle_start: dt.date, attempt: int) -> str:
    """The gateway's idempotency key for one attempt at one cycle, also the key the
    payment's ticket is written under: a run that stopped between the charge and the
    record repeats the same key, so the gateway answers as before and charges once."""
    return f"renewal:m{membership_id}:{cycle_start.isoformat()}:a{attempt}"
