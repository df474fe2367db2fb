"""`frontdesk audit verify`: exit 0 and a count when the ledger is whole, exit 1 and one
line naming the first broken link, exit 2 and one error line when it cannot look."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from frontdesk import cli
from frontdesk.db.engine import create_engine
from frontdesk.services.audit import CHANGED
from frontdesk.services.context import ServiceContext
from tests.cli.test_cli import assert_one_line_error, run
from tests.services.tamper import SmallLedger, build_small_ledger, run_sql, triggers_dropped


def _on(url: str, work: str) -> SmallLedger:
    """Build the small ledger at `url`, then tamper with it as `work` says."""

    async def go() -> SmallLedger:
        ctx = ServiceContext.create(create_engine(url), terminal="test")
        try:
            small = await build_small_ledger(ctx)
            if work == "edit":
                async with triggers_dropped(ctx):
                    await run_sql(
                        ctx.engine,
                        "UPDATE ledger_entries SET description = 'edited' WHERE id = :id",
                        id=small.entries[small.credit][1],
                    )
            return small
        finally:
            await ctx.dispose()

    return asyncio.run(go())


def test_a_whole_ledger_exits_0_with_its_count(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _on(db_url, "keep")
    assert cli.main(["audit", "verify", "--database", db_url]) == 0
    out = capsys.readouterr()
    assert out.out == "ledger whole: 8 entries in 3 accounts\n" and out.err == ""


def test_an_edited_entry_exits_1_naming_it(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    small = _on(db_url, "edit")
    assert cli.main(["audit", "verify", "--database", db_url]) == cli.EXIT_BROKEN == 1
    target = small.entries[small.credit][1]
    assert capsys.readouterr().out == (
        f"broken at ledger entry {target} (account {small.credit}): {CHANGED}\n"
    )


def test_the_command_from_a_shell(sqlite_url: str) -> None:
    _on(sqlite_url, "keep")
    path = sqlite_url.removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER ledger_entries_no_delete")
        conn.execute("DELETE FROM ledger_entries WHERE id = (SELECT max(id) FROM ledger_entries)")
    result = run("audit", "verify", "--database", sqlite_url)
    assert result.returncode == 1, result
    assert result.stdout.startswith("broken at account ") and result.stdout.count("\n") == 1
    assert result.stderr == ""


def test_no_database_is_one_line_and_creates_none(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    result = run("audit", "verify", "--database", f"sqlite+aiosqlite:///{missing}")
    assert_one_line_error(result, "no database at", str(missing).lower())
    assert not missing.exists()


def test_an_old_schema_asks_for_an_upgrade(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    assert cli.main(["audit", "verify", "--database", f"sqlite+aiosqlite:///{path}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("frontdesk: error: the database's schema is empty")
    assert "frontdesk db upgrade" in err and err.count("\n") == 1


def test_unreachable_postgres_is_one_line() -> None:
    result = run("audit", "verify", "--database", "postgresql+asyncpg://postgres@127.0.0.1:1/x")
    assert_one_line_error(result, "cannot reach the database")
