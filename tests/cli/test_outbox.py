"""`frontdesk outbox send`: sends what is pending to the outbox log in the data folder,
prints how many, sends nothing twice; an old schema is one error line, exit 2."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from frontdesk import cli
from frontdesk.db.engine import create_engine
from frontdesk.services.context import ServiceContext
from frontdesk.services.outbox import queue_notification
from tests.services.world import build_world


def _queued(url: str) -> None:
    async def go() -> None:
        ctx = ServiceContext.create(create_engine(url), terminal="test")
        try:
            w = await build_world(ctx)
            async with ctx.transaction() as s:
                await queue_notification(s, w.client, "account", "Your wallet just grew!")
                await queue_notification(s, w.other_client, "news", "Spring offers")
        finally:
            await ctx.dispose()

    asyncio.run(go())


def test_send_writes_the_log_and_prints_the_count(
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    _queued(db_url)
    assert cli.main(["--terminal", "cron", "outbox", "send", "--database", db_url]) == 0
    out = capsys.readouterr()
    assert (out.out, out.err) == ("sent 4 notifications\n", "")
    log = tmp_path / "data" / "frontdesk" / "outbox.log"
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and sum("Your wallet just grew!" in line for line in lines) == 2
    assert cli.main(["--terminal", "cron", "outbox", "send", "--database", db_url]) == 0
    assert capsys.readouterr().out == "sent 0 notifications\n"
    assert len(log.read_text(encoding="utf-8").splitlines()) == 4


def test_an_empty_database_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.db"
    url = f"sqlite+aiosqlite:///{path}"
    assert cli.main(["outbox", "send", "--database", url]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "no database at" in err[0]
    assert not path.exists()  # nothing made
    path.touch()
    assert cli.main(["outbox", "send", "--database", url]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "frontdesk db upgrade" in err[0]
