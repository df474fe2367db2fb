"""A location's day: the appointments the schedule screen lists."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Appointment,
    AppointmentAddon,
    Client,
    Location,
    Product,
    Service,
    Staff,
)
from frontdesk.domain.errors import NotFound
from frontdesk.domain.money import from_minor
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.views import AddonLineView, AppointmentView, DaySchedule, LocationView


async def _addons(
    session: AsyncSession, appointment_ids: list[int], currency: str
) -> dict[int, list[AddonLineView]]:
    if not appointment_ids:
        return {}
    stmt = (
        select(AppointmentAddon, Product.name, Product.unit_name)
        .join(Product, Product.id == AppointmentAddon.product_id)
        .where(AppointmentAddon.appointment_id.in_(appointment_ids))
        .where(AppointmentAddon.removed_at.is_(None))
        .order_by(AppointmentAddon.id)
    )
    out: dict[int, list[AddonLineView]] = {}
    for addon, name, unit in (await session.execute(stmt)).all():
        out.setdefault(addon.appointment_id, []).append(
            AddonLineView(
                id=addon.id,
                product_id=addon.product_id,
                product_name=name,
                unit_name=unit,
                use_units=addon.use_units,
                buy_units=addon.buy_units,
                bank_units=addon.bank_units,
                unit_price=from_minor(addon.unit_price_minor, currency),
            )
        )
    return out


async def appointment_views(
    session: AsyncSession, where: list[object], currency: str
) -> list[AppointmentView]:
    stmt = (
        select(
            Appointment,
            Client.first_name,
            Client.last_name,
            Service.name,
            Staff.name,
        )
        .join(Client, Client.id == Appointment.client_id)
        .join(Service, Service.id == Appointment.service_id)
        .join(Staff, Staff.id == Appointment.staff_id)
        .where(*where)  # type: ignore[arg-type]
        .order_by(Appointment.starts_at, Staff.name, Appointment.id)
    )
    rows = (await session.execute(stmt)).all()
    addons = await _addons(session, [r[0].id for r in rows], currency)
    return [
        AppointmentView(
            id=a.id,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            status=a.status,
            client_id=a.client_id,
            client_name=f"{first} {last}".strip(),
            service_id=a.service_id,
            service_name=service_name,
            staff_id=a.staff_id,
            staff_name=staff_name,
            location_id=a.location_id,
            cancel_reason=a.cancel_reason,
            addons=tuple(addons.get(a.id, ())),
            version=a.version,
        )
        for a, first, last, service_name, staff_name in rows
    ]


class Schedule(Area):
    """A location's day."""

    async def day(self, location_id: int, day: dt.date, staff_id: int | None = None) -> DaySchedule:
        async with self.ctx.read() as session:
            location = await session.get(Location, location_id)
            if location is None:
                raise NotFound("location")
            currency = (await load_store(session)).currency
            start = dt.datetime.combine(day, dt.time.min)
            where: list[object] = [
                Appointment.location_id == location_id,
                Appointment.starts_at >= start,
                Appointment.starts_at < start + dt.timedelta(days=1),
            ]
            if staff_id is not None:
                where.append(Appointment.staff_id == staff_id)
            views = await appointment_views(session, where, currency)
            return DaySchedule(
                location=LocationView(id=location.id, name=location.name),
                day=day,
                appointments=tuple(views),
            )
