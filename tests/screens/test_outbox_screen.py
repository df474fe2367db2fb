"""The Outbox screen (issue 16, item 6) at 80x24, keyboard only: reached with `O` or the
command palette from the schedule, newest first, a loading state while it reads, the
empty text when there is nothing, `s` sends what is pending, and a person without the
"reports" permission is told so in the service's words."""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from sqlalchemy import update
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Client, StaffPermission
from frontdesk.services.context import ServiceContext
from frontdesk.services.outbox import Outbox, queue_notification
from frontdesk.views.outbox import OutboxPage
from screens.outbox import EMPTY, OutboxScreen
from tests.screens.conftest import TODAY, AppFactory, day_shown
from tests.screens.palette_fixtures import palette
from tests.waiting import wait_until

SIZE = (80, 24)


async def prepare(url: str, *, reports: bool = True, messages: bool = True) -> None:
    """Anna (staff 1) may read reports; Alice has an email and a phone and two messages,
    Dora only a phone and one message whose text is markup."""
    ctx = ServiceContext.create(create_engine(url), terminal="test")
    try:
        async with ctx.transaction() as s:
            if reports:
                s.add(StaffPermission(staff_id=1, permission="reports"))
            await s.execute(
                update(Client)
                .where(Client.id == 1)
                .values(email="alice@example.com", phone="07700 900001")
            )
            await s.execute(update(Client).where(Client.id == 4).values(phone="07700 900004"))
            if messages:
                await queue_notification(s, 1, "account", "Your wallet just grew!")
                await queue_notification(s, 4, "news", "[@click=app.quit]Spring[/] offers")
    finally:
        await ctx.dispose()


def table(app: App[Any]) -> DataTable[Text]:
    return app.screen.query_one("#outbox-table", DataTable)


def loaded(app: App[Any]) -> bool:
    screen = app.screen
    return isinstance(screen, OutboxScreen) and screen.page is not None


def rows(app: App[Any]) -> list[list[str]]:
    t = table(app)
    return [[c.plain for c in t.get_row_at(i)] for i in range(t.row_count)]


def text_of(app: App[Any], selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_outbox(pilot: Pilot[Any], app: App[Any]) -> None:
    await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
    await pilot.press("O")
    await wait_until(pilot, lambda: loaded(app), what="the outbox, loaded")


async def test_rows_newest_first_and_send_marks_them_sent(
    salon_url: str, make_app: AppFactory
) -> None:
    await prepare(salon_url)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_outbox(pilot, app)
        shown = rows(app)
        assert [r[1:4] + r[5:] for r in shown] == [
            ["Dora Jones", "sms", "news", "Pending"],
            ["Alice Smith", "sms", "account", "Pending"],
            ["Alice Smith", "email", "account", "Pending"],
        ]
        assert shown[0][4] == "[@click=app.quit]Sp…"  # cut to fit, never markup
        assert shown[1][4] == "Your wallet just gr…"
        assert "3 pending" in text_of(app, "#outbox-title")
        assert "[@click=app.quit]Spring[/] offers" in text_of(app, "#outbox-detail")
        await pilot.press("s")
        await wait_until(
            pilot,
            lambda: loaded(app) and [r[5] for r in rows(app)] == ["Sent"] * 3,
            what="every row sent",
        )
        assert "Sent 3 notifications" in text_of(app, "#outbox-message")
        assert "0 pending" in text_of(app, "#outbox-title")
        await pilot.press("escape")
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="back on the schedule")


async def test_the_empty_outbox_says_so_and_the_palette_opens_it(
    salon_url: str, make_app: AppFactory
) -> None:
    await prepare(salon_url, messages=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
        (entry,) = [c for c in palette(app) if c.title == "Outbox"]
        await entry.callback()
        await wait_until(pilot, lambda: loaded(app), what="the outbox, loaded")
        assert text_of(app, "#outbox-empty") == EMPTY
        assert app.screen.query_one("#outbox-empty").display
        assert text_of(app, "#outbox-title") == "Notifications outbox · none · 0 pending"
        assert not table(app).display


async def test_without_the_reports_permission_the_screen_says_why(
    salon_url: str, make_app: AppFactory
) -> None:
    await prepare(salon_url, reports=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
        await pilot.press("O")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, OutboxScreen) and "reports" in text_of(app, "#outbox-empty")
            ),
            what="the refusal",
        )
        assert "Could not read the outbox" in text_of(app, "#outbox-empty")


class HeldOutbox(Outbox):
    """Reads only once the test lets it (`held`, made in the test's own loop), so the
    loading state can be seen."""

    held: asyncio.Event

    async def list(self, offset: int = 0, limit: int = 50) -> OutboxPage:
        await self.held.wait()
        return await super().list(offset, limit)


async def test_the_table_shows_its_loading_state_while_it_reads(
    salon_url: str, make_app: AppFactory
) -> None:
    await prepare(salon_url)
    HeldOutbox.held = asyncio.Event()
    app = make_app(areas={"outbox": HeldOutbox})
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
        await pilot.press("O")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, OutboxScreen) and table(app).loading,
            what="the loading state",
            workers=False,
        )
        assert table(app).row_count == 0
        HeldOutbox.held.set()
        await wait_until(pilot, lambda: loaded(app), what="the outbox, loaded")
        assert not table(app).loading and table(app).row_count == 3
