"""The Reports screen (issue 17, item 5): the day report, takings by hour and by day as
charts, liability, the roll-forward and commissions, at 80x24 and keyboard only.

`ReportsScreen(desk, today, locations)`: a row of choices picks the report (`1`-`6` too,
outside the date fields), the date (or the period) is typed as YYYY-MM-DD (Enter reads
it; a bad one is named under its field and nothing is read), `[` `]` move a day, `L`
steps through the locations (All first). Each read runs in an exclusive worker with the
table's loading state, so the newest choice wins and the screen never waits. Long
reports page 50 rows at a time with PgDn and PgUp. `x` writes the report as CSV (the
command line's rows) to a path it asks for. The services check the reports permission:
without it the screen shows their refusal and no numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, RadioSet, Sparkline, Static

import styles
from frontdesk.domain.errors import DomainError, ValidationError, describe
from frontdesk.services.desk import Desk
from frontdesk.views import LocationView
from frontdesk.views.reports import DailyTakings
from screens.profile_tabs.paging import next_offset, page_label, prev_offset
from screens.report_export import Report, default_name, export
from screens.report_tables import (
    Shown,
    as_cells,
    commissions_shown,
    day_shown,
    days_shown,
    hours_shown,
    liability_shown,
    rollforward_shown,
    sparkline_data,
)
from screens.widgets.footer import SteadyFooter
from screens.widgets.form import FormField, FormModal, TickRadio

STYLES_DIR = Path(styles.__file__).parent

# (key, label): the report choices, in the row's order.
KINDS = (
    ("day", "Day"),
    ("hours", "By hour"),
    ("days", "30 days"),
    ("liability", "Liability"),
    ("rollforward", "Roll-forward"),
    ("commissions", "Commissions"),
)
PERIODS = frozenset({"rollforward", "commissions"})  # a first and a last day
CHART_DAYS = 30
DATE_HELP = "a date as YYYY-MM-DD, e.g. 2026-11-23"


def parse_date(text: str) -> dt.date | None:
    """The one form a date is typed in (as the command line's --date): YYYY-MM-DD."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


class ReportsScreen(Screen[None]):
    """Pick a report, a day or a period, a location; read it; page it; export it."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "reports.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left_square_bracket", "move(-1)", "Day −1", id="reports.prev_day", key_display="["
        ),
        Binding(
            "right_square_bracket", "move(1)", "Day +1", id="reports.next_day", key_display="]"
        ),
        Binding("L", "location", "Location", id="reports.location", tooltip="Switch location"),
        Binding("x", "export", "CSV", id="reports.export", tooltip="Export as CSV"),
        Binding(
            "pagedown", "page(1)", "Next page", id="reports.next_page", priority=True, show=False
        ),
        Binding(
            "pageup", "page(-1)", "Previous page", id="reports.prev_page", priority=True, show=False
        ),
        Binding("escape", "close", "Close", id="reports.close"),
        # The choices by number too (in the palette by the report's name).
        *(
            Binding(str(n), f"kind('{key}')", f"{label} report", id=f"reports.{key}", show=False)
            for n, (key, label) in enumerate(KINDS, start=1)
        ),
    ]
    PAGE = 50

    def __init__(
        self,
        desk: Desk,
        today: dt.date,
        locations: Sequence[LocationView] = (),
        *,
        folder: Callable[[], Path] | None = None,
    ) -> None:
        super().__init__()
        self.desk = desk
        self.locations = tuple(locations)
        self.kind = "day"
        self.first = today.replace(day=1)  # a period: the month so far
        self.on = today
        self.location_index = 0  # 0: all locations; n: locations[n - 1]
        self.report: Report | None = None
        self.shown: Shown | None = None
        self.row_offset = 0
        self._folder = folder

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="rp-title")
        with RadioSet(id="rp-kind"):
            for key, label in KINDS:
                yield TickRadio(Content(label), key == self.kind, id=f"rp-kind-{key}")
        with Horizontal(id="rp-fields"):
            yield Label(Content("From"), id="rp-first-label", classes="rp-label")
            yield Input(self.first.isoformat(), id="rp-first", compact=True, max_length=10)
            yield Label(Content("Date"), id="rp-on-label", classes="rp-label")
            yield Input(self.on.isoformat(), id="rp-on", compact=True, max_length=10)
            yield Static(id="rp-location")
        yield Static(id="rp-error")
        yield Static(id="rp-summary")
        yield Sparkline([], id="rp-spark")
        yield DataTable[Text](id="rp-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="rp-message")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#rp-spark").display = False
        self._fields_for_kind()
        self.query_one("#rp-table").focus()
        self.load()

    # -- what is asked -----------------------------------------------------------------

    @property
    def location(self) -> LocationView | None:
        return self.locations[self.location_index - 1] if self.location_index else None

    @property
    def location_id(self) -> int | None:
        return self.location.id if self.location else None

    def _fields_for_kind(self) -> None:
        period = self.kind in PERIODS
        for wid in ("#rp-first-label", "#rp-first"):
            self.query_one(wid).display = period
        self.query_one("#rp-on-label", Label).update(Content("To" if period else "Date"))
        where = self.location.name if self.location else "All locations"
        self.query_one("#rp-location", Static).update(Content(f"Location: {where}  (L)"))
        label = dict(KINDS)[self.kind]
        when = f"{self.first} to {self.on}" if period else str(self.on)
        self.query_one("#rp-title", Static).update(Content(f"Reports · {label} · {when}"))

    def _read_fields(self) -> bool:
        """The typed dates into the screen's state, or the first bad one named under its
        field (and False: nothing is read)."""
        fields = [("on", "#rp-on")]
        if self.kind in PERIODS:
            fields.insert(0, ("first", "#rp-first"))
        dates: dict[str, dt.date] = {}
        for name, wid in fields:
            typed = self.query_one(wid, Input)
            value = parse_date(typed.value)
            if value is None:
                label = "From" if name == "first" else ("To" if self.kind in PERIODS else "Date")
                self._field_error(ValidationError(name, f"{label}: {DATE_HELP}"))
                typed.focus()
                return False
            dates[name] = value
        if "first" in dates and dates["first"] > dates["on"]:
            self._field_error(ValidationError("first", "From: the first day is after the last"))
            self.query_one("#rp-first").focus()
            return False
        self.first = dates.get("first", self.first)
        self.on = dates["on"]
        self._field_error(None)
        return True

    def _field_error(self, error: ValidationError | None) -> None:
        message = self.query_one("#rp-error", Static)
        message.update(Content(str(error) if error else ""))
        for name in ("first", "on"):
            field = self.query_one(f"#rp-{name}", Input)
            field.set_class(error is not None and error.field == name, "-invalid")

    # -- reading -------------------------------------------------------------------------

    @work(exclusive=True, group="reports-load", exit_on_error=False)
    async def load(self) -> None:
        if not self._read_fields():
            return
        self._fields_for_kind()
        table = self.query_one("#rp-table", DataTable)
        table.loading = True
        self._message("")
        try:
            report, shown = await self._read()
        except Exception as exc:
            if not isinstance(exc, DomainError):
                self.log.error("report failed", exc)
            self._nothing(describe(exc))
            return
        finally:
            table.loading = False
        self.report, self.shown, self.row_offset = report, shown, 0
        self._show()

    async def _read(self) -> tuple[Report, Shown]:
        loc, on, first = self.location_id, self.on, self.first
        if self.kind in ("day", "hours"):
            day = await self.desk.reports.day(on, loc)
            return day, day_shown(day) if self.kind == "day" else hours_shown(day)
        if self.kind == "days":
            start = on - dt.timedelta(days=CHART_DAYS - 1)
            takings = await self.desk.reports.takings_by_day(start, on, loc)
            return takings, days_shown(takings)
        if self.kind == "liability":
            owed = await self.desk.ledger_reports.liability_on(on, location_id=loc)
            return owed, liability_shown(owed)
        if self.kind == "rollforward":
            roll = await self.desk.ledger_reports.roll_forward(first, on, location_id=loc)
            return roll, rollforward_shown(roll)
        paid = await self.desk.commission_reports.for_period(first, on, location_id=loc)
        return paid, commissions_shown(paid)

    def _nothing(self, text: str) -> None:
        """A refusal or a failure: the reason, and no numbers at all."""
        self.report = self.shown = None
        table = self.query_one("#rp-table", DataTable)
        table.clear(columns=True)
        table.display = False
        self.query_one("#rp-spark").display = False
        self.query_one("#rp-summary", Static).update("")
        self._message(text, error=True)

    def _show(self) -> None:
        shown = self.shown
        if shown is None:
            return
        table: DataTable[Text] = self.query_one("#rp-table", DataTable)
        table.display = True
        table.clear(columns=True)
        table.fixed_columns = shown.fixed
        for n, column in enumerate(shown.columns):
            label = Text(column.label, justify="right" if column.right else "left")
            table.add_column(label, key=str(n), width=column.width)
        page = shown.rows[self.row_offset : self.row_offset + self.PAGE]
        for row in page:
            table.add_row(*as_cells(shown, row))
        spark = self.query_one("#rp-spark", Sparkline)
        spark.display = self.kind == "days" and self.report is not None
        if isinstance(self.report, DailyTakings):
            spark.data = sparkline_data(self.report)
        rows = page_label(self.row_offset, len(page), len(shown.rows))
        paging = " · PgDn more" if len(shown.rows) > self.PAGE else ""
        self.query_one("#rp-summary", Static).update(
            Content(f"{shown.summary} · rows {rows}{paging}")
        )
        if not shown.rows:
            self._message("Nothing in this report for those dates and that place.")
        self.refresh_bindings()

    def _message(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#rp-message", Static)
        message.update(Content(text))
        message.set_class(error, "-error")

    # -- keys --------------------------------------------------------------------------

    @on(RadioSet.Changed, "#rp-kind")
    def _kind_chosen(self, event: RadioSet.Changed) -> None:
        self.kind = KINDS[event.index][0]
        self._fields_for_kind()
        self.load()

    @on(Input.Submitted)
    def _dates_typed(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":
            shown = self.shown
            if shown is None:
                return False
            if parameters and parameters[0] == 1:
                return next_offset(self.row_offset, self.PAGE, len(shown.rows)) is not None
            return prev_offset(self.row_offset, self.PAGE) is not None
        if action == "location":
            return bool(self.locations)
        if action == "export":
            return self.report is not None
        return True

    def action_page(self, step: int) -> None:
        shown = self.shown
        if shown is None:
            return
        if step > 0:
            target = next_offset(self.row_offset, self.PAGE, len(shown.rows))
        else:
            target = prev_offset(self.row_offset, self.PAGE)
        if target is not None:
            self.row_offset = target
            self._show()

    def action_move(self, days: int) -> None:
        """A day earlier or later: the date, and a period's first day with it."""
        if not self._read_fields():
            return
        step = dt.timedelta(days=days)
        self.on += step
        self.first += step
        self.query_one("#rp-on", Input).value = self.on.isoformat()
        self.query_one("#rp-first", Input).value = self.first.isoformat()
        self.load()

    def action_location(self) -> None:
        self.location_index = (self.location_index + 1) % (len(self.locations) + 1)
        self._fields_for_kind()
        self.load()

    def action_kind(self, key: str) -> None:
        self.query_one(f"#rp-kind-{key}", TickRadio).value = True

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        self.export_csv()

    def _default_path(self) -> Path:
        if self._folder is not None:
            folder = self._folder()
        else:
            from frontdesk.paths import data_dir

            folder = data_dir()
        period = self.kind in PERIODS
        first = (self.first if period else self.on).isoformat()
        return folder / default_name(self.kind, first, self.on.isoformat() if period else None)

    @work(group="reports-export", exit_on_error=False)
    async def export_csv(self) -> None:
        report = self.report
        if report is None:
            return

        async def write(values: dict[str, str | bool]) -> Path:
            return await export(report, str(values.get("path", "")))

        field = FormField("path", "Write the CSV to", str(self._default_path()))
        modal = FormModal[Path]("Export as CSV", [field], write, id="rp-export")
        written = await self.app.push_screen_wait(modal)
        if written is not None:
            self._message(f"CSV written to {written}")
