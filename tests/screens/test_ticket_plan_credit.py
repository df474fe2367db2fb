"""A plan's first payment on the ticket greys the Credit toggle and says why.

The ticket has no key yet that adds a membership line (the Add list sells products,
packages and prepaid services; selling plans is the memberships issue), so the test puts
the line on the ticket as that key would, then drives the rest by keys."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from textual.app import App
from textual.content import Content
from textual.widgets import Static

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import MembershipPlan
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.desk import Desk
from frontdesk.views.till import LineInput
from screens.ticket_lines import TicketLines
from tests.money import amount, money, typed
from tests.screens.picker_fixtures import SIZE
from tests.screens.ticket_fixtures import (
    build_spa,
    field,
    press_and_quote,
    shown,
    ticket,
    ticket_app,
    ticket_opened,
    totals,
)

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


async def test_credit_is_greyed_on_a_first_plan_payment_and_says_why(sqlite_url: str) -> None:
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
        screen = ticket(app)
        first = LineInput(kind=LineKind.MEMBERSHIP_FIRST, plan_id=plan)
        screen.lines = TicketLines(added=(first,))
        screen.requote()
        await ticket_opened(pilot)
        [line] = screen.quote.lines  # type: ignore[union-attr]
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
        # With the plan's line removed the toggle works again.
        await press_and_quote(pilot, "delete", "o")
        assert totals(app)[4] == f"[x] Credit of {money('500.00')} —"
