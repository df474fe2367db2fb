"""`frontdesk renewals run`: renews what is due on --date as the first active owner,
prints a one-line summary, renews nothing twice; a bad date or staff number is one error
line, exit 2, before the database is touched."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from frontdesk import cli
from frontdesk.db.engine import create_engine
from frontdesk.services.context import ServiceContext
from tests.money import TEST_MONEY
from tests.services.renewals_helpers import member, wallet
from tests.services.world import build_world, day


def _due(url: str) -> int:
    async def go() -> int:
        ctx = ServiceContext.create(create_engine(url), terminal="test")
        try:
            w = await build_world(ctx)
            await member(ctx, w.client, w.plan_auto)
            await member(ctx, w.other_client, w.plan_select)
            return w.client
        finally:
            await ctx.dispose()

    return asyncio.run(go())


def _wallet(url: str, client: int) -> int:
    async def go() -> int:
        ctx = ServiceContext.create(create_engine(url), terminal="test")
        try:
            return await wallet(ctx, client)
        finally:
            await ctx.dispose()

    return asyncio.run(go())


def test_run_prints_the_summary_and_renews_once(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    client = _due(db_url)
    argv = ["--terminal", "cron", "renewals", "run", "--date", day(0).isoformat()]
    assert cli.main([*argv, "--database", db_url]) == 0
    out = capsys.readouterr()
    credited = TEST_MONEY.format(TEST_MONEY.from_minor(5000))
    assert out.err == ""
    assert out.out == (
        f"renewals 2026-11-23: renewed 2, credited {credited}, pending choices 1, "
        "declined 0 (0 failed after retries), skipped 0, expired choices 0\n"
    )
    assert cli.main([*argv, "--database", db_url]) == 0
    assert "renewed 0," in capsys.readouterr().out
    assert _wallet(db_url, client) == 5000


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--date", "2026-13-01", "--date: a date as YYYY-MM-DD"),
        ("--date", "tomorrow", "--date: a date as YYYY-MM-DD"),
        ("--date", "2026-1-1", "--date: a date as YYYY-MM-DD"),
        ("--staff", "owner", "--staff: a staff number"),
    ],
)
def test_a_bad_option_is_one_error_line(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    assert cli.main(["renewals", "run", option, value, "--database", sqlite_url]) == 2
    out = capsys.readouterr()
    err = out.err.splitlines()
    assert out.out == "" and len(err) == 1 and message in err[0], err


def test_a_staff_number_without_the_permission_is_refused(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _due(sqlite_url)
    desk_staff = "1"  # the test world's front desk
    argv = ["renewals", "run", "--date", "2026-11-23", "--staff", desk_staff]
    assert cli.main([*argv, "--database", sqlite_url]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "run renewals" in err[0], err


def test_an_empty_database_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.db"
    assert cli.main(["renewals", "run", "--database", f"sqlite+aiosqlite:///{path}"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "no database at" in err[0]
