"""The Memberships pane is live (issue 15's change feed): a pause made on another terminal
shows on this one without a key, and this terminal's next change is based on it."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from sqlalchemy import insert
from textual.widgets import DataTable

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Membership, MembershipPlan
from screens.widgets.section_bar import SectionBar
from tests.screens.test_live_updates import (
    ALICE,
    SIZE,
    START,
    open_alice,
    profile_of,
    salon_with_owner,
    terminal,
)
from tests.waiting import wait_until


async def alice_joins(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            plan = await conn.scalar(
                insert(MembershipPlan)
                .values(name="Glow Auto", price_minor=7_900)
                .returning(MembershipPlan.id)
            )
            await conn.execute(
                insert(Membership).values(
                    client_id=ALICE,
                    plan_id=plan,
                    status="active",
                    started_on=dt.date(2026, 1, 5),
                    next_renewal=dt.date(2026, 12, 5),
                )
            )
    finally:
        await engine.dispose()


def status(table: DataTable[Text]) -> str:
    return table.get_row_at(0)[1].plain if table.row_count else ""


async def test_a_pause_on_another_terminal_shows_here(db_url: str) -> None:
    await salon_with_owner(db_url)
    await alice_joins(db_url)
    a, b = terminal(db_url, "desk-1"), terminal(db_url, "desk-2")
    async with a.run_test(size=SIZE) as pilot_a, b.run_test(size=SIZE) as pilot_b:
        await open_alice(pilot_a, a)
        await wait_until(pilot_b, lambda: b.member is not None, what="B open", timeout=START)
        await pilot_a.press("7")  # Account
        profile = profile_of(a)
        assert profile is not None
        await wait_until(pilot_a, lambda: profile.tab_widget("account") is not None, what="tab")
        profile.query_one("#account-sections", SectionBar).active = "acct-memberships"
        # The section's widgets are built when it is first shown.
        await wait_until(pilot_a, lambda: bool(profile.query("#memberships-table")), what="built")
        table: DataTable[Text] = profile.query_one("#memberships-table", DataTable)
        await wait_until(pilot_a, lambda: status(table) == "active", what="the membership")
        table.focus()

        (member,) = await b.desk.memberships.list(ALICE)
        await b.desk.memberships.pause(member.id, expected_version=member.version)
        await wait_until(pilot_a, lambda: status(table) == "paused", what="B's pause, here")
        await pilot_a.press("p")  # resume: based on the version just re-read, not refused
        await wait_until(pilot_a, lambda: status(table) == "active", what="resumed here")
        (now,) = await b.desk.memberships.list(ALICE)
        assert (now.status, now.version) == ("active", 3)
