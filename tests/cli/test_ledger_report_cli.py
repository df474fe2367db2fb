"""The ledger reports' CLI runners (`frontdesk report liability|rollforward|commissions`),
called directly with their options: a table that fits 80 columns, a CSV with a header row
and plain decimal amounts read back equal to the report, one error line for a bad option.
On both engines."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from frontdesk.cli_reports import ReportCliError
from frontdesk.cli_reports_ledger import (
    DayOptions,
    PeriodOptions,
    parse_day,
    parse_staff,
    run_commissions,
    run_liability,
    run_rollforward,
)
from frontdesk.db.engine import create_engine
from frontdesk.db.tables.base import written_at
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import PermissionDenied
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.world import World, build_world

D = Decimal
UTC = dt.UTC
DAY = dt.date(2026, 3, 10)


def _salon(url: str) -> World:
    """A credit, a debt, a Beauty Bank top-up and a facial on DAY."""

    async def go() -> World:
        ctx = ServiceContext.create(create_engine(url), terminal="test")
        try:
            w = await build_world(ctx)
            desk = Desk(ctx.as_staff(w.manager))
            with written_at(dt.datetime.combine(DAY, dt.time(12), tzinfo=UTC)):
                await desk.balances.issue_account_credit(w.client, D("20"), "=cmd|x", key=new_key())
                await desk.balances.charge_account(w.other_client, D("7.50"), "Tab", key=new_key())
                await desk.balances.adjust_wallet(w.client, D("12.25"), "Goodwill", key=new_key())
                await Desk(ctx.as_staff(w.desk)).till.complete(
                    CheckoutInput(
                        idempotency_key="facial",
                        client_id=w.client,
                        location_id=w.location,
                        lines=(
                            LineInput(
                                kind=LineKind.SERVICE, service_id=w.facial, staff_id=w.therapist
                            ),
                        ),
                        tenders=(TenderInput(method="card", amount=D("90.00")),),
                    )
                )
            return w
        finally:
            await ctx.dispose()

    return asyncio.run(go())


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _fits(out: str) -> list[str]:
    lines = out.splitlines()
    assert lines and all(len(line) <= 80 for line in lines), [
        line for line in lines if len(line) > 80
    ]
    return lines


def test_liability_prints_a_table_and_writes_its_csv(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    w = _salon(db_url)
    target = tmp_path / "liability.csv"
    options = DayOptions(on=DAY, csv=target, staff=w.manager, tz=UTC)
    assert run_liability(options, db_url, "cli") == 0
    lines = _fits(capsys.readouterr().out)
    assert lines[0] == "Liability at the end of 2026-03-10 (GBP)"
    assert lines[-1].split() == ["Total", "32.25"]  # £20 credit + £12.25; the £7.50 owed is not
    rows = _read_csv(target)
    assert [(r["kind"], r["location"], r["liability"], r["owed"], r["balance"]) for r in rows] == [
        ("wallet_money", "Main", "12.25", "0.00", "12.25"),
        ("account_money", "Main", "20.00", "7.50", "12.50"),
    ]
    assert {r["date"] for r in rows} == {"2026-03-10"}
    # The day before: nothing yet.
    assert run_liability(DayOptions(on=DAY - dt.timedelta(days=1), tz=UTC), db_url, "cli") == 0
    assert _fits(capsys.readouterr().out)[-1].split() == ["Total", "0.00"]


def test_rollforward_prints_each_column_and_its_check(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _salon(db_url)
    target = tmp_path / "rf.csv"
    first = DAY - dt.timedelta(days=1)
    assert run_rollforward(PeriodOptions(first, DAY, csv=target, tz=UTC), db_url, "cli") == 0
    lines = _fits(capsys.readouterr().out)
    assert lines[0] == "Roll-forward 2026-03-09 to 2026-03-10 (GBP)"
    assert lines[-1] == "Reconciles to the minor unit."
    table = {line[:16].strip(): line[16:].split() for line in lines[3:14]}
    # Beauty Bank, account balance, prepaid visits, banked units.
    assert table["Opening"] == ["0.00", "0.00", "-", "-"]
    assert table["+ Issued"] == ["0.00", "20.00", "-", "-"]
    assert table["- Spent"] == ["0.00", "7.50", "-", "-"]
    assert table["± Adjustments"] == ["12.25", "0.00", "-", "-"]
    assert table["= Closing"] == ["12.25", "12.50", "-", "-"]
    assert table["Check (0)"] == ["0.00", "0.00", "-", "-"]
    rows = _read_csv(target)
    for r in rows:  # the identity, read back from the CSV as a spreadsheet would
        opening, closing = D(r["opening"]), D(r["closing"])
        moved = D(r["issued"]) - D(r["spent"]) + D(r["adjustments"]) + D(r["reversals"])
        assert opening + moved + D(r["refunds"]) + D(r["merges"]) == closing
    assert [r["kind"] for r in rows] == ["wallet_money", "account_money"]


def test_commissions_trace_each_line_to_its_ticket(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    w = _salon(db_url)
    target = tmp_path / "commissions.csv"
    options = PeriodOptions(DAY, DAY, csv=target, location="main", tz=UTC)
    assert run_commissions(options, db_url, "cli") == 0
    lines = _fits(capsys.readouterr().out)
    assert lines[2] == f"Tia Therapist (#{w.therapist})"
    assert lines[3].split()[:4] == ["2026-03-10", "#1", "Signature", "Facial"]
    assert lines[-1].split() == ["All", "staff", "9.00"]
    (row,) = _read_csv(target)
    assert row == {
        "staff_id": str(w.therapist),
        "staff": "Tia Therapist",
        "at_utc": "2026-03-10T12:00:00+00:00",
        "ticket": "1",
        "ticket_line": "1",
        "line_kind": "service",
        "description": "Signature Facial",
        "kind": "service",
        "amount": "9.00",
        "refunded": "no",
    }


def test_bad_options_and_refusals_are_one_line(db_url: str, tmp_path: Path) -> None:
    w = _salon(db_url)
    with pytest.raises(ReportCliError, match="--location: no location 'Nowhere'"):
        run_liability(DayOptions(on=DAY, location="Nowhere"), db_url, "cli")
    with pytest.raises(ReportCliError, match="--to: the period ends before it starts"):
        run_rollforward(PeriodOptions(DAY, DAY - dt.timedelta(days=1)), db_url, "cli")
    with pytest.raises(PermissionDenied):  # a front-desk person may not read reports
        run_commissions(PeriodOptions(DAY, DAY, staff=w.desk), db_url, "cli")
    with pytest.raises(ReportCliError, match="--csv: cannot write"):
        run_liability(DayOptions(on=DAY, csv=tmp_path / "no" / "dir.csv"), db_url, "cli")


def test_options_are_checked_before_the_database(tmp_path: Path) -> None:
    assert parse_day("2026-03-10", "--date") == DAY
    assert parse_day(None, "--from", default=DAY) == DAY
    for bad in ("2026-13-01", "tomorrow", "2026-3-1"):
        with pytest.raises(ReportCliError, match="--to: a date as YYYY-MM-DD"):
            parse_day(bad, "--to")
    assert parse_staff("3") == 3 and parse_staff(None) is None
    with pytest.raises(ReportCliError, match="--staff: a staff number"):
        parse_staff("owner")
    missing = f"sqlite+aiosqlite:///{tmp_path / 'none.db'}"
    with pytest.raises(ReportCliError, match="no database at"):
        run_liability(DayOptions(on=DAY), missing, "cli")
    assert not (tmp_path / "none.db").exists()


def test_a_formula_in_stored_text_stays_text_in_the_csv(db_url: str, tmp_path: Path) -> None:
    """A location named like a formula is written as text (a leading apostrophe)."""

    async def rename() -> None:
        from sqlalchemy import update

        from frontdesk.db.tables import Location

        ctx = ServiceContext.create(create_engine(db_url), terminal="test")
        try:
            async with ctx.transaction() as s:
                await s.execute(update(Location).values(name="=HYPERLINK(1)"))
        finally:
            await ctx.dispose()

    _salon(db_url)
    asyncio.run(rename())
    target = tmp_path / "l.csv"
    assert run_liability(DayOptions(on=DAY, csv=target, tz=UTC), db_url, "cli") == 0
    assert {r["location"] for r in _read_csv(target)} == {"'=HYPERLINK(1)"}
