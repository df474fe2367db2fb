"""Client-profile demo data: notifications, relationships, contact history, documents,
transformation log, goals, reward points and prizes (docs/rules.md#client-profile).

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
from typing import cast

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
    RewardEntry,
    Service,
    Staff,
    StoredValueAccount,
    TransformationEntry,
)
from frontdesk.demo.catalogue import add_prizes
from frontdesk.demo.profile_rows import ProfileRows, relationship_rows
from frontdesk.demo.timeline import utc


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
    desk_ids, clinician_ids = await _desk_and_clinicians(session)
    if ids:
        await _amelia_visit(session, ids[0], today)
    empty = await _empty_client(session, ids)
    people = [c for c in ids if c != empty]
    prize_ids = await add_prizes(session)
    visits = await _visits(session, people)

    rows = ProfileRows(rng, today, actor, desk_ids, clinician_ids, prize_ids)
    for n, client_id in enumerate(people):
        rows.client(client_id, amelia=n == 0, visits=visits.get(client_id, []))
    relationships = relationship_rows(people, rng)
    for model, table_rows in (
        (NotificationPreference, rows.prefs),
        (ClientRelationship, relationships),
        (ContactLog, rows.contacts),
        (ClientDocument, rows.docs),
        (TransformationEntry, rows.entries),
        (ClientGoal, rows.goals),
        (RewardEntry, rows.rewards),
    ):
        if table_rows:
            await session.execute(insert(_table(model)), table_rows)
    return ProfileSeedReport(
        notification_rows=len(rows.prefs),
        opted_out_clients=rows.opted_out,
        relationships=len(relationships),
        contact_logs=len(rows.contacts),
        documents=len(rows.docs),
        transformation_entries=len(rows.entries),
        goals=len(rows.goals),
        reward_entries=len(rows.rewards),
        prizes=len(prize_ids),
        empty_client_id=empty,
    )


async def _desk_and_clinicians(session: AsyncSession) -> tuple[list[int], list[int]]:
    """Who logs contacts (front desk, managers) and who writes the transformation log."""
    staff = list((await session.execute(select(Staff.id, Staff.role).order_by(Staff.id))).all())
    desk_ids = [sid for sid, role in staff if role in ("front_desk", "manager")] or [
        sid for sid, _ in staff
    ]
    clinician_ids = [sid for sid, role in staff if role == "aesthetic_practitioner"] or desk_ids
    return desk_ids, clinician_ids


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
        out.setdefault(client_id, []).append(min(utc(ends_at), now))
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
                        created_at=utc(slot) - dt.timedelta(days=7),
                    )
                )
                await session.flush()
                return
            slot += dt.timedelta(minutes=15)
