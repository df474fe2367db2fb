"""The ledger reports as CSV (issue 17, item 6): liability, roll-forward, commissions.

The same file for `frontdesk report ... --csv` and the Reports screen's export, in the
house CSV form of `frontdesk.reports_csv`: a header row, plain decimal amounts, ISO
dates, stored text inert and never read as a formula.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from frontdesk.domain.normalize import printable
from frontdesk.reports_csv import plain, text_cell
from frontdesk.views.ledger_reports import CommissionReport, LiabilityReport, RollForwardReport


def _amount(value: Decimal) -> str:
    return plain(value)


def _cell(text: str) -> str:
    """Stored text for a spreadsheet: inert, and never read as a formula."""
    return text_cell(printable(text))


def liability_csv(report: LiabilityReport) -> tuple[list[str], list[list[str]]]:
    header = ["date", "location_id", "location", "kind", "liability", "owed", "balance"]
    rows = [
        [
            report.on.isoformat(),
            "" if ln.location_id is None else str(ln.location_id),
            _cell(ln.location_name),
            ln.kind.value,
            _amount(ln.liability),
            _amount(ln.owed),
            _amount(ln.balance),
        ]
        for ln in report.lines
    ]
    return header, rows


ROLL_CSV = (
    "opening",
    "issued",
    "spent",
    "adjustments",
    "reversals",
    "refunds",
    "merges",
    "closing",
    "opening_liability",
    "closing_liability",
    "opening_owed",
    "closing_owed",
)


def rollforward_csv(report: RollForwardReport) -> tuple[list[str], list[list[str]]]:
    header = ["from", "to", "location_id", "location", "kind", *ROLL_CSV]
    rows = [
        [
            report.first.isoformat(),
            report.last.isoformat(),
            "" if ln.location_id is None else str(ln.location_id),
            _cell(ln.location_name),
            ln.kind.value,
            *(_amount(getattr(ln, name)) for name in ROLL_CSV),
        ]
        for ln in report.lines
    ]
    return header, rows


def commissions_csv(report: CommissionReport) -> tuple[list[str], list[list[str]]]:
    header = [
        "staff_id",
        "staff",
        "at_utc",
        "ticket",
        "ticket_line",
        "line_kind",
        "description",
        "kind",
        "amount",
        "refunded",
    ]
    rows = [
        [
            str(member.staff_id),
            _cell(member.staff_name),
            ln.at.astimezone(dt.UTC).isoformat(),
            str(ln.ticket_id),
            str(ln.ticket_line_id),
            ln.line_kind,
            _cell(ln.description),
            ln.kind,
            _amount(ln.amount),
            "yes" if ln.refunded else "no",
        ]
        for member in report.staff
        for ln in member.lines
    ]
    return header, rows
