"""A unique-key race leaves a transaction as the domain error it means, on both engines,
and `describe` never returns a driver's text for anything (issue 15, item 3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from frontdesk.db.tables import Client, LedgerEntry, OpenTicket
from frontdesk.domain.errors import (
    SOMETHING_WENT_WRONG,
    AlreadyReversed,
    DomainError,
    RaceLost,
    ValidationError,
    describe,
)
from frontdesk.domain.ledger_hash import GENESIS
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.world import World, build_world

DRIVER_WORDS = (
    "IntegrityError",
    "asyncpg",
    "sqlite3",
    "psycopg",
    "Traceback",
    "another operation is in progress",
    "UniqueViolation",
    "duplicate key",
    "UNIQUE constraint",
)


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


def _client(number: str) -> Client:
    return Client(
        client_number=number,
        first_name="Dup",
        last_name="Licate",
        search_first="dup",
        search_last="licate",
        phone_digits="",
        email_lower="",
    )


def assert_plain(message: str) -> None:
    assert not any(word.lower() in message.lower() for word in DRIVER_WORDS), message


async def test_a_taken_client_number_is_a_race_lost_on_it(ctx: ServiceContext) -> None:
    async with ctx.transaction() as session:
        session.add(_client("C-1"))
    with pytest.raises(RaceLost) as lost:
        async with ctx.transaction() as session:
            session.add(_client("C-1"))
    assert lost.value.key == "clients.client_number"
    assert str(lost.value) == "Another terminal took that client number; try again"
    assert isinstance(lost.value.__cause__, IntegrityError)  # kept for the log
    assert_plain(describe(lost.value))


async def test_a_second_reversal_past_the_checks_is_already_reversed(
    ctx: ServiceContext, world: World
) -> None:
    """The unique `reverses_entry_id` is the last guard behind the locked check."""
    desk = Desk(ctx.as_staff(world.manager))
    credit = await desk.balances.adjust_wallet(
        world.client, Decimal("20"), "Goodwill", key=new_key()
    )
    await desk.balances.reverse_entry(credit.entry.id, "Typo", key=new_key())
    with pytest.raises(DomainError) as lost:
        async with ctx.transaction() as session:
            session.add(
                LedgerEntry(
                    account_id=credit.entry.account_id,
                    amount=-2000,
                    balance_after=-2000,
                    reason="reversal",
                    description="by hand",
                    staff_id=world.manager,
                    terminal="t",
                    reverses_entry_id=credit.entry.id,
                    created_at=dt.datetime.now(dt.UTC),
                    entry_hash=GENESIS,
                )
            )
    assert isinstance(lost.value, RaceLost)
    assert lost.value.key == "ledger_entries.reverses_entry_id"
    assert_plain(str(lost.value))
    with pytest.raises(AlreadyReversed):
        await desk.balances.reverse_entry(credit.entry.id, "Again", key=new_key())


async def test_an_open_ticket_key_taken_at_once(ctx: ServiceContext, world: World) -> None:
    def parked() -> OpenTicket:
        return OpenTicket(
            idempotency_key="same-key",
            client_id=world.client,
            input_json="{}",
            summary="Facial",
            parked_terminal="t",
        )

    async with ctx.transaction() as session:
        session.add(parked())
    with pytest.raises(RaceLost) as lost:
        async with ctx.transaction() as session:
            session.add(parked())
    assert lost.value.key == "open_tickets.idempotency_key"
    assert "left this ticket open" in str(lost.value)


async def test_a_key_with_a_field_is_a_field_error(ctx: ServiceContext, world: World) -> None:
    statement = text(
        "INSERT INTO client_relationships (client_id, related_client_id, kind, created_at)"
        " VALUES (:a, :b, 'family', CURRENT_TIMESTAMP)"
    )
    async with ctx.transaction() as session:
        await session.execute(statement, {"a": world.client, "b": world.other_client})
    with pytest.raises(ValidationError) as refused:
        async with ctx.transaction() as session:
            await session.execute(statement, {"a": world.client, "b": world.other_client})
    assert refused.value.field == "related_client"


async def test_a_missing_row_referred_to_is_said_in_words(ctx: ServiceContext) -> None:
    with pytest.raises(RaceLost) as lost:
        async with ctx.transaction() as session:
            await session.execute(
                text(
                    "INSERT INTO stored_value_accounts"
                    " (client_id, kind, item_key, unit_value_minor, balance, created_at)"
                    " VALUES (424242, 'wallet_money', 'wallet', 1, 0, CURRENT_TIMESTAMP)"
                )
            )
    assert "removed on another terminal" in str(lost.value)


class _Orig(Exception):
    pass


@pytest.mark.parametrize(
    "exc",
    [
        IntegrityError(
            "INSERT ...", {}, _Orig('duplicate key value violates unique constraint "x"')
        ),
        DBAPIError("SELECT ...", {}, _Orig("asyncpg: another operation is in progress")),
        OperationalError("SELECT ...", {}, _Orig("sqlite3.OperationalError: disk I/O error")),
        RuntimeError("connection reset\nTraceback (most recent call last): ..."),
        KeyError("psycopg"),
        ValueError(""),
        None,
    ],
)
def test_describe_never_returns_driver_text(exc: BaseException | None) -> None:
    line = describe(exc)
    assert line == SOMETHING_WENT_WRONG
    assert_plain(line)


def test_describe_keeps_the_desk_words_of_a_domain_error() -> None:
    assert describe(RaceLost("Another terminal took that client number; try again")) == (
        "Another terminal took that client number; try again"
    )
