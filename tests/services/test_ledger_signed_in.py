"""Nobody signed in writes nothing to the ledger (docs/rules.md#the-ledger, L3), on
SQLite and PostgreSQL: `post`, `reverse` and `LedgerBatch.post` refuse before a row is
added, and a use case run with nobody signed in is refused the same way."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from frontdesk.db import ledger
from frontdesk.db.ledger import Actor, LedgerBatch, get_or_create_account
from frontdesk.db.tables import AppointmentAddon, LedgerEntry, StoredValueAccount
from frontdesk.domain.errors import NotSignedIn, describe
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from tests.services.clinic import build_clinic
from tests.services.factories import make_client, make_staff, make_store

NOBODY = Actor(staff_id=None, terminal="till-1")


@dataclass(frozen=True)
class Wallet:
    account_id: int
    entry_id: int  # a 5,000 credit, written by a manager


async def wallet_with_one_entry(ctx: ServiceContext) -> Wallet:
    await make_store(ctx)
    manager = await make_staff(ctx, name="Max Manager", role="manager")
    client = await make_client(ctx)
    async with ctx.transaction() as session:
        account = await get_or_create_account(session, client.id, StoredValueKind.WALLET_MONEY)
        entry = await ledger.post(
            session,
            account.id,
            5_000,
            reason="adjust",
            description="Goodwill",
            actor=Actor(staff_id=manager.id, terminal="till-1"),
        )
    return Wallet(account.id, entry.id)


async def books(ctx: ServiceContext, account_id: int) -> tuple[int, int]:
    """How many entries there are, and the account's cached balance."""
    async with ctx.read() as session:
        count = await session.scalar(select(func.count()).select_from(LedgerEntry))
        cached = await session.scalar(
            select(StoredValueAccount.balance).where(StoredValueAccount.id == account_id)
        )
    return int(count or 0), int(cached or 0)


async def test_post_with_nobody_signed_in_is_refused_writing_nothing(ctx: ServiceContext) -> None:
    wallet = await wallet_with_one_entry(ctx)
    with pytest.raises(NotSignedIn):
        async with ctx.transaction() as session:
            await ledger.post(
                session,
                wallet.account_id,
                300,
                reason="adjust",
                description="who?",
                actor=NOBODY,
            )
    assert await books(ctx, wallet.account_id) == (1, 5_000)


async def test_reverse_with_nobody_signed_in_is_refused_writing_nothing(
    ctx: ServiceContext,
) -> None:
    wallet = await wallet_with_one_entry(ctx)
    with pytest.raises(NotSignedIn):
        async with ctx.transaction() as session:
            await ledger.reverse(session, wallet.entry_id, description="who?", actor=NOBODY)
    assert await books(ctx, wallet.account_id) == (1, 5_000)


async def test_a_batch_with_nobody_signed_in_is_refused_writing_nothing(
    ctx: ServiceContext,
) -> None:
    wallet = await wallet_with_one_entry(ctx)
    async with ctx.transaction() as session:
        batch = LedgerBatch(session, NOBODY)
        with pytest.raises(NotSignedIn):
            await batch.post(wallet.account_id, 300, reason="adjust", description="who?")
        # Refused before the row was added: flushing what is left writes nothing.
        await batch.flush()
    assert await books(ctx, wallet.account_id) == (1, 5_000)


async def test_using_banked_units_with_nobody_signed_in_is_refused_writing_nothing(
    ctx: ServiceContext,
) -> None:
    """Using banked units needs no permission, so only the ledger's own rule stops it."""
    clinic = await build_clinic(ctx, owned=10)
    async with ctx.read() as session:
        account_id = await session.scalar(select(StoredValueAccount.id))
    assert account_id is not None
    with pytest.raises(NotSignedIn) as refused:
        await Desk(ctx).addons.add_to_service(
            clinic.appointment_id,
            [AddonSelection(clinic.botox_id, 10, 5, expected_owned=10)],
            key=new_key(),
        )
    assert describe(refused.value) == "Sign in first: every change to a balance names who made it"
    assert await books(ctx, account_id) == (1, 10)
    async with ctx.read() as session:
        assert (await session.scalars(select(AppointmentAddon))).all() == []


def test_the_refusal_crosses_process_boundaries() -> None:
    copy = pickle.loads(pickle.dumps(NotSignedIn()))
    assert isinstance(copy, NotSignedIn)
    assert str(copy) == str(NotSignedIn())
