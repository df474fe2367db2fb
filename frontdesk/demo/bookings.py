"""This week's appointments for the rich clients: a fixed story for today, the rest drawn.

One `random.Random` stream (`"{seed}:appointments"`): the week is filled day by day, staff
member by staff member, then every booking's status is drawn in time order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Appointment
from frontdesk.demo import names
from frontdesk.demo.catalogue import Catalogue
from frontdesk.demo.timeline import CLOSE, OPEN, SUNDAY_CLOSE, SUNDAY_OPEN, utc

# Which services each role performs, with booking weights.
ROLE_SERVICES: dict[str, tuple[tuple[str, int], ...]] = {
    "aesthetic_practitioner": (
        ("botox", 4),
        ("filler", 2),
        ("hydra", 2),
        ("facial", 1),
        ("brows", 1),
    ),
    "therapist": (
        ("hydra", 1),
        ("facial", 3),
        ("deep", 2),
        ("swedish", 2),
        ("brows", 2),
    ),
}


@dataclass(slots=True)
class Booking:
    client_index: int
    staff_id: int
    service_key: str
    location_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str = "booked"
    cancel_reason: str = ""
    appointment_id: int = 0


Span = tuple[dt.datetime, dt.datetime]


def _free(busy: list[Span], start: dt.datetime, end: dt.datetime) -> bool:
    return all(end <= s or start >= e for s, e in busy)


def _weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    keys = [k for k, _ in options]
    weights = [w for _, w in options]
    return rng.choices(keys, weights=weights)[0]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@dataclass(slots=True)
class _Diary:
    """The week's bookings so far: no staff member or client is ever in two places at once."""

    bookings: list[Booking] = field(default_factory=list)
    staff_busy: dict[int, list[Span]] = field(default_factory=dict)
    client_busy: dict[int, list[Span]] = field(default_factory=dict)

    def book(self, b: Booking) -> bool:
        sb = self.staff_busy.setdefault(b.staff_id, [])
        cb = self.client_busy.setdefault(b.client_index, [])
        if not (_free(sb, b.starts_at, b.ends_at) and _free(cb, b.starts_at, b.ends_at)):
            return False
        sb.append((b.starts_at, b.ends_at))
        cb.append((b.starts_at, b.ends_at))
        self.bookings.append(b)
        return True


def plan_bookings(
    ref_staff: Sequence[tuple[int, str, int]],
    location_ids: Sequence[int],
    service_minutes: dict[str, int],
    rich_count: int,
    seed: int,
    today: dt.date,
) -> list[Booking]:
    """This week's appointments: no staff member or client is ever in two places at once."""
    rng = random.Random(f"{seed}:appointments")
    diary = _Diary()
    home = location_ids[0]
    providers = [(sid, role, loc) for sid, role, loc in ref_staff if role in ROLE_SERVICES]
    _book_todays_story(diary, providers, home, service_minutes, rich_count, today)
    # The three clients with a part to play today keep their story: no other bookings.
    pool = list(range(names.MARKUP + 1, rich_count)) or list(range(rich_count))
    week_start = today - dt.timedelta(days=today.weekday())
    for offset in range(7):
        day = week_start + dt.timedelta(days=offset)
        for staff_id, role, loc in providers:
            _fill_day(rng, diary, day, (staff_id, role, loc), service_minutes, pool)
    for b in diary.bookings:
        _settle(rng, b, today)
    diary.bookings.sort(key=lambda b: (b.starts_at, b.location_id, b.staff_id))
    return diary.bookings


def _book_todays_story(
    diary: _Diary,
    providers: Sequence[tuple[int, str, int]],
    home: int,
    service_minutes: dict[str, int],
    rich_count: int,
    today: dt.date,
) -> None:
    """The front desk's story for today at the first location (always booked, afternoon)."""
    at_home = [(s, r) for s, r, loc in providers if loc == home]
    practitioner = next(s for s, r in at_home if r == "aesthetic_practitioner")
    therapist = next(s for s, r in at_home if r == "therapist")
    fixed = (
        (names.AMELIA, practitioner, "botox", 14, 0),
        (names.ZERO_UNITS, practitioner, "botox", 15, 0),
        (names.MARKUP, therapist, "facial", 14, 0),
    )
    for index, staff_id, key, hour, minute in fixed:
        if index < rich_count:
            start = _at(today, hour, minute)
            end = start + dt.timedelta(minutes=service_minutes[key])
            diary.book(Booking(index, staff_id, key, home, start, end))


def _fill_day(
    rng: random.Random,
    diary: _Diary,
    day: dt.date,
    provider: tuple[int, str, int],
    service_minutes: dict[str, int],
    pool: Sequence[int],
) -> None:
    """One staff member's day: gaps and services drawn until the next one would run late."""
    staff_id, role, loc = provider
    opens, closes = (SUNDAY_OPEN, SUNDAY_CLOSE) if day.weekday() == 6 else (OPEN, CLOSE)
    cursor = dt.datetime.combine(day, opens)
    close_at = dt.datetime.combine(day, closes)
    while True:
        cursor += dt.timedelta(minutes=rng.choice((0, 15, 30, 45, 60, 90)))
        key = _weighted(rng, ROLE_SERVICES[role])
        end = cursor + dt.timedelta(minutes=service_minutes[key])
        if end > close_at:
            return
        client_index = rng.choice(pool)
        if diary.book(Booking(client_index, staff_id, key, loc, cursor, end)):
            cursor = end
        else:
            cursor += dt.timedelta(minutes=15)


def _settle(rng: random.Random, b: Booking, today: dt.date) -> None:
    """How a booking turned out: past ones happened (or not), this morning's are done."""
    day = b.starts_at.date()
    roll = rng.random()
    if day < today:
        if roll < 0.08:
            b.status = "no_show"
        elif roll < 0.2:
            b.status, b.cancel_reason = "cancelled", rng.choice(names.CANCEL_REASONS)
        else:
            b.status = "completed"
    elif day == today and b.status == "booked" and b.client_index > names.MARKUP:
        if b.ends_at <= _at(today, 12):
            b.status = "no_show" if roll < 0.1 else "completed"
        elif b.starts_at < _at(today, 13):
            b.status = "checked_in"
    elif day > today and roll < 0.05:
        b.status, b.cancel_reason = "cancelled", rng.choice(names.CANCEL_REASONS)


async def insert_appointments(
    session: AsyncSession, catalogue: Catalogue, rich: list[int], seed: int, today: dt.date
) -> list[Booking]:
    """Plan and insert the week's appointments; each booking learns its appointment id."""
    minutes = {key: s.duration_minutes for key, s in catalogue.services.items()}
    bookings = plan_bookings(
        catalogue.staff, catalogue.location_ids, minutes, len(rich), seed, today
    )
    rows = [
        Appointment(
            client_id=rich[b.client_index],
            staff_id=b.staff_id,
            service_id=catalogue.services[b.service_key].id,
            location_id=b.location_id,
            starts_at=b.starts_at,
            ends_at=b.ends_at,
            status=b.status,
            cancel_reason=b.cancel_reason,
            created_at=utc(b.starts_at) - dt.timedelta(days=7 + b.starts_at.weekday()),
        )
        for b in bookings
    ]
    session.add_all(rows)
    await session.flush()
    for b, row in zip(bookings, rows, strict=True):
        b.appointment_id = row.id
    return bookings
