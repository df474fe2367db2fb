"""Booking and the appointment's life: book, check in, cancel, no-show.

Statuses move booked -> checked_in -> completed; booked or checked_in may end as cancelled
or no_show. Completing belongs to checkout. Cancelling (and a no-show) gives back every
banked unit the appointment used, by reversal entries in the ledger: the units were never
consumed, and the ledger keeps both the use and its reversal.

Every change bumps the appointment's `version` and records the terminal, staff member and
time; a change from a screen passes the version it read (`expected_version`) and one based
on an older read is refused with `StaleVersion` (`frontdesk.services.versions`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db import ledger
from frontdesk.db.ledger import Actor
from frontdesk.db.tables import (
    Appointment,
    AppointmentAddon,
    Client,
    LedgerEntry,
    Location,
    Product,
    Service,
    Staff,
)
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.parsing import clean_description
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.schedule import appointment_views
from frontdesk.services.versions import save_checked
from frontdesk.views import AppointmentView

BOOKED = "booked"
CHECKED_IN = "checked_in"
COMPLETED = "completed"
CANCELLED = "cancelled"
NO_SHOW = "no_show"

# Appointments in these statuses no longer hold the staff member's time.
NOT_HOLDING_TIME = frozenset({CANCELLED, NO_SHOW})
# Add-ons can be changed only while the visit is still ahead or in progress.
OPEN = frozenset({BOOKED, CHECKED_IN})

TRANSITIONS: dict[str, frozenset[str]] = {
    BOOKED: frozenset({CHECKED_IN, CANCELLED, NO_SHOW}),
    CHECKED_IN: frozenset({COMPLETED, CANCELLED, NO_SHOW}),
    COMPLETED: frozenset(),
    CANCELLED: frozenset(),
    NO_SHOW: frozenset(),
}

_STATUS_WORDS = {
    BOOKED: "booked",
    CHECKED_IN: "checked in",
    COMPLETED: "completed",
    CANCELLED: "cancelled",
    NO_SHOW: "marked as a no-show",
}
_ACTION_WORDS = {
    CHECKED_IN: "check in",
    COMPLETED: "complete",
    CANCELLED: "cancel",
    NO_SHOW: "mark as a no-show",
}

# Longest description a ledger entry takes.
_DESCRIPTION_MAX = 200


def check_transition(current: str, new: str) -> None:
    """Refuse a status change the appointment's life does not allow."""
    if new in TRANSITIONS.get(current, frozenset()):
        return
    was = _STATUS_WORDS.get(current, current)
    action = _ACTION_WORDS.get(new, new)
    raise ValidationError("status", f"This appointment is {was}; it can't {action}")


def when_text(at: dt.datetime) -> str:
    """Short wall-clock form staff read on the schedule: "23 Nov 10:00"."""
    return f"{at.day} {at:%b %H:%M}"


