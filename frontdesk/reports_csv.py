"""Reports as CSV (issue 17, item 6): one file per report, readable by any spreadsheet.

UTF-8 with a header row, written by the `csv` module (so a comma or quote in a name is
quoted, never a broken row); amounts as plain decimals with the currency's own places
("41.50", JPY "4150", "-41.50"), no currency symbol or thousands separator; dates ISO.
A text cell that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
apostrophe: a staff name is data, never a formula. Amount cells are numbers, never
touched.

The day report is one long table, one number a row: `section, line, measure, count,
amount`, with the day and location on every row so files from several days can be
pasted together and filtered.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from frontdesk.views.reports import DayReport

DAY_HEADER = ("date", "location", "section", "line", "measure", "count", "amount")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(amount: Decimal) -> str:
    """ "41.50", "4150", "-41.50": never an exponent, never a separator."""
    return format(amount, "f")


def text_cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def day_rows(report: DayReport) -> list[tuple[str, str, str, int | None, Decimal | None]]:
    """The day report as (section, line, measure, count, amount) rows, in report order."""
    rows: list[tuple[str, str, str, int | None, Decimal | None]] = [
        ("tickets", "completed", "count", report.tickets, None)
    ]
    for t in report.tenders:
        rows += [
            ("tenders", t.method, "taken", None, t.taken),
            ("tenders", t.method, "refunded", None, t.refunded),
            ("tenders", t.method, "net", None, t.net),
        ]
    rows.append(("tenders", "total", "net", None, report.tenders_total))
    for s in report.by_staff:
        rows.append(("staff", s.name, "tickets total", s.tickets, s.total))
    for h in report.by_hour:
        rows.append(("hour", f"{h.hour:02d}:00", "net tenders", None, h.amount))
    for r in report.refunds:
        line = f"ticket #{r.ticket_id}"
        rows += [
            ("refunds", line, "ticket total", None, r.total),
            ("refunds", line, "tenders back", None, r.tenders_back),
            ("refunds", line, "Beauty Bank back", None, r.wallet_back),
            ("refunds", line, "account credit back", None, r.account_credit_back),
        ]
    for m in report.movements:
        rows += [
            ("stored value", m.line, m.in_word, m.count_in if m.counted else None, m.amount_in),
            ("stored value", m.line, m.out_word, m.count_out if m.counted else None, m.amount_out),
            ("stored value", m.line, "corrections", None, m.corrections),
            ("stored value", m.line, "net", None, m.net),
        ]
    for d in report.drawers:
        line = f"{d.location_name} · {d.terminal}"
        rows += [
            ("drawer", line, "float", None, d.float_amount),
            ("drawer", line, "cash in", None, d.cash_in),
            ("drawer", line, "paid out", None, d.paid_out),
        ]
        rows += [("drawer", f"{line} · {m.reason}", m.kind, None, m.amount) for m in d.moves]
        if d.counted is not None:
            rows += [
                ("drawer", line, "counted", None, d.counted),
                ("drawer", line, "expected", None, d.expected),
                (
                    "drawer",
                    f"{line} · {d.note}" if d.note else line,
                    "difference",
                    None,
                    d.difference,
                ),
            ]
    c = report.check
    rows += [
        ("check", "sales", "amount", None, c.sales),
        ("check", "membership discount", "amount", None, c.membership_discount),
        ("check", "promotion discount", "amount", None, c.promotion_discount),
        ("check", "Beauty Bank spent", "amount", None, c.wallet),
        ("check", "account credit used", "amount", None, c.account_credit),
        ("check", "balance payments", "amount", None, c.balance_payments),
        ("check", "refunds paid back", "amount", None, c.refunds),
        ("check", "takings by the tickets", "amount", None, c.expected),
        ("check", "tenders", "amount", None, c.tenders),
        ("check", "reconciles", "yes" if c.reconciles else "no", None, None),
        ("ledger", "Beauty Bank spent at checkout", "amount", None, report.ledger_wallet_spent),
        (
            "ledger",
            "account credit used at checkout",
            "amount",
            None,
            report.ledger_account_credit_spent,
        ),
    ]
    return rows


def day_csv_rows(report: DayReport) -> list[Sequence[str]]:
    """The header and every row of the day report's CSV, as text cells."""
    day, place = report.day.isoformat(), text_cell(report.location_name)
    out: list[Sequence[str]] = [DAY_HEADER]
    for section, line, measure, count, amount in day_rows(report):
        out.append(
            (
                day,
                place,
                section,
                text_cell(line),
                measure,
                "" if count is None else str(count),
                "" if amount is None else plain(amount),
            )
        )
    return out


def write_csv(path: Path, rows: Iterable[Sequence[str]]) -> None:
    """Write `rows` to `path` (UTF-8, the csv module's own line endings), replacing it."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
