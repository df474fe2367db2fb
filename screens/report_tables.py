"""What the Reports screen shows of each report: its columns and its rows as table cells,
amounts in the report's own money (`report.money`, never a currency assumed), and the
charts as bars of block characters with the amount beside them (the number is the
meaning; the bar is extra, so 16 colours or none lose nothing).

Pure functions of the read models, so the tests compare them with the services' results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rich.text import Text

from frontdesk.reports_csv import day_rows
from frontdesk.views.ledger_reports import (
    KIND_LABELS,
    CommissionReport,
    LiabilityReport,
    RollForwardReport,
)
from frontdesk.views.reports import DailyTakings, DayReport
from screens.widgets.cells import cell

BAR_WIDTH = 30
EIGHTHS = " ▏▎▍▌▋▊▉"


@dataclass(frozen=True)
class Column:
    label: str
    width: int
    right: bool = False  # amounts and counts


@dataclass(frozen=True)
class Shown:
    """A report as the screen shows it: a line above the table, the columns, the rows."""

    summary: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    fixed: int = 0  # columns that stay put when the table scrolls sideways


def as_cells(shown: Shown, row: Sequence[str]) -> tuple[Text, ...]:
    out = []
    for column, text in zip(shown.columns, row, strict=True):
        one = cell(text, column.width)
        if column.right:
            one.justify = "right"
        out.append(one)
    return tuple(out)


def bar(value: Decimal, most: Decimal, width: int = BAR_WIDTH) -> str:
    """`value` as a bar of `width` cells at most (eighths of a cell), `most` filling it;
    nothing for zero or less (a refund day shows its minus in the amount)."""
    if value <= 0 or most <= 0:
        return ""
    eighths = max(int(value * width * 8 / most), 1)
    whole, part = divmod(min(eighths, width * 8), 8)
    return "█" * whole + (EIGHTHS[part] if part else "")


def day_shown(report: DayReport) -> Shown:
    """The day report in the CSV's own rows (`reports_csv.day_rows`): what is on screen
    is what is exported, row for row."""
    fmt = report.money.format
    mark = "✓ reconciles" if report.check.reconciles else "✗ does not reconcile"
    summary = f"{report.tickets} tickets · tenders {fmt(report.tenders_total)} · {mark}" + (
        "" if report.stored_value_agrees else " · ✗ ledger spends differ"
    )
    rows = tuple(
        (
            section,
            line,
            measure,
            "" if count is None else str(count),
            "" if value is None else fmt(value),
        )
        for section, line, measure, count, value in day_rows(report)
    )
    columns = (
        Column("Section", 12),
        Column("Line", 24),
        Column("Measure", 15),
        Column("Count", 5, right=True),
        Column("Amount", 11, right=True),
    )
    return Shown(summary, columns, rows)


def hours_shown(report: DayReport) -> Shown:
    """Takings by hour of the day: the day report's by-hour lines as bars."""
    fmt = report.money.format
    most = max((h.amount for h in report.by_hour), default=Decimal(0))
    rows = tuple((f"{h.hour:02d}:00", bar(h.amount, most), fmt(h.amount)) for h in report.by_hour)
    summary = f"Takings by hour · tenders {fmt(report.tenders_total)}"
    columns = (Column("Hour", 5), Column("", BAR_WIDTH), Column("Net tenders", 12, right=True))
    return Shown(summary, columns, rows)


def days_shown(takings: DailyTakings) -> Shown:
    """Takings day by day, newest first (today's bar at the top of the first page)."""
    fmt = takings.money.format
    most = max((d.amount for d in takings.days), default=Decimal(0))
    total = sum((d.amount for d in takings.days), Decimal(0))
    rows = tuple(
        (f"{d.day:%a %d %b}", bar(d.amount, most), fmt(d.amount)) for d in reversed(takings.days)
    )
    summary = f"{takings.first.isoformat()} to {takings.last.isoformat()} · total {fmt(total)}"
    columns = (Column("Day", 10), Column("", BAR_WIDTH), Column("Net tenders", 12, right=True))
    return Shown(summary, columns, rows)


def sparkline_data(takings: DailyTakings) -> list[float]:
    """The sparkline's heights, oldest first (a picture only: the table has the amounts)."""
    return [float(d.amount) for d in takings.days]


def liability_shown(report: LiabilityReport) -> Shown:
    fmt = report.money.format
    rows = tuple(
        (
            KIND_LABELS[ln.kind],
            ln.location_name,
            fmt(ln.liability),
            fmt(ln.owed),
            fmt(ln.balance),
        )
        for ln in report.lines
    )
    summary = f"Owed to clients at the end of {report.on.isoformat()}: {fmt(report.liability())}"
    columns = (
        Column("Kind", 15),
        Column("Home location", 16),
        Column("Liability", 11, right=True),
        Column("Clients owe", 11, right=True),
        Column("Balance", 11, right=True),
    )
    return Shown(summary, columns, rows)


ROLL = (
    ("Opening", "opening"),
    ("Issued", "issued"),
    ("Spent", "spent"),
    ("Adjusted", "adjustments"),
    ("Reversed", "reversals"),
    ("Refunds", "refunds"),
    ("Merges", "merges"),
    ("Closing", "closing"),
)


def rollforward_shown(report: RollForwardReport) -> Shown:
    """Every column of the identity; the table scrolls sideways (the kind stays put)."""
    fmt = report.money.format
    rows = tuple(
        (
            KIND_LABELS[ln.kind],
            ln.location_name,
            *(fmt(getattr(ln, name)) for _, name in ROLL),
        )
        for ln in report.lines
    )
    mark = "✓ every line adds up" if report.reconciles else "✗ a line does not add up"
    summary = f"{report.first.isoformat()} to {report.last.isoformat()} · {mark}"
    columns = (
        Column("Kind", 15),
        Column("Location", 12),
        *(Column(label, 11, right=True) for label, _ in ROLL),
    )
    return Shown(summary, columns, rows, fixed=1)


def commissions_shown(report: CommissionReport, tz: dt.tzinfo | None = None) -> Shown:
    """One row per commission, then the staff member's total."""
    fmt = report.money.format
    rows: list[tuple[str, ...]] = []
    for member in report.staff:
        for ln in member.lines:
            rows.append(
                (
                    member.staff_name,
                    ln.at.astimezone(tz).date().isoformat(),
                    f"#{ln.ticket_id}" + (" ↩" if ln.refunded else ""),
                    ln.description,
                    ln.kind,
                    fmt(ln.amount),
                )
            )
        rows.append((member.staff_name, "", "", "total", "", fmt(member.total)))
    summary = (
        f"{report.first.isoformat()} to {report.last.isoformat()} · {report.system}"
        f" · total {fmt(report.total)}"
    )
    columns = (
        Column("Staff", 12),
        Column("Date", 10),
        Column("Ticket", 7),
        Column("Description", 17),
        Column("Kind", 8),
        Column("Amount", 10, right=True),
    )
    return Shown(summary, columns, tuple(rows))
