"""Look-ups and small rules every profile tab shares."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Client, Location, Staff
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.services.context import ServiceContext

MAX_PAGE = 500


def check_page(offset: int, limit: int) -> tuple[int, int]:
    if offset < 0:
        raise ValidationError("offset", "Offset must not be negative")
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError("limit", f"Page size must be between 1 and {MAX_PAGE}")
    return offset, limit


def as_utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes for UTC columns.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


async def load_client(session: AsyncSession, client_id: int) -> Client:
    client = await session.get(Client, client_id)
    if client is None:
        raise NotFound("client")
    return client


async def lock_client(ctx: ServiceContext, session: AsyncSession, client_id: int) -> Client:
    """Serialise point postings per client (SQLite already holds the write lock)."""
    if ctx.is_postgres:
        stmt = select(Client).where(Client.id == client_id).with_for_update()
        client = (await session.execute(stmt)).scalar_one_or_none()
        if client is None:
            raise NotFound("client")
        return client
    return await load_client(session, client_id)


async def staff_names(session: AsyncSession, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(wanted)))
    return {i: name for i, name in rows.all()}


async def home_name(session: AsyncSession, client: Client) -> str | None:
    if client.home_location_id is None:
        return None
    return await session.scalar(select(Location.name).where(Location.id == client.home_location_id))


def is_travel(client: Client, current_location_id: int | None) -> bool:
    return (
        client.home_location_id is not None
        and current_location_id is not None
        and client.home_location_id != current_location_id
    )
