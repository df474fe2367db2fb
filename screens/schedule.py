"""The day's appointments at one location: the screen the desk lives on.

State is three reactives (day, location, staff filter). Any change starts one exclusive
async worker; a result is applied only if it is still for the state on screen, so
pressing `]` four times quickly can never leave an older day's rows showing.

The day is read again whenever the schedule comes back on top (issue 14): whatever was
booked, moved or cancelled meanwhile from another screen of this terminal is on it, and
the cursor stays on the appointment it was on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Static
from textual.worker import Worker, get_current_worker

from frontdesk.domain.errors import DomainError, describe
from frontdesk.services.desk import Desk
from frontdesk.views import AppointmentView, DaySchedule, LocationView, StaffView, StoreView
from frontdesk.views.changes import APPOINTMENTS, CLIENTS, Change
from screens.open_tickets import resume_open_ticket
from screens.schedule_rows import act_on_row
from screens.schedule_table import (
    HEADERS,
    ScheduleTable,
    column_widths,
    literal,
    long_day,
    status_text,
    time_range,
)
from screens.walk_in import open_walk_in
from screens.widgets import DeskScreen, PickerModal, SteadyFooter
from screens.widgets.errors import report_failed_worker
from screens.widgets.live import DataChanged, LiveRefresh

ALL_STAFF = "all"

# One footer entry for both day keys: at 80 columns every key of the screen must fit.
DAY_KEYS = Binding.Group("Day", compact=True)


class ScheduleScreen(DeskScreen):
    """Today's appointments for a location, one row each."""

    class LocationShown(Message):
        """The schedule now shows this location: the desk works there (the app says so
        in every header)."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left,h,left_square_bracket",
            "prev_day",
            "Previous day",
            id="schedule.prev_day",
            key_display="←",
            priority=True,
            group=DAY_KEYS,
        ),
        Binding(
            "right,l,right_square_bracket",
            "next_day",
            "Next day",
            id="schedule.next_day",
            key_display="→",
            priority=True,
            group=DAY_KEYS,
        ),
        Binding("t", "today", "Today", id="schedule.today"),
        Binding(
            "L,o",
            "switch_location",
            "Location",
            id="schedule.location",
            key_display="L",
            tooltip="Switch location",
        ),
        Binding(
            "f",
            "filter_staff",
            "Staff",
            id="schedule.filter_staff",
            tooltip="Filter by staff",
        ),
        Binding(
            "enter",
            "open",
            "Open",
            id="schedule.open",
            key_display="⏎",
            priority=True,
            tooltip="Open appointment",
        ),
        Binding("n", "book", "Book", id="schedule.book", tooltip="Book appointment"),
        # Not in the footer (no room at 80 columns); in the command palette by these names.
        Binding("W", "walk_in", "Walk-in ticket", id="schedule.walk_in", show=False),
        Binding("T", "open_tickets", "Open tickets", id="schedule.open_tickets", show=False),
        Binding("O", "outbox", "Outbox", id="schedule.outbox", show=False),
        Binding("R", "app.reports", "Reports", id="schedule.reports", show=False),
        Binding("D", "drawer", "Cash drawer", id="schedule.drawer", show=False),
        Binding("i", "row('check_in')", "Check in", id="schedule.check_in", show=False),
        Binding("x", "row('cancel')", "Cancel appointment", id="schedule.cancel", show=False),
        Binding("N", "row('no_show')", "No-show", id="schedule.no_show", show=False),
        Binding(
            "slash",
            "app.search",
            "Search",
            id="schedule.search",
            key_display="/",
            tooltip="Search: find a client",
        ),
        Binding("q", "app.quit", "Quit", id="schedule.quit"),
    ]

    day: reactive[dt.date] = reactive(dt.date(2000, 1, 1), init=False)
    location: reactive[LocationView | None] = reactive(None, init=False)
    staff: reactive[StaffView | None] = reactive(None, init=False)

    def __init__(
        self,
        desk: Desk,
        locations: Sequence[LocationView],
        *,
        today: Callable[[], dt.date],
        clock: Callable[[], dt.datetime],
        store: StoreView | None = None,
        first_day: DaySchedule | None = None,
    ) -> None:
        super().__init__(classes="schedule")
        self._first_day = first_day
        self.desk = desk
        self.locations = tuple(locations)
        self._today = today
        self._clock = clock
        self.store = store
        self.schedule: DaySchedule | None = None
        self._ready = False  # widgets exist (on_mount ran): reloads may start
        # Covered by another screen (or another person's mode) since the day was read.
        # Not a count of resumes: Textual resumes a new mode's first screen twice.
        self._covered = False
        # Someone booked, moved, checked in or renamed: the day is read again, in place.
        self.live = LiveRefresh(self, self._changed, frozenset({APPOINTMENTS, CLIENTS}))
        self.set_reactive(ScheduleScreen.day, today())
        self.set_reactive(ScheduleScreen.location, self.locations[0] if self.locations else None)

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield self.desk_header(self._clock)
        yield Static(id="schedule-title")
        table: DataTable[object] = ScheduleTable(
            id="schedule-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static(id="schedule-empty")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#schedule-empty").display = False
        self._publish_location()
        self._ready = True
        first, self._first_day = self._first_day, None
        if first is not None and self._is_current(first.location, first.day, None):
            # Loaded with the store at start-up: the first frame already has the rows.
            self._apply(first)
        else:
            self.reload()

    # -- state -------------------------------------------------------------------

    def on_screen_suspend(self, _event: events.ScreenSuspend) -> None:
        self._covered = True

    def on_screen_resume(self, _event: events.ScreenResume) -> None:
        """Back on top (a screen or modal closed, a person signed back in): read the day
        again, keeping its rows. Not when covered again at once (the search closing on
        a client opens their profile): that read raced the profile's own (issue 19)."""
        if self._covered:
            self.call_after_refresh(self._back_on_top)

    def _back_on_top(self) -> None:
        if self._covered and self.app.screen is self:
            self._covered = False
            self.live.pending = None  # read below, with everything else
            self.reload(keep_rows=True)

    def on_data_changed(self, message: DataChanged) -> None:
        self.live.changed(message.change)

    def _changed(self, _change: Change) -> None:
        self.reload(keep_rows=True, quiet=True)

    def watch_day(self) -> None:
        self.reload()

    def watch_location(self) -> None:
        self._publish_location()
        self.reload()

    def watch_staff(self) -> None:
        self.reload()

    def _publish_location(self) -> None:
        self.post_message(self.LocationShown(self.location.name if self.location else ""))

    def reload(self, *, keep_rows: bool = False, quiet: bool = False) -> None:
        """Read the day on screen again. `keep_rows` (the same day, read again) leaves the
        rows and the focus in place until the answer arrives, the title saying it loads
        (unless `quiet`: another terminal's change, shown when it arrives); another day
        covers the table, whose rows are not that day's."""
        if not self._ready:
            return
        if not (quiet and keep_rows and self._rows_are_current()):
            self._show_title(count=None)
        if not (keep_rows and self._rows_are_current()):
            self.query_one("#schedule-table", DataTable).loading = True
        self.load_day(self.location, self.day, self.staff)

    def _rows_are_current(self) -> bool:
        shown = self.schedule
        return shown is not None and self._is_current(shown.location, shown.day, self.staff)

    @work(exclusive=True, group="schedule", exit_on_error=False)
    async def load_day(
        self, location: LocationView | None, day: dt.date, staff: StaffView | None
    ) -> None:
        table = self.query_one("#schedule-table", DataTable)
        if location is None:
            table.loading = False
            self._show_message("No locations are set up yet.")
            return
        try:
            result = await self.desk.schedule.day(location.id, day, staff.id if staff else None)
        except Exception as exc:
            if not isinstance(exc, DomainError):
                self.log.error("schedule.day failed", exc)
            if self._is_current(location, day, staff):
                message = describe(exc)  # the desk's words, never a driver's class name
                table.loading = False
                self._show_message(f"Could not load the schedule: {message}")
                self.notify(message, title="Schedule", severity="error")
            return
        if get_current_worker().is_cancelled or not self._is_current(location, day, staff):
            return  # a newer request owns the screen now
        self._apply(result)

    def _is_current(
        self, location: LocationView | None, day: dt.date, staff: StaffView | None
    ) -> bool:
        return (location, day, staff) == (self.location, self.day, self.staff)

    def _apply(self, schedule: DaySchedule) -> None:
        table = self.query_one("#schedule-table", DataTable)
        row = self._row_to_keep(schedule, table)
        self.schedule = schedule
        appointments = schedule.appointments
        visible_rows = (table.size.height or self.app.size.height - 4) - 1  # minus the header
        widths = column_widths(
            table.size.width or self.app.size.width,
            appointments,
            scrollbar=len(appointments) > visible_rows,
        )
        table.clear(columns=True)
        for key, width in widths.items():
            table.add_column(HEADERS[key], width=width, key=key)
        for appt in appointments:
            table.add_row(
                Text(time_range(appt), no_wrap=True, end=""),
                literal(appt.client_name, widths["client"]),
                literal(appt.service_name, widths["service"]),
                literal(appt.staff_name, widths["staff"]),
                status_text(appt.status),
                key=str(appt.id),
            )
        table.loading = False
        self._show_title(count=len(schedule.appointments))
        empty = self.query_one("#schedule-empty", Static)
        if schedule.appointments:
            table.display = True
            empty.display = False
            table.move_cursor(row=row)
            if self.focused is None:
                # The table cannot hold focus while loading; a modal closing during a
                # reload (location, staff) leaves nothing focused. Arrows must work.
                table.focus()
        else:
            who = f" for {self.staff.name}" if self.staff else ""
            self._show_message(f"No appointments{who} on {long_day(schedule.day)}.")

    def _row_to_keep(self, schedule: DaySchedule, table: DataTable[object]) -> int:
        """Where the cursor goes in `schedule`'s rows: on the appointment it is on now
        (rows above it may have come or gone); near where it was if that one left the
        day; the first row on another day."""
        shown, selected = self.schedule, self.selected_appointment()
        if shown is None or selected is None:
            return 0
        if (shown.location, shown.day) != (schedule.location, schedule.day):
            return 0
        ids = [a.id for a in schedule.appointments]
        if selected.id in ids:
            return ids.index(selected.id)
        return min(table.cursor_row, max(len(ids) - 1, 0))

    def _show_message(self, message: str) -> None:
        table = self.query_one("#schedule-table", DataTable)
        table.clear()
        table.display = False
        empty = self.query_one("#schedule-empty", Static)
        empty.update(Content(message))
        empty.display = True

    def _show_title(self, count: int | None) -> None:
        parts = [self.location.name if self.location else "No location", long_day(self.day)]
        if count is None:
            parts.append("loading…")
        else:
            parts.append(f"{count} appointment{'' if count == 1 else 's'}")
        if self.staff is not None:
            parts.append(self.staff.name)
        self.query_one("#schedule-title", Static).update(Content(" · ".join(parts)))

    # -- actions -----------------------------------------------------------------

    def action_prev_day(self) -> None:
        self.day = self.day - dt.timedelta(days=1)

    def action_next_day(self) -> None:
        self.day = self.day + dt.timedelta(days=1)

    def action_today(self) -> None:
        today = self._today()
        if self.day == today:
            self.reload(keep_rows=True)  # the day may have changed since it was read
        else:
            self.day = today

    def action_switch_location(self) -> None:
        if len(self.locations) < 2:
            self.notify("This business has one location.", title="Location")
            return
        choices = [(str(loc.id), loc.name) for loc in self.locations]
        current = str(self.location.id) if self.location else None

        def chosen(key: str | None) -> None:
            for loc in self.locations:
                if key == str(loc.id) and loc != self.location:
                    # A staff member of another location would filter everything away.
                    self.staff = None
                    self.location = loc

        self.app.push_screen(PickerModal("Switch location", choices, current=current), chosen)

    def action_filter_staff(self) -> None:
        members: dict[str, StaffView] = {}
        location = self.location

        async def load() -> list[tuple[str, str]]:
            try:
                found = await self.desk.catalog.staff(location.id if location else None)
            except Exception as exc:
                self.log.error("staff list failed", exc)
                found = self._staff_on_screen()
                if not found:
                    self.notify(describe(exc), title="Staff list unavailable", severity="error")
                    return []
                self.notify(
                    f"{describe(exc)} — showing staff with appointments this day.",
                    title="Staff list unavailable",
                    severity="warning",
                )
            members.update((str(m.id), m) for m in found)
            return [(ALL_STAFF, "All staff"), *((key, m.name) for key, m in members.items())]

        def chosen(key: str | None) -> None:
            if key is not None and location == self.location:
                self.staff = members.get(key)  # "All staff" is not a member: None

        current = str(self.staff.id) if self.staff else ALL_STAFF
        self.app.push_screen(
            PickerModal("Show appointments for", current=current, loader=load), chosen
        )

    def _staff_on_screen(self) -> tuple[StaffView, ...]:
        if self.schedule is None:
            return ()
        seen: dict[int, StaffView] = {}
        for appt in self.schedule.appointments:
            seen.setdefault(
                appt.staff_id,
                StaffView(id=appt.staff_id, name=appt.staff_name, role="", location_id=None),
            )
        return tuple(sorted(seen.values(), key=lambda s: s.name))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self, event.worker, event.state)

    def selected_appointment(self) -> AppointmentView | None:
        table = self.query_one("#schedule-table", DataTable)
        if self.schedule is None or not table.display or table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((a for a in self.schedule.appointments if str(a.id) == row_key.value), None)

    def action_open(self) -> None:
        appt = self.selected_appointment()
        if appt is None:
            self.notify("No appointment selected.", title="Open")
            return
        from screens.appointment import AppointmentScreen  # screens are imported when opened

        self.app.push_screen(AppointmentScreen(self.desk, appt.id))

    def action_book(self) -> None:
        if self.location is None:
            self.notify("No locations are set up yet.", title="Book")
            return
        from screens.booking import BookingScreen

        self.app.push_screen(BookingScreen(self.desk, self.location.id, self.day))

    def action_walk_in(self) -> None:
        """A ticket for a client who walked in, at this location."""
        if self.location is None:
            self.notify("No locations are set up yet.", title="Walk-in")
            return
        # The schedule reads its day again when it is back on top: nothing to do after.
        open_walk_in(self.app, self.desk, self.location.id, clock=self._clock, after=_nothing)

    def action_open_tickets(self) -> None:
        location_id = self.location.id if self.location else None
        resume_open_ticket(self, self.desk, location_id, self._clock, _nothing)

    def action_outbox(self) -> None:
        """The notifications queued for clients (reports permission)."""
        from screens.outbox import OutboxScreen

        self.app.push_screen(OutboxScreen(self.desk))

    def action_drawer(self) -> None:
        """Today's cash drawer on this terminal at this location (issue 17, item 1)."""
        if self.location is None:
            self.notify("No locations are set up yet.", title="Cash drawer")
            return
        from screens.drawer import DrawerScreen  # only when asked for

        self.app.push_screen(DrawerScreen(self.desk, self.location.id))

    def action_row(self, what: str) -> None:
        self.row_action(what)

    @work(group="schedule-row", exit_on_error=False)
    async def row_action(self, what: str) -> None:
        if await act_on_row(self, self.desk, self.selected_appointment(), what):
            self.reload(keep_rows=True)


def _nothing(*_args: object) -> None:
    """For a screen's close callback when resuming the schedule does the work."""
