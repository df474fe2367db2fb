"""Selling a membership on a ticket by keys: the Add list offers the store's plans, a
plan's first payment greys the Credit toggle and says why, a client already a member is
refused at the line, and once completed the profile lists the membership."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.text import Text
from sqlalchemy import select
from textual.app import App
from textual.content import Content
from textual.widgets import DataTable, OptionList, Static

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import MembershipPlan
from frontdesk.domain.write_keys import new_key
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutResult
from screens.profile import ClientProfileScreen
from screens.widgets.picker import PickerModal
from tests.money import amount, money, typed
from tests.screens.picker_fixtures import SIZE
from tests.screens.profile_fixtures import NOW, ProfileHost, profile_opened, section_shown
from tests.screens.ticket_fixtures import (
    build_spa,
    completed,
    field,
    pick,
    press_and_quote,
    shown,
    ticket,
    ticket_app,
    ticket_opened,
    totals,
)
from tests.waiting import wait_until

D = Decimal


async def plan_id(url: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(MembershipPlan.id)) or 0)
    finally:
        await engine.dispose()


def greyed(app: App[Any]) -> list[str]:
    """The totals rows shown dim (greyed), as plain text."""
    text = ticket(app).query_one("#totals-text", Static).render()
    assert isinstance(text, Content)
    return [text.plain[s.start : s.end].strip("— ") for s in text.spans if s.style == "dim"]


def add_list(app: App[Any]) -> list[str]:
    items = app.screen.query_one(OptionList)
    return [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]


async def test_a_plan_sold_by_keys_refuses_credit_and_starts_the_membership(
    sqlite_url: str,
) -> None:
    spa = await build_spa(sqlite_url)
    desk = Desk.open(sqlite_url, terminal="setup", staff_id=spa.desk_id)
    try:
        await desk.balances.issue_account_credit(
            spa.brows_id, amount("500"), "Prepaid credit", key=new_key()
        )
    finally:
        await desk.close()
    plan = await plan_id(sqlite_url)
    app = ticket_app(sqlite_url, spa.brows_id, spa.location_id, staff_id=spa.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        assert totals(app)[4] == f"[ ] Credit of {money('500.00')} —"
        await pilot.press("a")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, PickerModal) and bool(add_list(app)),
            what="the Add list",
        )
        assert f"Glow Auto · membership {money('79.00')} / month" in add_list(app)
        await pick(pilot, f"membership-{plan}")
        await ticket_opened(pilot)
        [line] = ticket(app).quote.lines  # type: ignore[union-attr]
        assert (line.description, line.net) == ("Glow Auto — first payment", amount("79.00"))
        assert totals(app)[4] == f"[-] Credit of {money('500.00')} —"
        assert greyed(app) == [f"[-] Credit of {money('500.00')}"]
        assert "Account credit can't pay a first plan payment" in shown(app, "#ticket-note")
        await press_and_quote(pilot, "o")  # the toggle stays off and says why
        assert shown(app, "#ticket-message") == "Account credit can't pay a first plan payment"
        assert totals(app)[4:] == [
            f"[-] Credit of {money('500.00')} —",
            f"Total due {money('79.00')}",
        ]
        assert field(app, "#tender-card") == typed("79.00")
        await press_and_quote(pilot, "plus")  # one membership: + does not make it two
        assert ticket(app).quote.lines[0].quantity == 1  # type: ignore[union-attr]
        await pilot.press("ctrl+s")
        await completed(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.results, what="the ticket closed")
    [result] = app.results
    assert isinstance(result, CheckoutResult)
    assert (result.card, result.account_credit_applied) == (amount("79.00"), D(0))

    profile = ProfileHost(
        sqlite_url,
        lambda s: ClientProfileScreen(
            s, spa.brows_id, location_id=spa.location_id, clock=lambda: NOW
        ),
        staff_id=spa.desk_id,
    )
    async with profile.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.press("7")
        await wait_until(pilot, lambda: section_shown(profile, "acct-balance"), what="Account")
        profile.screen.query_one("#account-sections").active = "acct-memberships"  # type: ignore[attr-defined]
        await wait_until(
            pilot, lambda: section_shown(profile, "acct-memberships"), what="Memberships"
        )
        table: DataTable[Text] = profile.screen.query_one("#memberships-table", DataTable)
        assert [c.plain for c in table.get_row_at(0)][:2] == ["Glow Auto", "active"]
        assert "Glow Auto" in str(profile.screen.query_one("#profile-header", Static).render())


async def test_a_member_is_refused_a_second_plan_at_the_line(sqlite_url: str) -> None:
    spa = await build_spa(sqlite_url)  # Amelia is a Glow Auto member already
    plan = await plan_id(sqlite_url)
    app = ticket_app(sqlite_url, spa.member_id, spa.location_id, staff_id=spa.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await pilot.press("a")
        await pick(pilot, f"membership-{plan}")
        await wait_until(
            pilot,
            lambda: shown(app, "#ticket-message").startswith("Not added:"),
            what="the refusal",
        )
        assert shown(app, "#ticket-message") == (
            "Not added: The client is already a member (Glow Auto, active): change plan on "
            "the profile"
        )
        assert ticket(app).lines.added == ()
