"""A close racing a cash checkout on one drawer (docs/rules.md#cash-drawer, D4), on
PostgreSQL, where two terminals' transactions truly overlap: both lock the drawer's row,
so the sale is either counted by the close or refused after it, never let in after the
count. Each path is held at the lock by a third connection to fix who goes first.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import CashDrawer
from frontdesk.domain.drawer import DrawerState
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.money import amount
from tests.services.test_drawer import CLOSED, sale
from tests.services.world import World, build_world

pytestmark = pytest.mark.usefixtures("postgres_only")


@pytest.fixture
def postgres_only(ctx: ServiceContext) -> None:
    if not ctx.is_postgres:
        pytest.skip("SQLite's BEGIN IMMEDIATE runs one writer at a time: nothing overlaps")


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


@asynccontextmanager
async def two_terminals(url: str, staff_id: int) -> AsyncIterator[tuple[Desk, Desk]]:
    """The same terminal name twice (one drawer), each with its own engine."""
    desks = tuple(
        Desk(ServiceContext.create(create_engine(url), terminal="test-desk", staff_id=staff_id))
        for _ in range(2)
    )
    try:
        yield desks[0], desks[1]
    finally:
        for desk in desks:
            await desk.close()


async def waiting_on_locks(conn: AsyncConnection, count: int, timeout: float = 20) -> None:
    """Until `count` other sessions of this database wait for a lock."""
    deadline = time.monotonic() + timeout
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while True:
        waiting = await conn.scalar(query)
        await conn.rollback()  # the statistics are a snapshot per transaction
        if waiting >= count:
            return
        assert time.monotonic() < deadline, f"fewer than {count} sessions waited for the drawer"
        await asyncio.sleep(0.02)


async def hold_drawer(ctx: ServiceContext, location_id: int) -> AsyncConnection:
    """A connection holding the drawer's row lock until it commits."""
    conn = await ctx.engine.connect()
    await conn.begin()
    await conn.execute(
        select(CashDrawer.id).where(CashDrawer.location_id == location_id).with_for_update()
    )
    return conn


async def settle(task: Awaitable[Any]) -> Any:
    try:
        return await task
    except DomainError as exc:
        return exc


async def test_a_close_that_locks_first_refuses_the_cash_sale_waiting_behind_it(
    db_url: str, ctx: ServiceContext, world: World
) -> None:
    w = world
    await Desk(ctx.as_staff(w.desk)).drawer.open(w.location, amount("100.00"), key=new_key())
    async with two_terminals(db_url, w.desk) as (closer, seller), ctx.engine.connect() as watch:
        holder = await hold_drawer(ctx, w.location)
        close = asyncio.create_task(
            settle(closer.drawer.close(w.location, amount("100.00"), "", key=new_key()))
        )
        await waiting_on_locks(watch, 1)
        checkout = asyncio.create_task(settle(seller.till.complete(sale(w))))
        await waiting_on_locks(watch, 2)  # the sale waits for the drawer too
        await holder.commit()
        await holder.close()
        closed, refused = await close, await checkout
    assert isinstance(refused, ValidationError), refused
    assert (refused.field, str(refused)) == ("tenders", CLOSED)
    assert closed.state == DrawerState.CLOSED.value
    assert closed.expected == amount("100.00")
    assert (await Desk(ctx).drawer.today(w.location)).cash_tenders == 0


async def test_a_cash_sale_that_locks_first_is_counted_by_the_close_waiting_behind_it(
    db_url: str, ctx: ServiceContext, world: World
) -> None:
    w = world
    await Desk(ctx.as_staff(w.desk)).drawer.open(w.location, amount("100.00"), key=new_key())
    async with two_terminals(db_url, w.desk) as (closer, seller), ctx.engine.connect() as watch:
        holder = await hold_drawer(ctx, w.location)
        checkout = asyncio.create_task(settle(seller.till.complete(sale(w))))
        await waiting_on_locks(watch, 1)
        close = asyncio.create_task(
            settle(closer.drawer.close(w.location, amount("190.00"), "", key=new_key()))
        )
        await waiting_on_locks(watch, 2)
        await holder.commit()
        await holder.close()
        sold, closed = await checkout, await close
    assert not isinstance(sold, DomainError), sold
    assert not isinstance(closed, DomainError), closed
    assert closed.cash_tenders == amount("90.00")
    assert closed.expected == amount("190.00")
    assert closed.difference == 0


async def test_racing_closes_on_one_drawer_close_it_once(
    db_url: str, ctx: ServiceContext, world: World
) -> None:
    w = world
    await Desk(ctx.as_staff(w.desk)).drawer.open(w.location, amount("10"), key=new_key())
    async with two_terminals(db_url, w.desk) as (one, two):
        outcomes = await asyncio.gather(
            *(
                settle(d.drawer.close(w.location, amount("10"), "", key=new_key()))
                for d in (one, two)
            )
        )
    lost = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(lost) == 1
    assert isinstance(lost[0], ValidationError) and str(lost[0]) == CLOSED
