"""The Reports screen (issue 17, item 5) at 80x24, keyboard only: `R` (or "Reports" in the
palette) from the schedule; each report shows the service's own numbers in the store's
money; a bad date is named at its field and nothing is read; a person without the
reports permission sees the refusal and no numbers; CSV export writes the command line's
rows; long reports page with PgDn/PgUp."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Static

from frontdesk.db.engine import create_engine
from frontdesk.reports_csv import day_csv_rows
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.reports import Reports
from frontdesk.views.reports import DayReport
from screens.report_export import csv_rows
from screens.report_tables import (
    Shown,
    as_cells,
    commissions_shown,
    day_shown,
    days_shown,
    hours_shown,
    liability_shown,
    rollforward_shown,
)
from screens.reports import ReportsScreen
from tests.money import money
from tests.screens.conftest import TODAY, AppFactory
from tests.screens.conftest import day_shown as schedule_shows
from tests.screens.palette_fixtures import titles
from tests.screens.report_fixtures import fill_takings, reports_screen, table_rows
from tests.waiting import wait_until

SIZE = (80, 24)


async def service(url: str, kind: str, location: int | None = None) -> tuple[Any, Shown]:
    """The report as the service gives it to staff 1, and what the screen should show."""
    ctx = ServiceContext.create(create_engine(url), terminal="test")
    try:
        desk = Desk(ctx.as_staff(1))
        first = TODAY.replace(day=1)
        if kind in ("day", "hours"):
            day = await desk.reports.day(TODAY, location)
            return day, day_shown(day) if kind == "day" else hours_shown(day)
        if kind == "days":
            takings = await desk.reports.takings_by_day(
                TODAY - dt.timedelta(days=29), TODAY, location
            )
            return takings, days_shown(takings)
        if kind == "liability":
            owed = await desk.ledger_reports.liability_on(TODAY, location_id=location)
            return owed, liability_shown(owed)
        if kind == "rollforward":
            roll = await desk.ledger_reports.roll_forward(first, TODAY, location_id=location)
            return roll, rollforward_shown(roll)
        paid = await desk.commission_reports.for_period(first, TODAY, location_id=location)
        return paid, commissions_shown(paid)
    finally:
        await ctx.dispose()


def on_screen(shown: Shown, start: int, end: int) -> list[tuple[str, ...]]:
    """The service's rows as the table's cells (cut to their columns with "…")."""
    return [tuple(c.plain for c in as_cells(shown, row)) for row in shown.rows[start:end]]


def loaded(app: App[Any], kind: str, location: int | None = None) -> bool:
    screen = reports_screen(app)
    return (
        screen is not None
        and screen.kind == kind
        and screen.location_id == location
        and screen.report is not None
        and not screen.query_one("#rp-table").loading
    )


def text_of(app: App[Any], selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_reports(pilot: Pilot[Any], app: App[Any]) -> None:
    await wait_until(pilot, lambda: schedule_shows(app, TODAY), what="today's schedule")
    await pilot.press("R")
    await wait_until(pilot, lambda: loaded(app, "day"), what="the day report")


async def test_each_report_shows_the_services_numbers(salon_url: str, make_app: AppFactory) -> None:
    await fill_takings(salon_url)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app)
        _, shown = await service(salon_url, "day")
        assert table_rows(app) == on_screen(shown, 0, ReportsScreen.PAGE)
        summary = text_of(app, "#rp-summary")
        assert f"3 tickets · tenders {money('280.00')}" in summary
        assert "✓ reconciles" in summary
        for number, kind in enumerate(
            ("day", "hours", "days", "liability", "rollforward", "commissions"), start=1
        ):
            await pilot.press(str(number))
            await wait_until(pilot, partial(loaded, app, kind), what=f"the {kind} report")
            _, shown = await service(salon_url, kind)
            assert table_rows(app) == on_screen(shown, 0, ReportsScreen.PAGE), kind
        # The charts' numbers: by hour 09, 10, 14; the 30 days newest first.
        await pilot.press("2")
        await wait_until(pilot, lambda: loaded(app, "hours"), what="takings by hour")
        hours = [(r[0], r[2]) for r in table_rows(app)]
        assert hours == [
            ("09:00", money("55.00")),
            ("10:00", money("200.00")),
            ("14:00", money("25.00")),
        ]
        await pilot.press("3")
        await wait_until(pilot, lambda: loaded(app, "days"), what="30 days")
        rows = table_rows(app)
        assert len(rows) == 30
        assert (rows[0][2], rows[1][2], rows[2][2]) == (
            money("280.00"),
            money("40.00"),
            money("0"),
        )
        assert rows[0][1].startswith("█") and rows[2][1] == ""


async def test_location_and_day_keys(salon_url: str, make_app: AppFactory) -> None:
    await fill_takings(salon_url)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app)
        await pilot.press("L")
        await wait_until(pilot, lambda: loaded(app, "day", 1), what="Marylebone's day")
        assert f"tenders {money('255.00')}" in text_of(app, "#rp-summary")
        assert "Marylebone" in text_of(app, "#rp-location")
        await pilot.press("left_square_bracket")

        def yesterday() -> bool:
            screen = reports_screen(app)
            return screen is not None and screen.on == TODAY - dt.timedelta(days=1)

        await wait_until(
            pilot, lambda: yesterday() and loaded(app, "day", 1), what="the day before"
        )
        assert f"1 tickets · tenders {money('40.00')}" in text_of(app, "#rp-summary")
        assert app.screen.query_one("#rp-on", Input).value == "2026-11-22"


async def test_a_bad_date_is_named_at_its_field_and_nothing_is_read(
    salon_url: str, make_app: AppFactory
) -> None:
    await fill_takings(salon_url)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app)
        screen = reports_screen(app)
        assert screen is not None
        before = screen.report
        field = app.screen.query_one("#rp-on", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"2026-13-40", "enter")
        await wait_until(pilot, lambda: "YYYY-MM-DD" in text_of(app, "#rp-error"), what="error")
        assert text_of(app, "#rp-error").startswith("Date:")
        assert field.has_class("-invalid") and app.focused is field
        assert screen.report is before and screen.on == TODAY
        field.value = ""
        await pilot.press(*"2026-11-22", "enter")
        await wait_until(pilot, lambda: screen.on == TODAY - dt.timedelta(days=1), what="read")
        await wait_until(pilot, lambda: loaded(app, "day"), what="the day before")
        assert text_of(app, "#rp-error") == "" and not field.has_class("-invalid")
        # A period whose first day is after its last: named at From.
        app.screen.query_one("#rp-table").focus()
        await pilot.press("5")
        await wait_until(pilot, lambda: loaded(app, "rollforward"), what="the roll-forward")
        first = app.screen.query_one("#rp-first", Input)
        first.focus()
        first.value = ""
        await pilot.press(*"2026-11-30", "enter")
        await wait_until(pilot, lambda: "after the last" in text_of(app, "#rp-error"), what="err")
        assert first.has_class("-invalid")


async def test_without_the_permission_the_refusal_and_no_numbers(
    salon_url: str, make_app: AppFactory
) -> None:
    await fill_takings(salon_url, reports=False)  # Anna, a stylist, may not read reports
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: schedule_shows(app, TODAY), what="today's schedule")
        assert "Reports" in titles(app)  # anyone may open it
        await pilot.press("R")

        def refused() -> bool:
            return reports_screen(app) is not None and "report" in text_of(app, "#rp-message")

        await wait_until(pilot, refused, what="the refusal")
        screen = reports_screen(app)
        assert screen is not None and screen.report is None
        assert not screen.query_one("#rp-table").display
        assert text_of(app, "#rp-summary") == ""
        assert money("280.00") not in text_of(app, "#rp-message")


async def test_csv_export_writes_the_command_lines_rows(
    salon_url: str, make_app: AppFactory, tmp_path: Path
) -> None:
    await fill_takings(salon_url)
    app = make_app()
    target = tmp_path / "day.csv"
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app)
        await pilot.press("x")
        await wait_until(pilot, lambda: app.screen.query("#form-path"), what="the path field")
        field = app.screen.query_one("#form-path", Input)
        assert field.value.endswith("report-day-2026-11-23.csv")
        field.value = str(tmp_path / "no such folder" / "x.csv")
        await pilot.press("ctrl+s")
        error = "#form-path-error"
        await wait_until(pilot, lambda: "No folder" in text_of(app, error), what="field error")
        field.value = str(target)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: reports_screen(app) is not None, what="back")
        await wait_until(pilot, lambda: "CSV written" in text_of(app, "#rp-message"), what="said")
        assert str(target) in text_of(app, "#rp-message")
    report, _ = await service(salon_url, "day")
    with target.open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [list(r) for r in day_csv_rows(report)]


@pytest.mark.parametrize("kind", ["liability", "rollforward", "commissions"])
async def test_csv_rows_of_the_ledger_reports_are_the_command_lines(
    salon_url: str, kind: str
) -> None:
    await fill_takings(salon_url)
    from frontdesk.reports_csv_ledger import commissions_csv, liability_csv, rollforward_csv

    report, _ = await service(salon_url, kind)
    if kind == "liability":
        header, rows = liability_csv(report)
    elif kind == "rollforward":
        header, rows = rollforward_csv(report)
    else:
        header, rows = commissions_csv(report)
    assert csv_rows(report) == [header, *rows]


async def test_long_reports_page(
    salon_url: str, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    await fill_takings(salon_url)
    monkeypatch.setattr(ReportsScreen, "PAGE", 10)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot, app)
        _, shown = await service(salon_url, "day")
        assert len(shown.rows) > 20
        assert table_rows(app) == on_screen(shown, 0, 10)
        assert f"rows 1–10 of {len(shown.rows)}" in text_of(app, "#rp-summary")
        await pilot.press("pagedown")
        await wait_until(
            pilot, lambda: table_rows(app)[0] == on_screen(shown, 10, 11)[0], what="page two"
        )
        assert table_rows(app) == on_screen(shown, 10, 20)
        await pilot.press("pageup")
        await wait_until(
            pilot, lambda: table_rows(app)[0] == on_screen(shown, 0, 1)[0], what="page one"
        )


class HeldReports(Reports):
    """Reads the day only once the test lets it (`held`, made in the test's own loop), so
    the loading state, and keys pressed meanwhile, can be seen."""

    held: asyncio.Event

    async def day(self, on: dt.date, location_id: int | None = None) -> DayReport:
        await self.held.wait()
        return await super().day(on, location_id)


async def test_the_table_shows_its_loading_state_and_the_last_choice_wins(
    salon_url: str, make_app: AppFactory
) -> None:
    await fill_takings(salon_url)
    HeldReports.held = asyncio.Event()
    app = make_app(areas={"reports": HeldReports})
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: schedule_shows(app, TODAY), what="today's schedule")
        await pilot.press("R")

        def loading() -> bool:
            screen = reports_screen(app)
            return screen is not None and bool(screen.query_one("#rp-table").loading)

        await wait_until(pilot, loading, what="the loading state", workers=False)
        await pilot.press("4")  # the screen still answers: liability, not held
        await wait_until(pilot, lambda: loaded(app, "liability"), what="liability")
        HeldReports.held.set()
        await wait_until(pilot, lambda: loaded(app, "liability"), what="the held day, dropped")
        _, shown = await service(salon_url, "liability")
        assert table_rows(app) == on_screen(shown, 0, ReportsScreen.PAGE)
