"""`frontdesk report day|liability|rollforward|commissions [--date D | --from D --to D]
[--location L] [--csv FILE] [--staff NUMBER]`: the reports' numbers on the command line.

`day` is built here (the Z report: a table that fits 80 columns, and the CSV). The other
three are run by `RUNNERS`, which their own module fills (`register`); every report gets
the same `ReportEnv` (the database checked, the person it is read as) and the same
options, already checked. Bad options are one line and exit 2 before the database is
opened; an old schema is refused, never upgraded behind the operator's back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import unicodedata
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.domain.errors import DomainError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from sqlalchemy.ext.asyncio import AsyncEngine

    from frontdesk.services.desk import Desk
    from frontdesk.views.reports import DayReport

REPORTS = {
    "day": "the day report (Z report): takings, refunds, discounts, stored value",
    "liability": "what the business owes its clients as of --date, per kind",
    "rollforward": "opening + issued - spent +/- adjustments = closing, --from to --to",
    "commissions": "commissions per staff member, --from to --to",
}


class ReportCliError(DomainError):
    """A bad option: one line, exit 2."""


@dataclass(frozen=True)
class ReportOptions:
    """The options every report takes, checked: dates are dates, --from is not after --to."""

    date: dt.date | None
    date_from: dt.date | None
    date_to: dt.date | None
    location: str | None
    csv: Path | None
    staff: int | None


@dataclass(frozen=True)
class ReportEnv:
    """What a report runner gets: the database (checked before use) and who reads."""

    url: str
    terminal: str
    schema_check: Callable[[AsyncEngine], Awaitable[None]]
    # Refuses a SQLite file that is not there (a report never creates a database).
    must_exist: Callable[[], None] = lambda: None

    @asynccontextmanager
    async def desk(self, staff: int | None) -> AsyncIterator[Desk]:
        """A desk read as `staff` (None: the first active owner), after the schema check;
        closed after."""
        from frontdesk.db.engine import create_engine
        from frontdesk.services.context import ServiceContext
        from frontdesk.services.desk import Desk
        from frontdesk.services.reports import Reports

        engine = create_engine(self.url)
        try:
            await self.schema_check(engine)
            ctx = ServiceContext.create(engine, terminal=self.terminal, operator=True)
            staff_id = await Reports(ctx).reporter(staff)
            yield Desk(ctx.as_staff(staff_id))
        finally:
            await engine.dispose()


# A runner: the report's options and environment in, the exit code out (it prints).
Runner = Callable[[ReportOptions, ReportEnv], int]

# Hook for the reports built elsewhere (liability, rollforward, commissions): the module
# that builds them calls `register("liability", run_liability)`; `frontdesk.cli` imports
# it before dispatching, so a report that is not registered is a plain error, exit 2.
RUNNERS: dict[str, Runner] = {}


def register(name: str, runner: Runner) -> None:
    if name not in REPORTS:
        raise ValueError(f"unknown report {name!r}")
    RUNNERS[name] = runner


def add_report_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    report = sub.add_parser("report", help="reports: day, liability, rollforward, commissions")
    kinds = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    for name, text in REPORTS.items():
        one = kinds.add_parser(name, parents=[common], help=text)
        one.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today)")
        one.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="first day")
        one.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last day")
        one.add_argument("--location", metavar="NAME|NUMBER", help="one location (default: all)")
        one.add_argument("--csv", metavar="FILE", help="also write the report to FILE as CSV")
        one.add_argument(
            "--staff",
            metavar="NUMBER",
            help="staff number the report is read as (default: the first active owner)",
        )


def _date(option: str, text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ReportCliError(f"{option}: a date as YYYY-MM-DD, e.g. 2026-11-29") from None


def report_options(args: argparse.Namespace) -> ReportOptions:
    """The options, checked before anything is opened."""
    options = ReportOptions(
        date=_date("--date", args.date),
        date_from=_date("--from", args.date_from),
        date_to=_date("--to", args.date_to),
        location=args.location,
        csv=Path(args.csv).expanduser() if args.csv else None,
        staff=None,
    )
    if args.staff is not None:
        if not args.staff.isascii() or not args.staff.isdigit() or len(args.staff) > 9:
            raise ReportCliError("--staff: a staff number, e.g. 1")
        options = ReportOptions(**{**options.__dict__, "staff": int(args.staff)})
    if options.date is not None and (options.date_from or options.date_to):
        raise ReportCliError("give --date or --from/--to, not both")
    if options.date_from and options.date_to and options.date_from > options.date_to:
        raise ReportCliError("--from is after --to")
    if options.csv is not None and not options.csv.parent.is_dir():
        raise ReportCliError(f"--csv: no folder {options.csv.parent}")
    if options.location is not None and not options.location.strip():
        raise ReportCliError("--location: a location's name or number")
    return options


def run_report(args: argparse.Namespace, env: ReportEnv) -> int:
    options = report_options(args)
    env.must_exist()
    name = args.report_command
    if name == "day":
        return run_day(options, env)
    runner = RUNNERS.get(name)
    if runner is None:
        raise ReportCliError(f"the {name} report is not in this build")
    return runner(options, env)


def run_day(options: ReportOptions, env: ReportEnv) -> int:
    import asyncio

    from frontdesk.reports_csv import day_csv_rows

    if options.date_from or options.date_to:
        raise ReportCliError("the day report takes --date, not --from/--to")
    on = options.date or dt.date.today()

    async def go() -> DayReport:
        async with env.desk(options.staff) as desk:
            location_id = None
            if options.location is not None:
                location_id, _ = await desk.reports.find_location(options.location)
            return await desk.reports.day(on, location_id)

    report = asyncio.run(go())
    print("\n".join(day_table(report)))
    if options.csv is not None:
        save_csv(options.csv, day_csv_rows(report))
        print(f"CSV written to {options.csv}")
    return 0


def save_csv(path: Path, rows: Iterable[Sequence[str]]) -> None:
    """Every report's `--csv`: a file that cannot be written is one line, not a traceback."""
    from frontdesk.reports_csv import write_csv

    try:
        write_csv(path, rows)
    except OSError as exc:
        raise ReportCliError(f"--csv: cannot write {path}: {exc.strerror or exc}") from None


