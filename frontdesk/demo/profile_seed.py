"""Client-profile demo data: notifications, relationships, contact history, documents,
transformation log, goals, reward points and prizes (seed 001).

Called by `frontdesk.demo.seed.seed_demo` inside its one transaction, after the
appointments and the money ledger, for the first few hundred ("rich") clients only, so
the 100,000-client demo pays for at most a few thousand bulk-inserted rows.
Deterministic: every choice comes from the `rng` it is given, and the rows go in in a
fixed order.

Amelia Hart (the first client) gets something in every tab, including a past visit at
the other location that nothing has paid yet (Attendance's "unpaid visits"). One rich
client with no appointments, stored value or membership is left with nothing at all, so
every tab's empty state can be seen: `ProfileSeedReport.empty_client_id`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.ledger import Actor
from frontdesk.db.tables import (
    Appointment,
    Base,
    ClientDocument,
    ClientGoal,
    ClientRelationship,
    ContactLog,
    Location,
    Membership,
    NotificationPreference,
    Prize,
    RewardEntry,
    Service,
    Staff,
    StoredValueAccount,
    TransformationEntry,
)

try:
    LOCAL_TZ: dt.tzinfo = ZoneInfo("Europe/London")
except ZoneInfoNotFoundError:  # pragma: no cover - tzdata missing on this machine
    LOCAL_TZ = dt.UTC

HISTORY_DAYS = 90
POINTS_PER_VISIT = 10
CHANNELS = ("email", "sms")
CATEGORIES = ("schedule", "account", "news")

PRIZES: tuple[tuple[str, int], ...] = (
    ("SPF 50 mini", 50),
    ("LED mask add-on", 100),
    ("Brow Shape & Tint", 250),
    ("Signature Facial", 500),
)

CONTACT_NOTES: dict[str, tuple[str, ...]] = {
    "call": (
        "Called to confirm tomorrow's appointment.",
        "Asked about Botox aftercare; advised no exercise for 24 hours.",
        "Rebooked after a missed appointment.",
        "Left a voicemail about the membership renewal.",
    ),
    "email": (
        "Sent the pre-treatment questionnaire.",
        "Emailed receipt and aftercare sheet.",
        "Replied to a question about Glow Select.",
    ),
    "sms": (
        "Appointment reminder sent.",
        "Running 10 minutes late; client informed.",
        "Sent the booking link for a follow-up.",
    ),
}

DOCUMENTS: tuple[tuple[str, str], ...] = (
    ("New client consultation form", "form"),
    ("Medical history questionnaire", "form"),
    ("Botox treatment consent", "consent"),
    ("Photo consent (before and after)", "consent"),
    ("Lip filler consent", "consent"),
)

LOG_NOTES: tuple[str, ...] = (
    "Baseline photos taken (front, left, right).",
    "Forehead lines softened; review at 2 weeks.",
    "Skin texture improving; less redness on cheeks.",
    "Pigmentation on left cheek fading.",
    "Client happy with results; booked maintenance.",
    "Slight asymmetry at brow; 2 units top-up.",
)

GOALS: tuple[tuple[str, str], ...] = (
    ("Smoother forehead before the wedding", "Wedding in the spring."),
    ("Clearer skin", "Monthly facials and SPF daily."),
    ("Reduce pigmentation", ""),
    ("Maintain results with quarterly Botox", ""),
    ("Fuller lips, natural look", "Start with 0.5 ml."),
)


@dataclass(frozen=True, slots=True)
class ProfileSeedReport:
    notification_rows: int
    opted_out_clients: int
    relationships: int
    contact_logs: int
    documents: int
    transformation_entries: int
    goals: int
    reward_entries: int
    prizes: int
    empty_client_id: int | None


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _utc(local: dt.datetime) -> dt.datetime:
    return local.replace(tzinfo=LOCAL_TZ).astimezone(dt.UTC)


async def seed_profiles(
    session: AsyncSession,
    client_ids: Sequence[int],
    rng: random.Random,
    *,
    today: dt.date,
    actor: Actor,
) -> ProfileSeedReport:
    """Profile data for `client_ids` (the rich clients, Amelia Hart first)."""
    ids = list(client_ids)
    start = dt.datetime.combine(today, dt.time(0), dt.UTC) - dt.timedelta(days=HISTORY_DAYS)
    end = min(dt.datetime.combine(today, dt.time(0), dt.UTC), dt.datetime.now(dt.UTC))

    def at(lo: float = 0, hi: float = HISTORY_DAYS) -> dt.datetime:
        span = (end - start).total_seconds()
        return start + dt.timedelta(
            seconds=int(rng.uniform(lo / HISTORY_DAYS, hi / HISTORY_DAYS) * span)
        )

    staff = list((await session.execute(select(Staff.id, Staff.role).order_by(Staff.id))).all())
    desk_ids = [sid for sid, role in staff if role in ("front_desk", "manager")] or [
        sid for sid, _ in staff
    ]
    clinician_ids = [sid for sid, role in staff if role == "aesthetic_practitioner"] or desk_ids

    if ids:
        await _amelia_visit(session, ids[0], today)
    empty = await _empty_client(session, ids)
    people = [c for c in ids if c != empty]

    prize_ids: list[int] = []
    for name, cost in PRIZES:
        prize = Prize(name=name, points_cost=cost, active=True)
        session.add(prize)
        await session.flush()
        prize_ids.append(prize.id)

    visits = await _visits(session, people)
    prefs: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    docs: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    goals: list[dict[str, Any]] = []
    rewards: list[dict[str, Any]] = []
    opted_out = 0
    for n, client_id in enumerate(people):
        amelia = n == 0

        # Notifications: most never changed (all on); some turn news off; a few opt out.
        roll = rng.random()
        if amelia or 0.7 <= roll < 0.9:
            off = (
                {("sms", "news"), ("email", "news")}
                if amelia
                else set(
                    rng.sample(
                        [(ch, cat) for ch in CHANNELS for cat in CATEGORIES], rng.randint(1, 3)
                    )
                )
            )
            prefs += [
                {
                    "client_id": client_id,
                    "channel": ch,
                    "category": cat,
                    "opted_in": (ch, cat) not in off,
                    "updated_at": at(),
                }
                for ch in CHANNELS
                for cat in CATEGORIES
            ]
        elif roll >= 0.9:
            opted_out += 1
            when = at()
            prefs += [
                {
                    "client_id": client_id,
                    "channel": ch,
                    "category": cat,
                    "opted_in": False,
                    "updated_at": when,
                }
                for ch in CHANNELS
                for cat in CATEGORIES
            ]

        # Contact history.
        if amelia or rng.random() < 0.4:
            for when in sorted(at() for _ in range(4 if amelia else rng.randint(1, 4))):
                channel = rng.choice(("call", "email", "sms"))
                contacts.append(
                    {
                        "client_id": client_id,
                        "channel": channel,
                        "note": rng.choice(CONTACT_NOTES[channel]),
                        "staff_id": rng.choice(desk_ids),
                        "created_at": when,
                    }
                )

        # Documents: a consultation form for most, consents for some; a few unsigned.
        if amelia or rng.random() < 0.6:
            chosen = (
                [DOCUMENTS[0], DOCUMENTS[2], DOCUMENTS[3]]
                if amelia
                else [DOCUMENTS[0], *rng.sample(DOCUMENTS[1:], rng.randint(0, 2))]
            )
            for i, (title, kind) in enumerate(chosen):
                created = at(0, 80)
                unsigned = (amelia and i == 2) or (not amelia and rng.random() < 0.15)
                docs.append(
                    {
                        "client_id": client_id,
                        "title": title,
                        "kind": kind,
                        "signed_at": None
                        if unsigned
                        else created + dt.timedelta(minutes=rng.randint(5, 600)),
                        "created_at": created,
                    }
                )

        # Transformation log and goals.
        if amelia or rng.random() < 0.15:
            first = at(0, 30)
            staff_id = rng.choice(clinician_ids)
            for k in range(3 if amelia else rng.randint(1, 4)):
                when = first + dt.timedelta(days=14 * k)
                entries.append(
                    {
                        "client_id": client_id,
                        "entry_date": when.date(),
                        "note": LOG_NOTES[0] if k == 0 else rng.choice(LOG_NOTES[1:]),
                        "staff_id": staff_id,
                        "created_at": when,
                        "updated_at": when,
                    }
                )
            for k, (title, note) in enumerate(
                GOALS[:2] if amelia else rng.sample(GOALS, rng.randint(1, 2))
            ):
                created = first + dt.timedelta(hours=k)
                goals.append(
                    {
                        "client_id": client_id,
                        "title": title,
                        "target_date": today + dt.timedelta(days=rng.randint(30, 200))
                        if k == 0
                        else None,
                        "achieved": k == 1 and rng.random() < 0.5,
                        "note": note,
                        "created_at": created,
                        "updated_at": created,
                    }
                )

        # Reward points: one award per visit (this week's visits and earlier ones).
        events: list[tuple[dt.datetime, int, str, str, int | None]] = [
            (when, POINTS_PER_VISIT, "visit", "Points for a visit", None)
            for when in visits.get(client_id, [])
        ]
        if amelia or rng.random() < 0.4:
            for _ in range(5 if amelia else rng.randint(1, 6)):
                events.append((at(), POINTS_PER_VISIT, "visit", "Points for a visit", None))
            if amelia or rng.random() < 0.3:
                spend = rng.choice((35, 70, 90, 120, 250))
                events.append((at(), spend, "spend", f"Points for spend (£{spend})", None))
        events.sort(key=lambda e: e[0])
        balance = 0
        redeemed = False
        for when, points, reason, description, prize_id in events:
            balance += points
            rewards.append(
                _reward(client_id, points, balance, reason, description, prize_id, when, actor)
            )
            cheapest = PRIZES[0][1]
            if not redeemed and balance >= cheapest and (amelia or rng.random() < 0.2):
                redeemed = True
                name, cost = PRIZES[0]
                balance -= cost
                rewards.append(
                    _reward(
                        client_id,
                        -cost,
                        balance,
                        "redeem",
                        f"Redeemed: {name}",
                        prize_ids[0],
                        when + dt.timedelta(minutes=5),
                        actor,
                    )
                )

    relationships = _relationships(people, rng)
    for model, rows in (
        (NotificationPreference, prefs),
        (ClientRelationship, relationships),
        (ContactLog, contacts),
        (ClientDocument, docs),
        (TransformationEntry, entries),
        (ClientGoal, goals),
        (RewardEntry, rewards),
    ):
        if rows:
            await session.execute(insert(_table(model)), rows)
    return ProfileSeedReport(
        notification_rows=len(prefs),
        opted_out_clients=opted_out,
        relationships=len(relationships),
        contact_logs=len(contacts),
        documents=len(docs),
        transformation_entries=len(entries),
        goals=len(goals),
        reward_entries=len(rewards),
        prizes=len(prize_ids),
        empty_client_id=empty,
    )


def _reward(
    client_id: int,
    points: int,
    balance: int,
    reason: str,
    description: str,
    prize_id: int | None,
    when: dt.datetime,
    actor: Actor,
) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "points": points,
        "balance_after": balance,
        "reason": reason,
        "description": description,
        "staff_id": actor.staff_id,
        "terminal": actor.terminal,
        "prize_id": prize_id,
        "created_at": when,
    }


def _relationships(people: list[int], rng: random.Random) -> list[dict[str, Any]]:
    """Amelia's partner and child, then a handful of families, couples and guardians."""
    rows: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()

    def link(a: int, b: int, kind: str) -> None:
        if a == b or (a, b) in seen or (b, a) in seen:
            return
        seen.add((a, b))
        rows.append({"client_id": a, "related_client_id": b, "kind": kind})

    if len(people) >= 40:
        amelia = people[0]
        link(amelia, people[31], "partner")
        link(people[37], amelia, "guardian")  # Amelia is their guardian
    others = people[24:]
    for _ in range(min(12, len(others) // 2)):
        a, b = rng.sample(others, 2)
        link(a, b, rng.choice(("family", "family", "partner", "guardian")))
    return rows


async def _visits(session: AsyncSession, client_ids: list[int]) -> dict[int, list[dt.datetime]]:
    """When each client's completed (or checked-in) visits ended, in UTC."""
    if not client_ids:
        return {}
    rows = await session.execute(
        select(Appointment.client_id, Appointment.ends_at)
        .where(
            Appointment.client_id.in_(client_ids),
            Appointment.status.in_(("completed", "checked_in")),
        )
        .order_by(Appointment.id)
    )
    now = dt.datetime.now(dt.UTC)
    out: dict[int, list[dt.datetime]] = {}
    for client_id, ends_at in rows.all():
        out.setdefault(client_id, []).append(min(_utc(ends_at), now))
    return out


async def _empty_client(session: AsyncSession, client_ids: list[int]) -> int | None:
    """The first client after the named ones with no appointment, stored value or membership."""
    candidates = client_ids[25:] or client_ids[1:]
    if not candidates:
        return None
    busy: set[int] = set()
    for model in (Appointment, StoredValueAccount, Membership):
        busy.update(
            (
                await session.scalars(
                    select(model.client_id).where(model.client_id.in_(candidates)).distinct()
                )
            ).all()
        )
    return next((c for c in candidates if c not in busy), None)


async def _amelia_visit(session: AsyncSession, client_id: int, today: dt.date) -> None:
    """A finished, unpaid facial for Amelia earlier this week at the other location.

    Gives her Attendance tab a visit per location and an unpaid visit to reconcile,
    inside the demo week, with a therapist who is free then (on a Monday: this morning).
    """
    locations = list((await session.scalars(select(Location.id).order_by(Location.id))).all())
    facial = await session.scalar(select(Service).where(Service.name == "Signature Facial"))
    if len(locations) < 2 or facial is None:
        return
    away = locations[-1]
    therapists = list(
        (
            await session.scalars(
                select(Staff.id)
                .where(Staff.location_id == away, Staff.role == "therapist")
                .order_by(Staff.id)
            )
        ).all()
    )
    day = today - dt.timedelta(days=1) if today.weekday() > 0 else today
    length = dt.timedelta(minutes=facial.duration_minutes)
    for staff_id in therapists:
        day_start = dt.datetime.combine(day, dt.time(0))
        taken = (
            await session.execute(
                select(Appointment.starts_at, Appointment.ends_at).where(
                    Appointment.staff_id == staff_id,
                    Appointment.starts_at >= day_start,
                    Appointment.starts_at < day_start + dt.timedelta(days=1),
                )
            )
        ).all()
        slot = dt.datetime.combine(day, dt.time(9, 0))
        latest = dt.datetime.combine(day, dt.time(12, 0)) - length
        while slot <= latest:
            if all(slot + length <= s or slot >= e for s, e in taken):
                session.add(
                    Appointment(
                        client_id=client_id,
                        staff_id=staff_id,
                        service_id=facial.id,
                        location_id=away,
                        starts_at=slot,
                        ends_at=slot + length,
                        status="completed",
                        created_at=_utc(slot) - dt.timedelta(days=7),
                    )
                )
                await session.flush()
                return
            slot += dt.timedelta(minutes=15)
