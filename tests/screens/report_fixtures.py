"""A day of takings in the tiny salon for the Reports screen: three tickets paid on
TODAY (card, cash with change, other) at two locations, one the day before, and who may
read reports. Rows are written straight to the tables: the screen is under test here,
and the services' own numbers come from the services (tests/services/test_day_report.py
checks those against a day built through the till)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from rich.text import Text
from sqlalchemy import insert
from textual.app import App
from textual.widgets import DataTable

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Payment, StaffPermission, Ticket
from frontdesk.domain.money import to_minor
from screens.reports import ReportsScreen
from tests.screens.conftest import TODAY


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment on the desk's clock (the machine's time zone), in UTC."""
    return dt.datetime.combine(day, dt.time(hour, minute)).astimezone(dt.UTC)


def minor(gbp: str) -> int:
    """The same minor units in every test currency (tests/money.py): 55.00 → 5500."""
    return to_minor(Decimal(gbp), "GBP")


# (ticket, location, staff, day, hour, method, paid, change, total)
SALES = [
    (1, 1, 1, TODAY, 9, "card", "55.00", "0", "55.00"),
    (2, 1, 2, TODAY, 10, "cash", "220.00", "20.00", "200.00"),
    (3, 2, 3, TODAY, 14, "other", "25.00", "0", "25.00"),
    (4, 1, 1, TODAY - dt.timedelta(days=1), 16, "card", "40.00", "0", "40.00"),
]


Sale = tuple[int, int, int, dt.date, int, str, str, str, str]


async def fill_takings(url: str, *, reports: bool = True, sales: list[Sale] = SALES) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            if reports:
                await conn.execute(
                    insert(StaffPermission), [{"staff_id": 1, "permission": "reports"}]
                )
            for ticket, loc, staff, day, hour, method, paid, change, total in sales:
                at = _at(day, hour)
                await conn.execute(
                    insert(Ticket),
                    [
                        {
                            "id": ticket,
                            "idempotency_key": f"report-{ticket}",
                            "client_id": 1,
                            "location_id": loc,
                            "staff_id": staff,
                            "terminal": "desk-1",
                            "subtotal_minor": minor(total),
                            "total_minor": minor(total),
                            "paid_minor": minor(paid),
                            "change_minor": minor(change),
                            "created_at": at,
                        }
                    ],
                )
                await conn.execute(
                    insert(Payment),
                    [
                        {
                            "ticket_id": ticket,
                            "client_id": 1,
                            "method": method,
                            "amount_minor": minor(paid),
                            "change_minor": minor(change),
                            "staff_id": staff,
                            "terminal": "desk-1",
                            "created_at": at,
                        }
                    ],
                )
    finally:
        await engine.dispose()


def reports_screen(app: App[Any]) -> ReportsScreen | None:
    screen = app.screen
    return screen if isinstance(screen, ReportsScreen) else None


def table_rows(app: App[Any]) -> list[tuple[str, ...]]:
    table: DataTable[Text] = app.screen.query_one("#rp-table", DataTable)
    return [tuple(c.plain for c in table.get_row_at(i)) for i in range(table.row_count)]
