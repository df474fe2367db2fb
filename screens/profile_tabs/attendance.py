"""Attendance: visits per location, no-shows, cancellations, and unpaid visits to reconcile."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static

from frontdesk.domain.errors import describe
from frontdesk.views import StoreView
from frontdesk.views.changes import APPOINTMENTS, TICKETS
from frontdesk.views.profile import Attendance
from screens.profile_tabs.activity import cell, when
from screens.profile_tabs.base import ProfileTab
from screens.widgets.form import app_now, show_line
from screens.widgets.live import kept_cursor

STATUS_WORDS = {"completed": "Completed", "checked_in": "Checked in"}


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class AttendanceTab(ProfileTab):
    """Read-only counts and the list of past visits nothing has paid for yet."""

    LIVE_TABLES = frozenset({APPOINTMENTS, TICKETS})
    attendance: Attendance | None = None
    store: StoreView | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="attendance-summary", classes="tab-title")
        yield Static(id="attendance-locations")
        yield Static(id="attendance-unpaid-title", classes="tab-title")
        yield DataTable(id="attendance-unpaid", cursor_type="row", zebra_stripes=True)
        yield Static(
            Content("No visits, no-shows or cancellations yet."),
            id="attendance-empty",
            classes="tab-empty",
        )
        yield Static(id="attendance-message", classes="tab-message")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("When", width=17, key="when")
        table.add_column("Service", width=18, key="service")
        table.add_column("Staff", width=10, key="staff")
        table.add_column("Location", width=10, key="location")
        table.add_column("Price", width=9, key="price")

    async def load(self) -> None:
        try:
            if self.store is None:
                self.store = await self.desk.catalog.store()
            attendance = await self.desk.profile.attendance(self.client_id, now=app_now(self.app))
        except Exception as exc:
            show_line(
                self.query_one("#attendance-message", Static),
                f"Could not load the attendance: {describe(exc)}",
                error=True,
            )
            return
        show_line(self.query_one("#attendance-message", Static), "")
        self._show(attendance)

    def _show(self, a: Attendance) -> None:
        self.attendance = a
        assert self.store is not None, "read with the attendance"
        money = self.store.money
        self.query_one("#attendance-summary", Static).update(
            Content(
                f"{plural(a.visits, 'visit')} · {plural(a.no_shows, 'no-show')} · "
                f"{plural(a.cancellations, 'cancellation')}"
            )
        )
        self.query_one("#attendance-locations", Static).update(
            Content(
                "\n".join(
                    f"  {v.location_name}: {plural(v.visits, 'visit')}" for v in a.by_location
                )
            )
        )
        self.query_one("#attendance-locations", Static).display = bool(a.by_location)
        if a.unpaid_count:
            more = f" (newest {len(a.unpaid)} shown)" if a.unpaid_count > len(a.unpaid) else ""
            title = f"Unpaid visits to reconcile: {a.unpaid_count}{more}"
        else:
            title = "Unpaid visits to reconcile: none"
        self.query_one("#attendance-unpaid-title", Static).update(Content(title))
        table = self.query_one(DataTable)
        with kept_cursor(table, self.refreshing):
            table.clear()
            for visit in a.unpaid:
                table.add_row(
                    cell(when(visit.starts_at, wall_clock=True)),
                    cell(visit.service_name),
                    cell(visit.staff_name),
                    cell(visit.location_name),
                    cell(money.format(visit.price), justify="right"),
                    key=str(visit.appointment_id),
                )
        table.display = bool(a.unpaid)
        nothing = not (a.visits or a.no_shows or a.cancellations or a.unpaid_count)
        self.query_one("#attendance-empty", Static).set_class(nothing, "-shown")
        self.query_one("#attendance-unpaid-title", Static).display = not nothing
