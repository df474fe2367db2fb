"""The demo's last 90 days of memberships, made by the services themselves.

Each day from `SERVICE_DAYS` ago to today: the clients' Select choices and the
cancellations planned for that day, then the renewal run at 06:00, exactly as cron would
run it (`desk.renewals.run`, `desk.renewals.choose`, `desk.memberships.cancel`), every
write stamped with that day (`written_at`). So the demo shows what the run really leaves:
cycles, card tickets, a card declined and retried the next day, a member whose card
always declines (past due), choices made, pending and expired, and the outbox's
"Your wallet just grew!" and "Choose your monthly benefit".
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from frontdesk.db.ledger import Actor
from frontdesk.db.tables import MembershipCycle, Staff
from frontdesk.db.tables.base import written_at
from frontdesk.demo.memberships import SERVICE_DAYS, LiveMembership
from frontdesk.domain.renewals import Benefit
from frontdesk.domain.wallet import RenewalChoice
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.payment_gateway import FakeGateway

# The gateway's new charges that decline once (each is retried, and paid, the next day).
DECLINED_ONCE = frozenset({5, 19, 37, 58, 83, 121})
CANCEL_REASON = "Moving away"


@dataclass(slots=True)
class _Diary:
    """What happens on which day: (cycle, choice) pairs and memberships to cancel."""

    choices: dict[dt.date, list[tuple[int, RenewalChoice]]] = field(default_factory=dict)
    cancels: dict[dt.date, list[int]] = field(default_factory=dict)
    seen: set[int] = field(default_factory=set)


async def live_membership_days(
    ctx: ServiceContext,
    members: list[LiveMembership],
    *,
    seed: int,
    today: dt.date,
    terminal: str,
    keep_paying: int | None,
) -> None:
    """Run the last `SERVICE_DAYS` of `members` through the services (ids flushed), as
    the store's first owner on `terminal`. `keep_paying`: a client whose card never
    declines (the demo's story client)."""
    if not members:
        return
    rng = random.Random(f"{seed}:renewal-days")
    async with ctx.read() as session:
        owner = await session.scalar(
            select(Staff.id).where(Staff.role == "owner").order_by(Staff.id).limit(1)
        )
    desk = Desk(replace(ctx, actor=Actor(staff_id=owner, terminal=terminal)))
    first = today - dt.timedelta(days=SERVICE_DAYS)
    diary = _Diary()
    for live in members:
        if live.cancel_on is not None and first <= live.cancel_on < today:
            diary.cancels.setdefault(live.cancel_on, []).append(live.membership.id)
    always = [m.membership.client_id for m in members if m.membership.client_id != keep_paying]
    gateway = FakeGateway(
        decline_clients=rng.sample(always, min(1, len(always))), decline_calls=DECLINED_ONCE
    )
    for offset in range(SERVICE_DAYS, -1, -1):
        day = today - dt.timedelta(days=offset)
        with written_at(_at(day, 10)):
            for cycle_id, choice in diary.choices.pop(day, []):
                await desk.renewals.choose(cycle_id, choice, key=new_key(), on=day)
            for membership_id in diary.cancels.pop(day, []):
                await desk.memberships.cancel(membership_id, CANCEL_REASON)
        with written_at(_at(day, 6)):
            await desk.renewals.run(day, gateway)
        await _plan_choices(ctx, rng, diary, day, today)


async def _plan_choices(
    ctx: ServiceContext, rng: random.Random, diary: _Diary, day: dt.date, today: dt.date
) -> None:
    """Each Select cycle the run just paid: cash (half), the treatment (a third), or no
    choice at all (it expires), made a few days later; one not yet due stays pending."""
    async with ctx.read() as session:
        rows = (
            await session.execute(
                select(MembershipCycle.id, MembershipCycle.cycle_end).where(
                    MembershipCycle.benefit == Benefit.PENDING.value
                )
            )
        ).all()
    for cycle_id, cycle_end in rows:
        if cycle_id in diary.seen:
            continue
        diary.seen.add(cycle_id)
        draw = rng.random()
        when = day + dt.timedelta(days=rng.randint(1, 6))
        if draw < 0.15 or when > today or (cycle_end is not None and when >= cycle_end):
            continue  # forgot, or not yet: pending until it lapses
        choice: RenewalChoice = "treatment" if draw < 0.5 else "cash"
        diary.choices.setdefault(when, []).append((cycle_id, choice))


def _at(day: dt.date, hour: int) -> dt.datetime:
    """`hour` o'clock on `day` (UTC), never later than now (today's run is already done)."""
    return min(dt.datetime.combine(day, dt.time(hour, 0), dt.UTC), dt.datetime.now(dt.UTC))
