"""CSV export from the Reports screen: the rows the command line writes for the same
report (`frontdesk.reports_csv` for the day, the ledger reports' own `*_csv`), written by
the same `write_csv`, to a path asked for with a default in the data folder."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from frontdesk.domain.errors import ValidationError
from frontdesk.reports_csv import day_csv_rows, plain, write_csv
from frontdesk.reports_csv_ledger import commissions_csv, liability_csv, rollforward_csv
from frontdesk.views.ledger_reports import CommissionReport, LiabilityReport, RollForwardReport
from frontdesk.views.reports import DailyTakings, DayReport

Report = DayReport | DailyTakings | LiabilityReport | RollForwardReport | CommissionReport


def csv_rows(report: Report) -> list[Sequence[str]]:
    """The header and rows of `report`'s CSV, exactly as `frontdesk report … --csv`."""
    if isinstance(report, DayReport):
        return day_csv_rows(report)
    if isinstance(report, DailyTakings):
        # No command-line twin: one row a day, in the CSV's plain amounts.
        return [
            ("date", "net_tenders"),
            *((d.day.isoformat(), plain(d.amount)) for d in report.days),
        ]
    if isinstance(report, LiabilityReport):
        header, rows = liability_csv(report)
    elif isinstance(report, RollForwardReport):
        header, rows = rollforward_csv(report)
    else:
        header, rows = commissions_csv(report)
    return [header, *rows]


def default_name(kind: str, first: str, last: str | None) -> str:
    return f"report-{kind}-{first}.csv" if last is None else f"report-{kind}-{first}-{last}.csv"


async def export(report: Report, typed: str) -> Path:
    """Write `report` to the typed path (off the event loop); a `ValidationError` on
    "path" when it cannot be written, nothing half-written left behind by us."""
    text = typed.strip()
    if not text:
        raise ValidationError("path", "A file to write, e.g. report.csv")
    path = Path(text).expanduser()
    if path.is_dir():
        raise ValidationError("path", f"{path} is a folder: give a file name")
    if not path.parent.is_dir():
        raise ValidationError("path", f"No folder {path.parent}")
    try:
        await asyncio.to_thread(write_csv, path, csv_rows(report))
    except OSError as exc:
        raise ValidationError("path", f"Cannot write {path}: {exc.strerror or exc}") from None
    return path
