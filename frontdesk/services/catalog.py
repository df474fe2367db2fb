"""Reference data the screens need: store settings, locations, staff, services."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import ScalarSelect, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.core_exec import execute
from frontdesk.db.tables import Location, Service, Staff, StaffPermission, StoreSettings
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.money import MAX_AMOUNT, format_money, from_minor, to_minor
from frontdesk.domain.permissions import Perm
from frontdesk.services.area import Area
from frontdesk.services.staff import require
from frontdesk.services.versions import mark_changed
from frontdesk.views import LocationView, ServiceView, StaffView, StoreView

IDLE_LOCK_MINUTES = range(1, 241)  # a minute at least; four hours at most
_HELD = "frontdesk.store_settings"


async def _settings(session: AsyncSession) -> StoreSettings:
    row = await session.get(StoreSettings, 1)
    if row is None:
        raise NotFound("store settings (run `frontdesk db upgrade` and seed the store)")
    # The session's identity map holds rows weakly: without this reference the row is
    # gone by the next `load_store` of the same transaction and read again (three times
    # in one balance adjustment). Held, every later `session.get` of it is free and still
    # sees any change this transaction made to it (the same object).
    session.info[_HELD] = row
    return row


def _store_view(row: StoreSettings) -> StoreView:
    return _view_of(
        (
            row.business_name,
            row.currency,
            row.locale,
            row.future_product_usage,
            row.commission_system,
            row.approval_threshold_minor,
            row.idle_lock_seconds,
            row.version,
        )
    )


def _view_of(values: Sequence[Any]) -> StoreView:
    """The settings from the eight values, in `_STORE_READ`'s order."""
    (name, currency, locale, future, commission, threshold, idle, version) = values
    return StoreView(
        business_name=name,
        currency=currency,
        locale=locale,
        future_product_usage=future,
        commission_system=commission,
        approval_threshold=from_minor(threshold, currency),
        idle_lock_seconds=idle,
        version=version,
    )


_VIEW = "frontdesk.store_view"
_STORE = StoreSettings.__table__.c
# Built once, Core on the table (issue 19: Python per write; every money write asks for
# the currency): the ORM's `session.get` builds and loads a row object to read six values.
_STORE_READ = select(
    _STORE.business_name,
    _STORE.currency,
    _STORE.locale,
    _STORE.future_product_usage,
    _STORE.commission_system,
    _STORE.approval_threshold_minor,
    _STORE.idle_lock_seconds,
    _STORE.version,
).where(_STORE.id == 1)
_STORE_KEY = inspect(StoreSettings).identity_key_from_primary_key((1,))


async def load_store(session: AsyncSession) -> StoreView:
    """The store's settings as this transaction sees them: read once per transaction.

    A row the session holds (read by another statement, such as the checkout's catalogue,
    or changed by this transaction) is the truth and costs no statement; else one Core
    read, kept in the session's `info` for the rest of the transaction."""
    held = session.info.get(_HELD) or session.sync_session.identity_map.get(_STORE_KEY)
    if held is not None:
        # Expired (committed or flushed with a server-side value): `session.get` reads it
        # again, as before; never a lazy load outside the greenlet.
        fresh = held if not inspect(held).expired_attributes else await _settings(session)
        return _store_view(fresh)
    view: StoreView | None = session.info.get(_VIEW)
    if view is None:
        row = (await execute(session, _STORE_READ)).one_or_none()
        if row is None:
            raise NotFound("store settings (run `frontdesk db upgrade` and seed the store)")
        view = remember_store(session, row)
    assert view is not None  # the row read has its non-null columns
    return view


# The same eight values as scalar subqueries another read can carry (issue 19: a posting
# reads them with its account lock, a receipt with its ticket), built once; in the order
# of `_STORE_READ`, which `remember_store` takes them back in.
STORE_COLUMNS: tuple[ScalarSelect[Any], ...] = tuple(
    select(column).where(_STORE.id == 1).scalar_subquery()
    for column in _STORE_READ.selected_columns
)


def remember_store(session: AsyncSession, values: Sequence[Any]) -> StoreView | None:
    """Keep the eight values `STORE_COLUMNS` read as this transaction's store settings
    (`load_store` then asks nothing); all None (no store row): nothing is kept, and
    `load_store` reads and says so."""
    if values[1] is None:  # the currency: never null in a row that is there
        return None
    view = _view_of(values)
    session.info[_VIEW] = view
    return view


def _threshold_minor(amount: Decimal, currency: str, locale: str) -> int:
    if not amount.is_finite() or amount < 0:
        raise ValidationError("approval_threshold", "Enter an amount of zero or more")
    if amount > MAX_AMOUNT:
        limit = format_money(MAX_AMOUNT, currency, locale)
        raise ValidationError("approval_threshold", f"The threshold is over the {limit} limit")
    try:
        return to_minor(amount, currency)
    except ValueError:
        raise ValidationError(
            "approval_threshold", f"Too many decimal places for {currency}"
        ) from None


def money(minor: int, currency: str) -> Decimal:
    return from_minor(minor, currency)


class Catalog(Area):
    """The store's settings, its locations, staff and services."""

    async def store(self) -> StoreView:
        async with self.ctx.read() as session:
            return await load_store(session)

    async def update_security_settings(
        self, approval_threshold: Decimal, idle_lock_minutes: int
    ) -> StoreView:
        """Set the two-person rule's threshold (in the store currency) and the idle lock
        (whole minutes). Needs "setup"."""
        if idle_lock_minutes not in IDLE_LOCK_MINUTES:
            raise ValidationError("idle_lock_minutes", "Enter 1 to 240 minutes")
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.SETUP)
            row = await _settings(session)
            row.approval_threshold_minor = _threshold_minor(
                approval_threshold, row.currency, row.locale
            )
            row.idle_lock_seconds = idle_lock_minutes * 60
            mark_changed(row, self.ctx.actor)
            await session.flush()
            return _store_view(row)

    async def locations(self) -> tuple[LocationView, ...]:
        async with self.ctx.read() as session:
            rows = (await session.execute(select(Location).order_by(Location.id))).scalars()
            return tuple(LocationView(id=r.id, name=r.name) for r in rows)

    async def staff(self, location_id: int | None = None) -> tuple[StaffView, ...]:
        async with self.ctx.read() as session:
            stmt = select(Staff).where(Staff.active.is_(True)).order_by(Staff.name)
            if location_id is not None:
                stmt = stmt.where((Staff.location_id == location_id) | Staff.location_id.is_(None))
            members = list((await session.execute(stmt)).scalars())
            perms = (await session.execute(select(StaffPermission))).scalars().all()
            by_staff: dict[int, set[str]] = {}
            for p in perms:
                by_staff.setdefault(p.staff_id, set()).add(p.permission)
            return tuple(
                StaffView(
                    id=m.id,
                    name=m.name,
                    role=m.role,
                    location_id=m.location_id,
                    permissions=frozenset(by_staff.get(m.id, set())),
                )
                for m in members
            )

    async def services(self) -> tuple[ServiceView, ...]:
        async with self.ctx.read() as session:
            cur = (await load_store(session)).currency
            rows = (
                await session.execute(
                    select(Service).where(Service.active.is_(True)).order_by(Service.name)
                )
            ).scalars()
            return tuple(
                ServiceView(
                    id=r.id,
                    name=r.name,
                    category=r.category,
                    duration_minutes=r.duration_minutes,
                    price=from_minor(r.price_minor, cur),
                )
                for r in rows
            )
