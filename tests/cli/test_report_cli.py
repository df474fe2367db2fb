"""`frontdesk report day`: the scripted day's report as a table that fits 80 columns and
as a CSV equal to the report; bad options, an unknown location, an old schema or a
missing database are one line and exit 2, before anything is written."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from frontdesk import cli
from frontdesk.cli_reports import ReportOptions, counted, pad, width
from frontdesk.db.engine import create_engine
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.reports import DayReport
from tests.money import TEST_MONEY, amount
from tests.services.day_script import DAY, assert_csv_equals_report, scripted_day, the_day_before
from tests.services.world import World, build_world


def _build(url: str) -> tuple[World, DayReport]:
    async def go() -> tuple[World, DayReport]:
        ctx = ServiceContext.create(create_engine(url), terminal="test")
        try:
            w = await build_world(ctx)
            await the_day_before(ctx, w)
            await scripted_day(ctx, w)
            return w, await Desk(ctx.as_staff(w.owner)).reports.day(DAY, w.location)
        finally:
            await ctx.dispose()

    return asyncio.run(go())


def test_the_day_prints_a_table_and_writes_the_csv(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, report = _build(db_url)
    path = tmp_path / "z.csv"
    argv = ["report", "day", "--date", "2026-11-29", "--location", "main", "--csv", str(path)]
    assert cli.main([*argv, "--database", db_url]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    lines = out.out.splitlines()
    table = lines[:-1]  # the last line names the CSV file, as long as its path
    assert max(map(width, table)) <= 80, [line for line in table if width(line) > 80]
    assert lines[0] == "Day report 2026-11-29 · Main"
    fmt = TEST_MONEY.format
    total = fmt(amount("929.00"))
    assert f"  {total} = {total} ✓ reconciles" in lines
    card = next(line for line in lines if line.strip().startswith("card"))
    assert card.split()[-3:] == [fmt(amount("820.50")), fmt(amount("41.50")), fmt(amount("779"))]
    assert lines[-1] == f"CSV written to {path}"
    assert_csv_equals_report(path, report)

    # The whole store (no --location) is the same day here: one location.
    assert cli.main(["report", "day", "--date", "2026-11-29", "--database", db_url]) == 0
    assert "Day report 2026-11-29 · All locations" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--date", "2026-13-01"], "--date: a date as YYYY-MM-DD"),
        (["--date", "29/11/2026"], "--date: a date as YYYY-MM-DD"),
        (["--from", "2026-11-01", "--to", "2026-11-30"], "the day report takes --date"),
        (["--date", "2026-11-29", "--from", "2026-11-01"], "give --date or --from/--to"),
        (["--staff", "owner"], "--staff: a staff number"),
        (["--location", "Nowhere"], "No location 'Nowhere'"),
        (["--csv", "/no/such/folder/z.csv"], "--csv: no folder"),
        (["--staff", "99"], "the “reports” permission"),
    ],
)
def test_a_bad_option_is_one_error_line(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    async def world() -> None:
        ctx = ServiceContext.create(create_engine(sqlite_url), terminal="test")
        try:
            await build_world(ctx)
        finally:
            await ctx.dispose()

    asyncio.run(world())
    assert cli.main(["report", "day", *argv, "--database", sqlite_url]) == 2
    out = capsys.readouterr()
    err = out.err.splitlines()
    assert out.out == "" and len(err) == 1 and message in err[0], err


def test_an_old_schema_or_no_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    assert cli.main(["report", "day", "--database", f"sqlite+aiosqlite:///{path}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("frontdesk: error: the database's schema is empty")
    missing = tmp_path / "none.db"
    assert cli.main(["report", "day", "--database", f"sqlite+aiosqlite:///{missing}"]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not missing.exists()


def test_the_other_reports_run_through_the_hook(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger reports register themselves; a registered report gets the checked
    options, and a report nobody registered is a plain error."""
    import frontdesk.cli_reports_ledger  # noqa: F401  (as `frontdesk report` imports it)
    from frontdesk import cli_reports

    assert {"liability", "rollforward", "commissions"} <= set(cli_reports.RUNNERS)
    argv = ["report", "rollforward", "--from", "2026-11-01", "--to", "2026-11-30"]
    seen: list[ReportOptions] = []

    def fake(options: ReportOptions, env: object) -> int:
        seen.append(options)
        return 0

    monkeypatch.setitem(cli_reports.RUNNERS, "rollforward", fake)
    assert cli.main([*argv, "--database", sqlite_url]) == 0
    assert [(o.date_from, o.date_to, o.date) for o in seen] == [
        (DAY.replace(day=1), DAY.replace(day=30), None)
    ]
    monkeypatch.delitem(cli_reports.RUNNERS, "rollforward")
    assert cli.main([*argv, "--database", sqlite_url]) == 2
    assert "the rollforward report is not in this build" in capsys.readouterr().err
    assert cli.main(["report", "commissions", "--from", "2026-11-30", "--to", "2026-11-01"]) == 2
    assert "--from is after --to" in capsys.readouterr().err


def test_a_ledger_report_refuses_the_wrong_dates(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        cli.main(["report", "rollforward", "--date", "2026-11-01", "--database", sqlite_url]) == 2
    )
    assert "takes --from and --to, not --date" in capsys.readouterr().err
    assert (
        cli.main(["report", "commissions", "--from", "2026-11-01", "--database", sqlite_url]) == 2
    )
    assert "needs --from and --to" in capsys.readouterr().err
    argv = ["report", "liability", "--from", "2026-11-01", "--to", "2026-11-02"]
    assert cli.main([*argv, "--database", sqlite_url]) == 2
    assert "takes --date, not --from/--to" in capsys.readouterr().err


def test_width_counts_wide_characters_twice() -> None:
    """A ja_JP amount ("￥4,150") and a name in kanji take two columns a character."""
    assert (width("￥4,150"), width("£41.50"), width("山田")) == (7, 6, 4)
    assert pad("山田花子", 5) == "山田 " and pad("£1", 4, right=True) == "  £1"


def test_a_count_reads_as_english() -> None:
    assert counted(1, "visit") == "1 visit"
    assert [counted(n, "unit") for n in (0, 2)] == ["0 units", "2 units"]
