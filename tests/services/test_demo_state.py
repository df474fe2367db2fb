"""Whether a database holds the demo yet: read on every `frontdesk --demo` start, so
it is one statement whatever the answer (issue 19, the launch row)."""

from __future__ import annotations

from sqlalchemy import insert

from frontdesk.db.tables import Client, StoreSettings, WriteKey
from frontdesk.demo.state import COMPLETE_KEY, DemoState, demo_state
from frontdesk.services.context import ServiceContext
from tests.money import TEST_MONEY
from tests.statements import count_statements


async def _state_in_one_statement(ctx: ServiceContext) -> DemoState:
    with count_statements(ctx.engine) as seen:
        state = await demo_state(ctx)
    assert seen.proper == 1, seen.report()
    return state


async def test_empty_partial_complete_each_in_one_statement(ctx: ServiceContext) -> None:
    assert await _state_in_one_statement(ctx) == "empty"
    async with ctx.transaction() as session:
        await session.execute(
            insert(StoreSettings).values(
                id=1,
                business_name="Demo",
                currency=TEST_MONEY.currency,
                locale=TEST_MONEY.locale,
            )
        )
    assert await _state_in_one_statement(ctx) == "empty"  # a store, no clients yet
    async with ctx.transaction() as session:
        await session.execute(
            insert(Client).values(
                client_number="C000001",
                first_name="Amelia",
                last_name="Hart",
                search_first="amelia",
                search_last="hart",
                phone_digits="",
                email_lower="",
            )
        )
    assert await _state_in_one_statement(ctx) == "partial"
    async with ctx.transaction() as session:
        await session.execute(
            insert(WriteKey).values(
                key=COMPLETE_KEY, operation="demo.seed", payload_hash="", terminal="test"
            )
        )
    assert await _state_in_one_statement(ctx) == "complete"
