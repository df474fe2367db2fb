"""The one object screens are given: every use case as an awaitable method.

Screens depend on this facade, never on sessions or tables, so a screen test can
run against a real database and the layering stays one-directional.
"""

from __future__ import annotations

import datetime as dt

from frontdesk.db.engine import create_engine
from frontdesk.services import catalog, clients, schedule
from frontdesk.services.context import ServiceContext
from frontdesk.views import (
    ClientHit,
    ClientSummary,
    DaySchedule,
    LocationView,
    ServiceView,
    StaffView,
    StoreView,
)


class Frontdesk:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @classmethod
    def open(cls, url: str, *, terminal: str, staff_id: int | None = None) -> Frontdesk:
        return cls(ServiceContext.create(create_engine(url), terminal=terminal, staff_id=staff_id))

    @property
    def terminal(self) -> str:
        return self.ctx.actor.terminal

    @property
    def staff_id(self) -> int | None:
        return self.ctx.actor.staff_id

    def as_staff(self, staff_id: int | None) -> Frontdesk:
        return type(self)(self.ctx.as_staff(staff_id))

    async def close(self) -> None:
        await self.ctx.dispose()

    # Reference data
    async def store(self) -> StoreView:
        return await catalog.store(self.ctx)

    async def locations(self) -> tuple[LocationView, ...]:
        return await catalog.locations(self.ctx)

    async def staff(self, location_id: int | None = None) -> tuple[StaffView, ...]:
        return await catalog.staff(self.ctx, location_id)

    async def services(self) -> tuple[ServiceView, ...]:
        return await catalog.services(self.ctx)

    # Schedule
    async def day_schedule(
        self, location_id: int, day: dt.date, staff_id: int | None = None
    ) -> DaySchedule:
        return await schedule.day_schedule(self.ctx, location_id, day, staff_id)

    # Clients
    async def search_clients(
        self, text: str, limit: int = clients.SEARCH_LIMIT
    ) -> tuple[ClientHit, ...]:
        return await clients.search_clients(self.ctx, text, limit)

    async def client_summary(self, client_id: int) -> ClientSummary:
        return await clients.client_summary(self.ctx, client_id)
