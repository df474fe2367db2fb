"""Store settings and locations, as the setup screens change them (issue 16, item 1).

Anyone at the desk reads them (`Catalog.store`, `StoreSetup.locations`); every change
needs "setup" and is refused (`StaleVersion`) if another terminal saved the same row
since the screen read it. The rules of each field are `frontdesk.domain.setup`; what
needs the database is here:

* The currency is refused once anything is stored in it: amounts are integer minor units
  of the store currency (docs/rules.md, M1, M2), so the same 5500 in a ledger entry or a
  ticket would silently mean ¥5,500 instead of £55.00. A catalogue alone may move to a
  currency with the same number of decimals (its prices keep their meaning: 55.00 stays
  55.00), not to one with another number (5500 pence is not 5500 yen).
* A location's name is unique; two terminals adding the same name at once end in the
  field error `races.MEANINGS` gives `locations.name`, never driver text.
* Locations are never deleted: staff, clients (their home), appointments and tickets
  point at them, and history must keep saying where it happened.
"""

from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Base,
    LedgerEntry,
    Location,
    MembershipPlan,
    OpenTicket,
    Package,
    Product,
    Service,
    Staff,
    StoreSettings,
    Ticket,
)
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.money import currency_exponent, to_minor
from frontdesk.domain.permissions import Perm
from frontdesk.domain.setup import LocationInput, StoreInput, check_location, check_store
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.staff import require
from frontdesk.services.versions import mark_changed, save_checked
from frontdesk.views import LocationSetupView, StoreView

RECORDED = (LedgerEntry, Ticket, OpenTicket)
PRICED = (Service, Product, Package, MembershipPlan)


async def _any(session: AsyncSession, tables: tuple[type[Base], ...]) -> bool:
    for table in tables:
        if await session.scalar(select(exists().select_from(table))):
            return True
    return False


async def _check_currency(session: AsyncSession, old: str, new: str) -> None:
    if new == old:
        return
    if await _any(session, RECORDED):
        raise ValidationError(
            "currency",
            f"The currency stays {old}: sales and balances are recorded in {old}'s "
            "minor units, and changing it would change what every amount means",
        )
    if currency_exponent(new) != currency_exponent(old) and await _any(session, PRICED):
        raise ValidationError(
            "currency",
            f"The currency stays {old}: catalogue prices are kept in {old}'s minor units and "
            f"{new} has another number of decimals; change it before pricing the catalogue",
        )


def _location_view(row: Location, staff: int) -> LocationSetupView:
    return LocationSetupView(
        id=row.id,
        name=row.name,
        address=row.address,
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        staff=staff,
        version=row.version,
    )


class StoreSetup(Area):
    """The store's settings and its locations (setup)."""

    async def save_store(self, store: StoreInput, *, expected_version: int | None) -> StoreView:
        """All the store settings at once. Needs "setup"; refused at the field on bad
        input, and as `StaleVersion` if another terminal saved them since."""
        clean = check_store(store)
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            row = await session.get(StoreSettings, 1, with_for_update=True)
            if row is None:
                raise NotFound("store settings")
            save_checked(row, self.ctx.actor, expected_version)
            await _check_currency(session, row.currency, clean.currency)
            row.business_name = clean.business_name
            row.currency = clean.currency
            row.locale = clean.locale
            row.future_product_usage = clean.future_product_usage
            row.commission_system = clean.commission_system.value
            row.approval_threshold_minor = to_minor(clean.approval_threshold, clean.currency)
            row.idle_lock_seconds = clean.idle_lock_minutes * 60
            await session.flush()
            return await load_store(session)

    async def locations(self) -> tuple[LocationSetupView, ...]:
        """Every location by name, with how many active staff work there."""
        async with self.ctx.read() as session:
            staff = (
                select(func.count())
                .where(Staff.location_id == Location.id, Staff.active.is_(True))
                .scalar_subquery()
            )
            rows = (await session.execute(select(Location, staff).order_by(Location.name))).all()
            return tuple(_location_view(row, count) for row, count in rows)

    async def add_location(self, location: LocationInput) -> LocationSetupView:
        clean = check_location(location)
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            await self._name_free(session, clean.name, None)
            row = Location(
                name=clean.name,
                address=clean.address,
                opens_at=clean.opens_at,
                closes_at=clean.closes_at,
            )
            mark_changed(row, self.ctx.actor)
            session.add(row)
            await session.flush()
            return _location_view(row, 0)

    async def update_location(
        self, location_id: int, location: LocationInput, *, expected_version: int | None
    ) -> LocationSetupView:
        clean = check_location(location)
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            row = await session.get(Location, location_id, with_for_update=True)
            if row is None:
                raise NotFound(f"location {location_id}")
            save_checked(row, self.ctx.actor, expected_version)
            await self._name_free(session, clean.name, location_id)
            row.name, row.address = clean.name, clean.address
            row.opens_at, row.closes_at = clean.opens_at, clean.closes_at
            await session.flush()
            staff = await session.scalar(
                select(func.count()).where(Staff.location_id == row.id, Staff.active.is_(True))
            )
            return _location_view(row, staff or 0)

    @staticmethod
    async def _name_free(session: AsyncSession, name: str, location_id: int | None) -> None:
        """A name another location has is refused at the field (any case: "Soho" and
        "soho" are one place to staff). The unique key still settles a race."""
        stmt = select(Location.id).where(func.lower(Location.name) == name.lower())
        if location_id is not None:
            stmt = stmt.where(Location.id != location_id)
        if await session.scalar(stmt.limit(1)) is not None:
            raise ValidationError("name", "A location with that name exists")
