"""Races under a screen: the screen's action loses to another terminal, and the whole
screen text (every widget, every notification) holds no driver words (issue 15, must
show: "racing first credits, racing spends of one balance and racing reversals on
PostgreSQL: every loser gets the domain error; no driver text on screen").

On PostgreSQL the other terminal holds its transaction open until the screen's write is
seen waiting on its lock (pg_stat_activity), then commits: the two truly overlap. On
SQLite writes queue at BEGIN IMMEDIATE, so the other terminal simply commits first.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from textual.pilot import Pilot

from frontdesk.db import ledger
from frontdesk.db.engine import create_engine
from frontdesk.db.ledger import Actor
from frontdesk.domain.ledger import StoredValueKind
from screens.adjust_balance import AdjustBalanceModal
from screens.profile import ClientProfileScreen
from screens.profile_tabs.ledger_history import LedgerHistory
from screens.reason import ReasonModal
from tests.money import money
from tests.money import typed as typed_amount
from tests.screens.profile_fixtures import (
    NOW,
    SIZE,
    ProfileClinic,
    ProfileHost,
    build_profile_clinic_at,
    ledger_count,
    notes,
    profile_opened,
    section_shown,
    tab_ready,
    text_of,
)
from tests.screens.screen_text import driver_words_in
from tests.waiting import wait_until

OTHER = "desk-2"


@pytest.fixture
async def clinic(db_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(db_url)


def profile_app(url: str, client_id: int, location_id: int, staff_id: int) -> ProfileHost:
    return ProfileHost(
        url,
        lambda s: ClientProfileScreen(s, client_id, location_id=location_id, clock=lambda: NOW),
        staff_id=staff_id,
    )


@contextlib.asynccontextmanager
async def other_terminal(url: str) -> AsyncIterator[AsyncSession]:
    """Another terminal's open write transaction; the caller commits it when it wants."""
    engine = create_engine(url)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            await session.begin()
            await session.connection()
            yield session
    finally:
        await engine.dispose()


async def _watch_for_lock_wait(url: str, seen: asyncio.Event) -> None:
    """Set `seen` once some backend of this database waits on a lock: the screen's write
    has reached the row the other terminal holds."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            while not seen.is_set():
                waiting = await conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                )
                await conn.rollback()
                if waiting:
                    seen.set()
                else:
                    await asyncio.sleep(0.02)
    finally:
        await engine.dispose()


async def submit_against(pilot: Pilot[Any], url: str, other: AsyncSession, *keys: str) -> None:
    """Press `keys` (the screen's write) while `other` holds its transaction; commit
    `other` once the screen's write waits for it (PostgreSQL), or before it (SQLite)."""
    if not url.startswith("postgresql"):
        await other.commit()
        await pilot.press(*keys)
        return
    seen = asyncio.Event()
    watcher = asyncio.create_task(_watch_for_lock_wait(url, seen))
    try:
        await pilot.press(*keys)
        await wait_until(
            pilot, seen.is_set, what="the screen's write waiting on the lock", workers=False
        )
    finally:
        seen.set()
        await watcher
    await other.commit()


def assert_no_driver_text(app: ProfileHost) -> None:
    assert driver_words_in(app) == []


async def test_a_reversal_that_loses_the_race_says_already_reversed(
    db_url: str, clinic: ProfileClinic
) -> None:
    app = profile_app(db_url, clinic.ann_id, clinic.home_id, clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.press("7")
        await wait_until(pilot, lambda: tab_ready(app, "account"), what="the Account tab")
        app.screen.query_one("#account-sections").active = "acct-wallet"  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: section_shown(app, "acct-wallet"), what="Beauty Bank")
        history = app.screen.query_one("#wallet-history", LedgerHistory)
        history.table.focus()
        entry = history.selected_entry()
        assert entry is not None and entry.description == "Spent at checkout"
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReasonModal), what="the reason")
        await pilot.press(*"Charged twice")
        before = await ledger_count(db_url)
        async with other_terminal(db_url) as other:
            await ledger.reverse(
                other, entry.id, description="Reversal: by desk-2", actor=Actor(1, OTHER)
            )
            await submit_against(pilot, db_url, other, "enter")
        await wait_until(
            pilot,
            lambda: any("already been reversed" in n for n in notes(app)),
            what="the screen told it lost: already reversed",
        )
        assert await ledger_count(db_url) == before + 1  # the other terminal's only
        assert_no_driver_text(app)
        # The history shows what the other terminal did, and `r` on it says so.
        await wait_until(
            pilot,
            lambda: history.page is not None and history.page.entries[0].terminal == OTHER,
            what="the other terminal's reversal in the history",
        )
        assert_no_driver_text(app)


async def test_a_first_credit_racing_another_both_land(db_url: str, clinic: ProfileClinic) -> None:
    """Bob has no Beauty Bank yet: another terminal opens it (uncommitted) with £10 while
    the screen credits £25. Both land on the one account: £35."""
    app = profile_app(db_url, clinic.bob_id, clinic.home_id, clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.press("b")
        await wait_until(
            pilot, lambda: isinstance(app.screen, AdjustBalanceModal), what="the dialog"
        )
        await pilot.press(*typed_amount("25"), "tab", *"Welcome")
        async with other_terminal(db_url) as other:
            account = await ledger.get_or_create_account(
                other, clinic.bob_id, StoredValueKind.WALLET_MONEY
            )
            await ledger.post(
                other,
                account.id,
                1_000,
                reason="adjust",
                description="Welcome (desk-2)",
                actor=Actor(clinic.reception_id, OTHER),
            )
            await submit_against(pilot, db_url, other, "enter")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, ClientProfileScreen)
                and f"Beauty Bank Available Balance: {money('35.00')}"
                in text_of(app, "#overview-balances")
            ),
            what=f"both credits in the Beauty Bank: {money('35.00')}",
        )
        assert_no_driver_text(app)


async def test_a_spend_that_loses_the_race_is_told_there_is_not_enough(
    db_url: str, clinic: ProfileClinic
) -> None:
    """Ann has £40 in the Beauty Bank: another terminal spends all of it while the screen
    deducts £40 too. The screen's deduction is refused at the amount, in words (not
    enough; going below zero needs a confirmation); nothing of it is written."""
    app = profile_app(db_url, clinic.ann_id, clinic.home_id, clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.press("b")
        await wait_until(
            pilot, lambda: isinstance(app.screen, AdjustBalanceModal), what="the dialog"
        )
        await pilot.press(*("-" + typed_amount("40")), "tab", *"Used up")
        before = await ledger_count(db_url)
        async with other_terminal(db_url) as other:
            account = await ledger.get_or_create_account(
                other, clinic.ann_id, StoredValueKind.WALLET_MONEY
            )
            await ledger.post(
                other,
                account.id,
                -4_000,
                reason="checkout_spend",
                description="Spent on desk-2",
                actor=Actor(clinic.manager_id, OTHER),
            )
            await submit_against(pilot, db_url, other, "enter")

        def refused() -> str:
            screen = app.screen
            return screen.error_of("amount") if isinstance(screen, AdjustBalanceModal) else ""

        await wait_until(pilot, refused, what="the dialog refusing the deduction at the amount")
        assert "below zero" in refused() or "available" in refused(), refused()
        assert await ledger_count(db_url) == before + 1  # the other terminal's only
        assert_no_driver_text(app)
