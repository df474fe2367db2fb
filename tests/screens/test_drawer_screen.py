"""The Drawer screen (issue 17, item 1) at 80x24, keyboard only: `D` on the schedule opens
today's drawer on this terminal; open with a float, a cash sale at the till, close with a
count that differs (the note asked for at its field, nothing written until it is given),
the difference and the note shown; a stylist may not reopen (the service's words), a
manager does."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import CashDrawerEvent, Staff
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from screens.drawer import DrawerEntryModal, DrawerScreen
from tests.money import amount, money, typed
from tests.screens.conftest import TERMINAL, TODAY, AppFactory, day_shown
from tests.waiting import wait_until

SIZE = (80, 24)
MANAGER = 9


def text_of(app: App[Any], selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def drawer_state(app: App[Any]) -> str | None:
    screen = app.screen
    if isinstance(screen, DrawerScreen) and screen.view is not None:
        return screen.view.state
    return None


async def open_drawer_screen(pilot: Pilot[Any], app: App[Any]) -> None:
    await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
    await pilot.press("D")
    await wait_until(pilot, lambda: drawer_state(app) is not None, what="the drawer, loaded")


async def events(url: str) -> int:
    ctx = ServiceContext.create(create_engine(url), terminal="count")
    try:
        async with ctx.read() as s:
            return int(await s.scalar(select(func.count()).select_from(CashDrawerEvent)) or 0)
    finally:
        await ctx.dispose()


async def cash_sale(url: str, tendered: str) -> None:
    """A manicure (25.00) paid in cash at the till of this terminal, as Anna."""
    desk = Desk.open(url, terminal=TERMINAL, staff_id=1)
    try:
        await desk.till.complete(
            CheckoutInput(
                idempotency_key=new_key(),
                client_id=1,
                location_id=1,
                lines=(LineInput(kind=LineKind.SERVICE, service_id=3),),
                tenders=(TenderInput(method="cash", amount=amount(tendered)),),
            )
        )
    finally:
        await desk.close()


async def test_open_sell_in_cash_close_with_a_difference_then_a_manager_reopens(
    salon_url: str, make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_drawer_screen(pilot, app)
        assert "not opened" in text_of(app, "#drawer-title")
        # A stylist takes payments but may not reopen: that key is greyed, saying why.
        keys = app.screen.active_bindings
        assert keys["c"].enabled and not keys["r"].enabled
        assert keys["r"].tooltip == "You need the “reopen the cash drawer” permission to do this"

        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, DrawerEntryModal), what="modal")
        await pilot.press(*"lots", "enter")  # not an amount: refused at its field
        await wait_until(pilot, lambda: text_of(app, "#drawer-amount-error"), what="the error")
        assert await events(salon_url) == 0
        modal = app.screen
        assert isinstance(modal, DrawerEntryModal)
        modal.query_one("#drawer-amount").value = ""  # type: ignore[attr-defined]
        await pilot.press(*typed("100.00"), "enter")
        await wait_until(pilot, lambda: drawer_state(app) == "open", what="the drawer, open")

        await cash_sale(salon_url, "30.00")  # 5.00 change: 25.00 kept
        await pilot.press("escape", "D")
        await wait_until(
            pilot, lambda: money("125.00") in text_of(app, "#drawer-summary"), what="expected"
        )

        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, DrawerEntryModal), what="modal")
        await pilot.press(*typed("120.00"), "enter")
        await wait_until(pilot, lambda: text_of(app, "#drawer-note-error"), what="note asked")
        assert "say why" in text_of(app, "#drawer-note-error")
        assert await events(salon_url) == 1  # the open only: nothing written
        await pilot.press("tab", *"Short: paid the window cleaner", "enter")
        await wait_until(pilot, lambda: drawer_state(app) == "closed", what="closed")
        summary = text_of(app, "#drawer-summary")
        assert f"Difference {money('-5.00')} (short)" in summary
        assert "Note: Short: paid the window cleaner" in summary
        assert "closed" in text_of(app, "#drawer-title")

        # A closed day takes no cash (the till says so), and a stylist can't reopen it.
        try:
            await cash_sale(salon_url, "25.00")
        except ValidationError as refused:
            assert refused.field == "tenders"
            assert "closed for today — a manager can reopen it" in str(refused)
        else:
            raise AssertionError("cash was taken on a closed day")
        await pilot.press("r")
        await wait_until(pilot, lambda: "permission" in text_of(app, "#drawer-message"), what="no")
        assert "“reopen the cash drawer”" in text_of(app, "#drawer-message")
        assert isinstance(app.screen, DrawerScreen)

    await add_manager(salon_url)
    manager_app = make_app(staff_id=MANAGER)
    async with manager_app.run_test(size=SIZE) as pilot:
        await open_drawer_screen(pilot, manager_app)
        assert manager_app.screen.active_bindings["r"].enabled
        await pilot.press("r")
        await wait_until(
            pilot, lambda: isinstance(manager_app.screen, DrawerEntryModal), what="modal"
        )
        await pilot.press(*"Late client, cash", "enter")
        await wait_until(pilot, lambda: drawer_state(manager_app) == "open", what="reopened")
    await cash_sale(salon_url, "25.00")


async def add_manager(url: str) -> None:
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        async with ctx.transaction() as s:
            await s.execute(
                insert(Staff).values(id=MANAGER, name="Mia", role="manager", location_id=1)
            )
    finally:
        await ctx.dispose()
