"""The database itself keeps the ledger append-only: raw UPDATE and DELETE on ledger
entries fail on SQLite and PostgreSQL (migration 0006), while posting still works."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.world import World, build_world


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def _rows(ctx: ServiceContext) -> list[tuple[int, int, int]]:
    async with ctx.engine.connect() as conn:
        found = await conn.execute(
            text("SELECT id, amount, balance_after FROM ledger_entries ORDER BY id")
        )
        return [(int(r[0]), int(r[1]), int(r[2])) for r in found]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_entries SET amount = amount + 100",
        "UPDATE ledger_entries SET description = 'edited'",
        "DELETE FROM ledger_entries",
    ],
)
async def test_raw_sql_cannot_change_or_remove_an_entry(
    ctx: ServiceContext, world: World, statement: str
) -> None:
    await Desk(ctx.as_staff(world.desk)).balances.adjust_wallet(
        world.client, Decimal("25"), "Goodwill", key=new_key()
    )
    before = await _rows(ctx)
    assert before
    with pytest.raises(DBAPIError, match="append-only"):
        async with ctx.engine.begin() as conn:
            await conn.execute(text(statement))
    assert await _rows(ctx) == before


async def test_posting_and_reversing_still_work(ctx: ServiceContext, world: World) -> None:
    desk = Desk(ctx.as_staff(world.manager))  # reverses entries
    credit = await desk.balances.adjust_wallet(
        world.client, Decimal("25"), "Goodwill", key=new_key()
    )
    await desk.balances.reverse_entry(credit.entry.id, "Entered twice", key=new_key())
    assert [amount for _, amount, _ in await _rows(ctx)][-2:] == [2500, -2500]
