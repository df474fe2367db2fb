"""One client at the kiosk: made only by `Kiosk.check_in`, bound to that client."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Appointment,
    AppointmentCheckIn,
    Client,
    Product,
    Service,
    StoredValueAccount,
)
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.domain.permissions import Perm
from frontdesk.services.catalog import load_store
from frontdesk.services.context import ServiceContext
from frontdesk.services.renewals import Renewals
from frontdesk.services.staff import require
from frontdesk.services.versions import mark_changed
from frontdesk.views.kiosk import (
    KioskBenefit,
    KioskGreeting,
    KioskPrepaid,
    KioskSummary,
    KioskUnits,
)
from frontdesk.views.renewals import BenefitChoice, BenefitChosen


class Kiosk(Protocol):
    """What a visit needs of the `Kiosk` that made it (a protocol: no import cycle)."""

    ctx: ServiceContext
    location_id: int

    def today(self) -> dt.date: ...

    def checked_in(self) -> None: ...


BOOKED, CHECKED_IN = "booked", "checked_in"
# A client may check in (again) while a visit today is still ahead or under way.
OPEN_STATUSES = (BOOKED, CHECKED_IN)


def _today_here(client_id: int, location_id: int, day: dt.date) -> list[object]:
    start = dt.datetime.combine(day, dt.time.min)
    return [
        Appointment.client_id == client_id,
        Appointment.location_id == location_id,
        Appointment.starts_at >= start,
        Appointment.starts_at < start + dt.timedelta(days=1),
        Appointment.status.in_(OPEN_STATUSES),
    ]


async def greeting(
    session: AsyncSession, client_id: int, location_id: int, day: dt.date
) -> KioskGreeting:
    first = await session.scalar(select(Client.first_name).where(Client.id == client_id))
    times = await session.scalars(
        select(Appointment.starts_at)
        .where(*_today_here(client_id, location_id, day))  # type: ignore[arg-type]
        .order_by(Appointment.starts_at)
    )
    return KioskGreeting(first_name=first or "", times=tuple(t.time() for t in times))


class KioskVisit:
    """The checked-in client's calls. It holds their id and offers no way to change it:
    the screens can reach this client's data and no one else's."""

    def __init__(self, kiosk: Kiosk, client_id: int, hello: KioskGreeting) -> None:
        self._kiosk = kiosk
        self._client_id = client_id
        self.greeting = hello

    async def confirm(self) -> KioskSummary:
        """The client said "that's me": each of their appointments here today is checked
        in (the desk's schedule shows it) with a row saying when, where and as whom;
        then their summary."""
        kiosk = self._kiosk
        ctx = kiosk.ctx
        async with ctx.transaction() as session:
            await require(session, ctx.actor, Perm.APPROVE)  # opened, by someone still able
            rows = await session.scalars(
                select(Appointment)
                .where(*_today_here(self._client_id, kiosk.location_id, kiosk.today()))  # type: ignore[arg-type]
                .order_by(Appointment.id)
                .with_for_update()
            )
            appointments = list(rows)
            done = set(
                await session.scalars(
                    select(AppointmentCheckIn.appointment_id).where(
                        AppointmentCheckIn.appointment_id.in_([a.id for a in appointments])
                    )
                )
            )
            for appointment in appointments:
                if appointment.status == BOOKED:
                    appointment.status = CHECKED_IN
                    mark_changed(appointment, ctx.actor)
                if appointment.id not in done:
                    session.add(
                        AppointmentCheckIn(
                            appointment_id=appointment.id,
                            staff_id=ctx.actor.staff_id,
                            terminal=ctx.actor.terminal,
                        )
                    )
        kiosk.checked_in()
        return await self.summary()

    async def summary(self) -> KioskSummary:
        """First name, today's times here, Beauty Bank, prepaid visits, banked units and
        the benefit choices waiting."""
        kiosk = self._kiosk
        day = kiosk.today()
        async with kiosk.ctx.read() as session:
            store = await load_store(session)
            cur = store.currency
            hello = await greeting(session, self._client_id, kiosk.location_id, day)
            accounts = StoredValueAccount.client_id == self._client_id
            wallet = await session.scalar(
                select(StoredValueAccount.balance).where(
                    accounts, StoredValueAccount.kind == StoredValueKind.WALLET_MONEY.value
                )
            )
            prepaid = await session.execute(
                select(Service.name, StoredValueAccount.balance)
                .join(Service, Service.id == StoredValueAccount.service_id)
                .where(
                    accounts,
                    StoredValueAccount.kind == StoredValueKind.PREPAID_VISITS.value,
                    StoredValueAccount.balance > 0,
                )
                .order_by(Service.name)
            )
            units = await session.execute(
                select(Product.name, Product.unit_name, StoredValueAccount.balance)
                .join(Product, Product.id == StoredValueAccount.product_id)
                .where(
                    accounts,
                    StoredValueAccount.kind == StoredValueKind.PRODUCT_UNITS.value,
                    StoredValueAccount.balance > 0,
                )
                .order_by(Product.name)
            )
            prepaid_rows, unit_rows = prepaid.all(), units.all()
        pending = await Renewals(kiosk.ctx).pending(self._client_id, day)
        return KioskSummary(
            currency=cur,
            locale=store.locale,
            first_name=hello.first_name,
            times=hello.times,
            beauty_bank=from_minor(wallet or 0, cur),
            prepaid=tuple(KioskPrepaid(service_name=n, visits=v) for n, v in prepaid_rows),
            units=tuple(KioskUnits(product_name=n, unit_name=u, units=v) for n, u, v in unit_rows),
            benefits=tuple(
                KioskBenefit(
                    currency=p.currency,
                    locale=p.locale,
                    cycle_id=p.cycle_id,
                    plan_name=p.plan_name,
                    choose_by=p.choose_by - dt.timedelta(days=1),
                    treatment_name=p.treatment_name,
                    treatment_value=p.treatment_value,
                    cash=p.cash,
                )
                for p in pending
            ),
        )

    async def choose(self, cycle_id: int, choice: BenefitChoice, *, key: str) -> BenefitChosen:
        """This client's choice for one of their own pending Select cycles, once
        (`desk.renewals.choose` does the rest); a cycle not theirs, or not pending, is
        refused."""
        renewals = Renewals(self._kiosk.ctx)
        day = self._kiosk.today()
        mine = {p.cycle_id for p in await renewals.pending(self._client_id, day)}
        if cycle_id not in mine:
            raise ValidationError("choice", "There is no benefit to choose here now.")
        return await renewals.choose(cycle_id, choice, key=key, on=day)
