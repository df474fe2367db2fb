"""`frontdesk report liability|rollforward|commissions`: the ledger reports on a terminal
(a table in 80 columns) or as CSV (`--csv FILE`: a header row, plain decimal amounts, any
spreadsheet reads it). docs/rules.md, L12-L14 and K5.

The runners take no argparse namespace: `frontdesk report`'s parser builds a
`DayOptions` or `PeriodOptions` and calls `run_liability(options, url, terminal)` and the
others, so tests call them directly. A bad option or a refused read raises a
`DomainError` whose message is the one line the operator reads (the CLI's `main` prints
it, exit 2). The database is only read: a missing SQLite file is not created and an old
schema is refused, not upgraded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from frontdesk.cli_reports import (
    ReportCliError,
    ReportEnv,
    ReportOptions,
    Runner,
    register,
    save_csv,
)
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.normalize import printable
from frontdesk.reports_csv_ledger import commissions_csv, liability_csv, rollforward_csv

if TYPE_CHECKING:
    from frontdesk.services.desk import Desk
    from frontdesk.views.ledger_reports import (
        CommissionReport,
        LiabilityReport,
        RollForwardLine,
        RollForwardReport,
    )

T = TypeVar("T")
WIDTH = 80


@dataclass(frozen=True)
class DayOptions:
    """`report liability [--date D] [--location L] [--csv FILE] [--staff N]`."""

    on: dt.date
    location: str | None = None  # a location's number or name; None: every location
    csv: Path | None = None
    staff: int | None = None  # read as this staff member; None: the first active owner
    tz: dt.tzinfo | None = None  # the store's local day; None: this machine's time zone


@dataclass(frozen=True)
class PeriodOptions:
    """`report rollforward|commissions --from D --to D [--location L] [--csv FILE]`."""

    first: dt.date
    last: dt.date
    location: str | None = None
    csv: Path | None = None
    staff: int | None = None
    tz: dt.tzinfo | None = None


def parse_day(text: str | None, option: str, *, default: dt.date | None = None) -> dt.date:
    """A `--date`/`--from`/`--to` value as YYYY-MM-DD (today's date when not given and no
    other default)."""
    if text is None:
        return default or dt.date.today()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ReportCliError(f"{option}: a date as YYYY-MM-DD, e.g. 2026-12-01") from None


def parse_staff(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise ReportCliError("--staff: a staff number, e.g. 1")
    return int(text)


# --- runners --------------------------------------------------------------------------


def run_liability(options: DayOptions, url: str, terminal: str) -> int:
    async def read(desk: Desk, location: int | None) -> LiabilityReport:
        return await desk.ledger_reports.liability_on(
            options.on, location_id=location, tz=options.tz
        )

    report = _read(url, terminal, options.staff, options.location, read)
    if options.csv is not None:
        _save(options.csv, *liability_csv(report))
    print("\n".join(liability_table(report)))
    return 0


def run_rollforward(options: PeriodOptions, url: str, terminal: str) -> int:
    _check_period(options)

    async def read(desk: Desk, location: int | None) -> RollForwardReport:
        return await desk.ledger_reports.roll_forward(
            options.first, options.last, location_id=location, tz=options.tz
        )

    report = _read(url, terminal, options.staff, options.location, read)
    if options.csv is not None:
        _save(options.csv, *rollforward_csv(report))
    print("\n".join(rollforward_table(report)))
    return 0


def run_commissions(options: PeriodOptions, url: str, terminal: str) -> int:
    _check_period(options)

    async def read(desk: Desk, location: int | None) -> CommissionReport:
        return await desk.commission_reports.for_period(
            options.first, options.last, location_id=location, tz=options.tz
        )

    report = _read(url, terminal, options.staff, options.location, read)
    if options.csv is not None:
        _save(options.csv, *commissions_csv(report))
    print("\n".join(commissions_table(report, options.tz)))
    return 0


def _save(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    save_csv(path, [header, *rows])


def _check_period(options: PeriodOptions) -> None:
    if options.last < options.first:
        raise ReportCliError("--to: the period ends before it starts (--from is later)")


def _read(
    url: str,
    terminal: str,
    staff: int | None,
    location: str | None,
    read: Callable[[Desk, int | None], Awaitable[T]],
) -> T:
    """Open the database read-only in spirit (no file made, no upgrade), pick who reads
    and which location, read, close."""
    import asyncio

    from frontdesk.db.engine import check_url

    if check_url(url) == "sqlite":
        path = Path(url.split("///", 1)[-1]).expanduser()
        if not path.is_file():
            raise ReportCliError(f"no database at {path}")

    async def go() -> T:
        from frontdesk.db.schema_version import EXPECTED_HEAD, stored_revision
        from frontdesk.services.desk import Desk

        desk = Desk.open(url, terminal=terminal)
        try:
            revision = await stored_revision(desk.ctx.engine)
            if revision != EXPECTED_HEAD:
                raise ReportCliError(
                    f"the database's schema is {revision or 'empty'}, not {EXPECTED_HEAD}: "
                    "run `frontdesk db upgrade` first"
                )
            reader = desk.as_staff(await desk.ledger_reports.reading_as(staff))
            return await read(reader, await _location_id(reader, location))
        finally:
            await desk.close()

    return asyncio.run(go())


async def _location_id(desk: Desk, given: str | None) -> int | None:
    if given is None:
        return None
    locations = await desk.catalog.locations()
    for loc in locations:
        if given == str(loc.id) or given.casefold() == loc.name.casefold():
            return loc.id
    known = ", ".join(f"{loc.id} {loc.name}" for loc in locations) or "none"
    raise ReportCliError(f"--location: no location {given!r} (there are: {known})")


# --- tables (80 columns) --------------------------------------------------------------


def _fit(text: str, width: int) -> str:
    """Stored text made inert and cut to `width` characters, padded."""
    text = printable(text)
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)


def _amount(value: Decimal) -> str:
    return f"{value:f}"


def liability_table(report: LiabilityReport) -> list[str]:
    from frontdesk.views.ledger_reports import KIND_LABELS

    out = [
        f"Liability at the end of {report.on.isoformat()} ({report.currency})",
        f"{'Location':<18} {'Kind':<15} {'Liability':>14} {'Owed':>14} {'Balance':>14}",
    ]
    for ln in report.lines:
        out.append(
            f"{_fit(ln.location_name, 18)} {KIND_LABELS[ln.kind]:<15} "
            f"{_amount(ln.liability):>14} {_amount(ln.owed):>14} {_amount(ln.balance):>14}"
        )
    out.append(f"{'Total':<34} {_amount(report.liability()):>14}")
    return out


# Short enough that two neighbouring columns never run together.
SHORT_LABELS = {
    StoredValueKind.WALLET_MONEY: "Beauty Bank",
    StoredValueKind.ACCOUNT_MONEY: "Account",
    StoredValueKind.PREPAID_VISITS: "Prepaid visits",
    StoredValueKind.PRODUCT_UNITS: "Banked units",
}

ROLL_ROWS: tuple[tuple[str, str], ...] = (
    ("Opening", "opening"),
    ("+ Issued", "issued"),
    ("- Spent", "spent"),
    ("± Adjustments", "adjustments"),
    ("± Reversals", "reversals"),
    ("± Refunds", "refunds"),
    ("± Merges", "merges"),
    ("= Closing", "closing"),
    ("Check (0)", "difference"),
    ("Liability", "closing_liability"),
    ("Owed by clients", "closing_owed"),
)


def rollforward_table(report: RollForwardReport) -> list[str]:
    """One block per location (and one for all when there are several): a row per
    column of the identity, a column per kind."""
    from frontdesk.domain.rollforward import KIND_ORDER

    out = [
        f"Roll-forward {report.first.isoformat()} to {report.last.isoformat()} ({report.currency})"
    ]
    blocks: dict[str, list[RollForwardLine]] = {}
    for ln in report.lines:
        blocks.setdefault(ln.location_name, []).append(ln)
    if len(blocks) > 1:
        blocks["All locations"] = [report.total(kind) for kind in KIND_ORDER]
    for name, lines in blocks.items():
        by_kind = {ln.kind: ln for ln in lines}
        out.append("")
        out.append(_fit(name, 16) + "".join(f"{SHORT_LABELS[k]:>16}" for k in KIND_ORDER))
        for label, attr in ROLL_ROWS:
            cells = [
                _amount(getattr(by_kind[k], attr)) if k in by_kind else "-" for k in KIND_ORDER
            ]
            out.append(f"{label:<16}" + "".join(f"{c:>16}" for c in cells))
    out.append("")
    out.append("Reconciles to the minor unit." if report.reconciles else "DOES NOT RECONCILE.")
    return out


def commissions_table(report: CommissionReport, tz: dt.tzinfo | None = None) -> list[str]:
    """Per staff member, a line per commission row (its local date, ticket, line), and
    totals; `tz` the store's local day, as the period was read."""
    out = [
        f"Commissions {report.first.isoformat()} to {report.last.isoformat()} "
        f"({report.currency}, {report.system} system now)"
    ]
    for member in report.staff:
        out.append("")
        out.append(_fit(f"{member.staff_name} (#{member.staff_id})", WIDTH).rstrip())
        for ln in member.lines:
            mark = "*" if ln.refunded else " "
            out.append(
                f"{ln.at.astimezone(tz).date().isoformat()} #{ln.ticket_id:<7}{mark}"
                f"{_fit(ln.description, 34)} {ln.kind:<8} {_amount(ln.amount):>13}"
            )
        out.append(f"{'Total':<65} {_amount(member.total):>13}")
    out.append("")
    out.append(f"{'All staff':<65} {_amount(report.total):>13}")
    if any(ln.refunded for s in report.staff for ln in s.lines):
        out.append("* the ticket was refunded since (its reversal is in the period of the refund)")
    return out


# -- `frontdesk report`'s parser hands these the options it checked ------------------


def _liability(options: ReportOptions, env: ReportEnv) -> int:
    if options.date_from or options.date_to:
        raise ReportCliError("the liability report takes --date, not --from/--to")
    day = DayOptions(
        on=options.date or dt.date.today(),
        location=options.location,
        csv=options.csv,
        staff=options.staff,
    )
    return run_liability(day, env.url, env.terminal)


def _period(name: str, run: Callable[[PeriodOptions, str, str], int]) -> Runner:
    def runner(options: ReportOptions, env: ReportEnv) -> int:
        if options.date is not None:
            raise ReportCliError(f"the {name} report takes --from and --to, not --date")
        if options.date_from is None or options.date_to is None:
            raise ReportCliError(f"the {name} report needs --from and --to (YYYY-MM-DD)")
        period = PeriodOptions(
            options.date_from,
            options.date_to,
            location=options.location,
            csv=options.csv,
            staff=options.staff,
        )
        return run(period, env.url, env.terminal)

    return runner


register("liability", _liability)
register("rollforward", _period("roll-forward", run_rollforward))
register("commissions", _period("commission", run_commissions))
