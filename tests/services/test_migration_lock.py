"""Terminals starting together after an update migrate once and all open (issue 15,
item 5): the upgrade runs under a lock (PostgreSQL advisory lock, SQLite's write lock),
and whoever waited for it reads the revision again and finds nothing to do."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.domain.errors import UpgradeInProgress, describe
from frontdesk.domain.money_context import MoneyContext
from frontdesk.services.context import ServiceContext
from frontdesk.services.setup import ensure_store

TERMINALS = 8


def _one_behind_head() -> str:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    down = scripts.get_revision(migrate.head_revision()).down_revision
    assert isinstance(down, str)
    return down


BEHIND = _one_behind_head()  # one migration behind head, whatever head is
TIMEOUT = 120  # seconds for the whole start: a hang fails the test, not CI
ROOT = Path(__file__).resolve().parents[2]


async def one_behind(url: str) -> None:
    """The database as an update finds it: with a store in it, one revision behind."""
    engine = create_engine(url)
    try:
        await ensure_store(
            ServiceContext.create(engine, terminal="setup"), MoneyContext("GBP", "en_GB")
        )
        await migrate.downgrade(engine, BEHIND)
        async with engine.connect() as conn:
            assert (await conn.scalar(text("SELECT version_num FROM alembic_version"))) == BEHIND
    finally:
        await engine.dispose()


class Terminals:
    """`n` worker processes running the start-up path, started at the same moment.

    A watchdog kills them all after TIMEOUT, so nothing here can hang the suite."""

    def __init__(self, url: str, n: int) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.procs = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.services.migration_worker", url],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
                env=env,
            )
            for _ in range(n)
        ]
        self.watchdog = threading.Timer(TIMEOUT, self.kill)
        self.watchdog.start()
        self.early_stderr = ["" for _ in self.procs]
        for proc in self.procs:  # every one has imported what it needs before any starts
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready"

    def go(self) -> None:
        for proc in self.procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()

    def wait_until_all_wait(self) -> None:
        """Each one's first words: it found another terminal upgrading."""
        for i, proc in enumerate(self.procs):
            assert proc.stderr is not None
            first = self.early_stderr[i] = proc.stderr.readline()
            if first.strip() != migrate.WAITING:
                raise AssertionError(first + proc.stderr.read())  # it has stopped: say why

    def reports(self) -> list[dict[str, Any]]:
        reports = []
        for proc, early in zip(self.procs, self.early_stderr, strict=True):
            out, err = proc.communicate(timeout=TIMEOUT)
            err = early + err
            assert proc.returncode == 0, err
            assert "Traceback" not in err, err
            reports.append({**json.loads(out.strip().splitlines()[-1]), "stderr": err})
        return reports

    def kill(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()

    def close(self) -> None:
        self.watchdog.cancel()
        self.kill()
        for proc in self.procs:
            proc.wait()


@pytest.mark.parametrize("held", [False, True], ids=["as-they-come", "all-meet-the-lock"])
async def test_eight_terminals_one_migration_behind_all_open_after_one_upgrade(
    db_url: str, held: bool
) -> None:
    """`held`: the test holds the lock until all eight are waiting for it, so every one
    of them meets it (left alone, a quick SQLite upgrade is often over before the
    others look); then it lets go without upgrading and they race for it."""
    await one_behind(db_url)
    engine = create_engine(db_url)
    terminals = await asyncio.to_thread(Terminals, db_url, TERMINALS)
    try:
        if held:
            async with migrate.migration_lock(engine, None, 5):
                await asyncio.to_thread(terminals.go)
                await asyncio.to_thread(terminals.wait_until_all_wait)
        else:
            await asyncio.to_thread(terminals.go)
        reports = await asyncio.to_thread(terminals.reports)
    finally:
        await asyncio.to_thread(terminals.close)
        try:
            await migrate.upgrade(engine)  # a failed run must not leave the shared base behind
        finally:
            await engine.dispose()

    upgraded = [r for r in reports if r["upgraded"]]
    waited = [r for r in reports if migrate.WAITING in r["stderr"]]
    calls = sum(r["upgrade_calls"] for r in reports)
    print(f"\n{TERMINALS} terminals: {calls} tried, {len(upgraded)} upgraded, {len(waited)} waited")
    assert len(reports) == TERMINALS
    assert len(upgraded) == 1, reports
    if held:
        assert calls == TERMINALS and len(waited) == TERMINALS, reports
    assert all(r["prepared"] == "ready" for r in reports), reports
    assert all(r["revision"] == migrate.head_revision() for r in reports), reports
    assert all(r["locations"] == ["Main"] for r in reports), reports


async def test_a_second_upgrade_at_head_does_nothing(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await migrate.downgrade(engine, BEHIND)
        assert await migrate.upgrade(engine) is True
        assert await migrate.upgrade(engine) is False
        assert await migrate.current_revision(engine) == migrate.head_revision()
    finally:
        await migrate.upgrade(engine)
        await engine.dispose()


async def test_a_waiter_is_told_and_then_finds_the_upgrade_done(db_url: str) -> None:
    """While one connection holds the lock the other waits (and says so); once the first
    has upgraded, the waiter finds the database at head and does nothing."""
    engine = create_engine(db_url)
    other = create_engine(db_url)
    told: list[str] = []
    try:
        await migrate.downgrade(engine, BEHIND)
        async with migrate.migration_lock(engine, None, 5) as conn:
            waiter = asyncio.create_task(
                migrate.upgrade(other, on_wait=lambda: told.append("waiting"), wait=30)
            )

            async def told_to_wait() -> None:  # the waiter has found the lock taken
                while not told:
                    await asyncio.sleep(0.05)

            await asyncio.wait_for(told_to_wait(), 30)  # a condition, bounded: never hangs
            assert not waiter.done()
            await conn.run_sync(_upgrade_here)
        assert await asyncio.wait_for(waiter, 30) is False
        assert told == ["waiting"]
        assert await migrate.current_revision(engine) == migrate.head_revision()
    finally:
        await migrate.upgrade(engine)
        await engine.dispose()
        await other.dispose()


def _upgrade_here(sync_conn: Any) -> None:
    from alembic import command

    cfg = migrate.alembic_config()
    cfg.attributes["connection"] = sync_conn
    command.upgrade(cfg, "head")


async def test_a_lock_held_too_long_is_a_clear_error(db_url: str) -> None:
    engine = create_engine(db_url)
    other = create_engine(db_url)
    try:
        async with migrate.migration_lock(engine, None, 5):
            with pytest.raises(UpgradeInProgress) as caught:
                await migrate.upgrade(other, wait=0.5)
        assert describe(caught.value) == (
            "The database is being upgraded by another terminal; try again"
        )
    finally:
        await engine.dispose()
        await other.dispose()


async def test_db_upgrade_says_it_waits_for_another_terminal(db_url: str) -> None:
    """`frontdesk db upgrade` started while another terminal upgrades tells the person
    why it waits, then finds the work done."""
    engine = create_engine(db_url)
    try:
        await migrate.downgrade(engine, BEHIND)
        async with migrate.migration_lock(engine, None, 5) as conn:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "frontdesk.cli",
                "db",
                "upgrade",
                "--database",
                db_url,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                cwd=ROOT,
            )
            try:
                assert proc.stderr is not None
                first = await asyncio.wait_for(proc.stderr.readline(), TIMEOUT)
                assert first.decode().strip() == migrate.WAITING
                await conn.run_sync(_upgrade_here)
            except BaseException:
                proc.kill()
                raise
        out, err = await asyncio.wait_for(proc.communicate(), TIMEOUT)
        assert proc.returncode == 0, err.decode()
        assert f"upgraded to {migrate.head_revision()}" in out.decode()
    finally:
        await migrate.upgrade(engine)
        await engine.dispose()