def clip(text: str, limit: int = _DESCRIPTION_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def view_in(session: AsyncSession, appointment_id: int) -> AppointmentView:
    currency = (await load_store(session)).currency
    views = await appointment_views(session, [Appointment.id == appointment_id], currency)
    if not views:
        raise NotFound(f"Appointment {appointment_id}")
    return views[0]


async def lock_appointment(session: AsyncSession, appointment_id: int) -> Appointment:
    """The appointment row, locked against other terminals' changes (PostgreSQL
    ``FOR UPDATE``; SQLite already holds the write lock from BEGIN IMMEDIATE). Read
    afresh under the lock, so its `version` is the one the check compares against."""
    stmt = (
        select(Appointment)
        .where(Appointment.id == appointment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    appointment = (await session.execute(stmt)).scalar_one_or_none()
    if appointment is None:
        raise NotFound(f"Appointment {appointment_id}")
    return appointment


async def return_used_units(
    session: AsyncSession,
    appointment_id: int,
    *,
    why: str,
    actor: Actor,
    addon_ids: list[int] | None = None,
) -> int:
    """Take the appointment's active add-on lines off it, giving back any used units by
    reversal entries. ``addon_ids`` limits it to those lines. Returns lines removed."""
    stmt = (
        select(AppointmentAddon, Product.name)
        .join(Product, Product.id == AppointmentAddon.product_id)
        .where(
            AppointmentAddon.appointment_id == appointment_id,
            AppointmentAddon.removed_at.is_(None),
        )
        .order_by(AppointmentAddon.id)
        .with_for_update(of=AppointmentAddon)
    )
    if addon_ids is not None:
        stmt = stmt.where(AppointmentAddon.id.in_(addon_ids))
    rows = (await session.execute(stmt)).all()
    entry_ids = [line.use_entry_id for line, _ in rows if line.use_entry_id is not None]
    if entry_ids:
        # Lock every account first, in id order, so two terminals can't deadlock.
        accounts = (
            await session.execute(
                select(LedgerEntry.account_id).where(LedgerEntry.id.in_(entry_ids))
            )
        ).scalars()
        await ledger.lock_accounts(session, list(accounts))
    now = dt.datetime.now(dt.UTC)
    for line, product_name in rows:
        if line.use_entry_id is not None:
            await ledger.reverse(
                session,
                line.use_entry_id,
                description=clip(f"Returned {product_name}: {why}"),
                actor=actor,
            )
        line.removed_at = now
    await session.flush()
    return len(rows)


async def _overlapping(
    session: AsyncSession,
    staff_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> tuple[Appointment, str] | None:
    stmt = (
        select(Appointment, Client.first_name, Client.last_name)
        .join(Client, Client.id == Appointment.client_id)
        .where(
            Appointment.staff_id == staff_id,
            Appointment.status.not_in(NOT_HOLDING_TIME),
            Appointment.starts_at < ends_at,
            Appointment.ends_at > starts_at,
        )
        .order_by(Appointment.starts_at, Appointment.id)
        .limit(1)
    )
    row = (await session.execute(stmt)).first()
    if row is None:
        return None
    other, first, last = row
    return other, f"{first} {last}".strip()


class Appointments(Area):
    """Book an appointment, look one up, and move it along its statuses."""

    async def book(
        self,
        *,
        client_id: int,
        service_id: int,
        staff_id: int,
        location_id: int,
        starts_at: dt.datetime,
    ) -> AppointmentView:
        """Book ``service`` with ``staff`` at ``starts_at`` (the location's wall-clock time);
        the appointment ends after the service's duration. A staff member can't be in two
        places: an overlapping appointment that still holds their time is refused."""
        if starts_at.tzinfo is not None:
            raise ValidationError("starts_at", "Give the start as the location's local time")
        async with self.ctx.transaction() as session:
            if await session.get(Client, client_id) is None:
                raise NotFound(f"Client {client_id}")
            if await session.get(Location, location_id) is None:
                raise NotFound(f"Location {location_id}")
            service = await session.get(Service, service_id)
            if service is None:
                raise NotFound(f"Service {service_id}")
            if not service.active:
                raise ValidationError("service_id", f"{service.name} is no longer offered")
            # Lock the staff row: two terminals booking the same person queue up here
            # (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises every write).
            staff = (
                await session.execute(select(Staff).where(Staff.id == staff_id).with_for_update())
            ).scalar_one_or_none()
            if staff is None:
                raise NotFound(f"Staff member {staff_id}")
            if not staff.active:
                raise ValidationError("staff_id", f"{staff.name} no longer takes appointments")
            if staff.location_id is not None and staff.location_id != location_id:
                raise ValidationError("staff_id", f"{staff.name} works at another location")
            ends_at = starts_at + dt.timedelta(minutes=service.duration_minutes)
            clash = await _overlapping(session, staff_id, starts_at, ends_at)
            if clash is not None:
                other, client_name = clash
                raise ValidationError(
                    "starts_at",
                    f"{staff.name} is already booked {when_text(other.starts_at)}–"
                    f"{other.ends_at:%H:%M} with {client_name}; pick another time or staff member",
                )
            appointment = Appointment(
                client_id=client_id,
                service_id=service_id,
                staff_id=staff_id,
                location_id=location_id,
                starts_at=starts_at,
                ends_at=ends_at,
                status=BOOKED,
                changed_terminal=self.ctx.actor.terminal,
                changed_by=self.ctx.actor.staff_id,
                changed_at=dt.datetime.now(dt.UTC),
            )
            session.add(appointment)
            await session.flush()
            return await view_in(session, appointment.id)

    async def get(self, appointment_id: int) -> AppointmentView:
        async with self.ctx.read() as session:
            return await view_in(session, appointment_id)

    async def check_in(
        self, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentView:
        async with self.ctx.transaction() as session:
            appointment = await lock_appointment(session, appointment_id)
            save_checked(appointment, self.ctx.actor, expected_version)
            check_transition(appointment.status, CHECKED_IN)
            appointment.status = CHECKED_IN
            await session.flush()
            return await view_in(session, appointment_id)

    async def cancel(
        self, appointment_id: int, reason: str, *, expected_version: int | None = None
    ) -> AppointmentView:
        """Cancel with a reason staff type; every unit the visit used goes back to the client."""
        cleaned = clean_description(reason, field="reason")
        async with self.ctx.transaction() as session:
            appointment = await lock_appointment(session, appointment_id)
            save_checked(appointment, self.ctx.actor, expected_version)
            check_transition(appointment.status, CANCELLED)
            await return_used_units(
                session,
                appointment_id,
                why=f"appointment {when_text(appointment.starts_at)} cancelled — {cleaned}",
                actor=self.ctx.actor,
            )
            appointment.status = CANCELLED
            appointment.cancel_reason = cleaned
            await session.flush()
            return await view_in(session, appointment_id)

    async def no_show(
        self, appointment_id: int, *, expected_version: int | None = None
    ) -> AppointmentView:
        """The client didn't come: the time is freed and units set aside for them go back."""
        async with self.ctx.transaction() as session:
            appointment = await lock_appointment(session, appointment_id)
            save_checked(appointment, self.ctx.actor, expected_version)
            check_transition(appointment.status, NO_SHOW)
            await return_used_units(
                session,
                appointment_id,
                why=f"no-show {when_text(appointment.starts_at)}",
                actor=self.ctx.actor,
            )
            appointment.status = NO_SHOW
            await session.flush()
            return await view_in(session, appointment_id)