def counted(n: int, noun: str) -> str:
    """ "1 visit", "5 visits": a count that reads as English."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def width(text: str) -> int:
    """Columns `text` takes on a terminal: East Asian wide characters (the yen sign "￥"
    of ja_JP, a name in kanji) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int, *, right: bool = False) -> str:
    """`text` cut to `columns` terminal columns, then padded to exactly that many."""
    while width(text) > columns:
        text = text[:-1]
    fill = " " * (columns - width(text))
    return fill + text if right else text + fill


def day_table(report: DayReport) -> Iterator[str]:
    """The day report as lines of at most 80 characters, every amount in store money."""
    from frontdesk.domain.normalize import printable

    fmt = report.money.format

    def row(label: str, *cells: str) -> str:
        return "  " + pad(printable(label), 38) + "".join(pad(c, 13, right=True) for c in cells)

    yield f"Day report {report.day.isoformat()} · {printable(report.location_name)[:40]}"
    yield f"{report.tickets} tickets completed"
    yield ""
    yield row("Tenders", "taken", "refunded", "net")
    for t in report.tenders:
        yield row(t.method, fmt(t.taken), fmt(t.refunded), fmt(t.net))
    yield row("total", "", "", fmt(report.tenders_total))
    yield ""
    yield row("By staff", "tickets", "total")
    for s in report.by_staff:
        yield row(s.name, str(s.tickets), fmt(s.total))
    yield ""
    yield row("By hour", "net tenders")
    for h in report.by_hour:
        yield row(f"{h.hour:02d}:00", fmt(h.amount))
    if report.refunds:
        yield ""
        yield row("Refunds", "tenders", "Beauty Bank", "credit")
        for r in report.refunds:
            yield row(
                f"#{r.ticket_id} {r.reason}",
                fmt(r.tenders_back),
                fmt(r.wallet_back),
                fmt(r.account_credit_back),
            )
    yield from _stored_value(report, row)
    yield from _drawers(report, row)
    yield from _check(report, row)


def _drawers(report: DayReport, row: Callable[..., str]) -> Iterator[str]:
    """Each terminal's cash drawer: float, cash in and paid out (with reasons), and the
    count against what was expected when it was closed."""
    fmt = report.money.format
    for d in report.drawers:
        yield ""
        yield row(f"Cash drawer {d.terminal} ({d.state})", "float", "cash in", "paid out")
        yield row(d.location_name, fmt(d.float_amount), fmt(d.cash_in), fmt(d.paid_out))
        for m in d.moves:
            yield row(f"  {m.kind}: {m.reason}", fmt(m.amount))
        if d.counted is not None and d.expected is not None and d.difference is not None:
            yield row("  counted / expected / difference", "", "", "")
            yield row("", fmt(d.counted), fmt(d.expected), fmt(d.difference))
            if d.note:
                yield row(f"  note: {d.note}")


def _stored_value(report: DayReport, row: Callable[..., str]) -> Iterator[str]:
    """Label 30 + four amounts of 12 = 78 columns; visits and units count on a line below."""
    fmt = report.money.format

    def line(label: str, *cells: str) -> str:
        return "  " + pad(label, 30) + "".join(pad(c, 12, right=True) for c in cells)

    yield ""
    yield line("Stored value", "in", "out", "corrections", "net")
    for m in report.movements:
        cells = (fmt(m.amount_in), fmt(m.amount_out), fmt(m.corrections), fmt(m.net))
        yield line(f"{m.line} ({m.in_word}/{m.out_word})", *cells)
        if m.counted:
            what = "visit" if m.line == "Prepaid visits" else "unit"
            yield f"    {counted(m.count_in, what)} {m.in_word}, {m.count_out} {m.out_word}"


def _check(report: DayReport, row: Callable[..., str]) -> Iterator[str]:
    fmt = report.money.format
    c = report.check

    def minus(amount: Decimal) -> str:
        return fmt(-amount)

    yield ""
    yield "Check: sales − discounts − Beauty Bank − account credit + balance payments"
    yield "       − refunds = tenders"
    yield row("sales", fmt(c.sales))
    yield row("membership discount", minus(c.membership_discount))
    yield row("promotion discount", minus(c.promotion_discount))
    yield row("Beauty Bank spent", minus(c.wallet))
    yield row("account credit used", minus(c.account_credit))
    yield row("balance payments (Pay Balance)", fmt(c.balance_payments))
    yield row("refunds paid back", minus(c.refunds))
    yield row("takings by the tickets", fmt(c.expected))
    yield row("tenders", fmt(c.tenders))
    if c.reconciles:
        yield f"  {fmt(c.expected)} = {fmt(c.tenders)} ✓ reconciles"
    else:
        yield f"  {fmt(c.expected)} ≠ {fmt(c.tenders)} ✗ off by {fmt(c.tenders - c.expected)}"
    if not report.stored_value_agrees:
        yield "  ✗ the ledger's checkout spends differ from the tickets'"
