"""The first `frontdesk --demo`: the demo is built by a child process beside the app.

The child commits today's schedule first ("schedule"), then the history ("done"); the
CLI starts it before its heavy imports and the app waits on `DemoSetup.ready`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import func, select

from frontdesk import cli
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Appointment
from frontdesk.demo.firstrun import DemoSetup, DemoSetupFailed
from frontdesk.demo.seed import demo_state, seed_demo_schedule_first
from frontdesk.services.context import ServiceContext


def _url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def demo_ctx(tmp_path: Path) -> AsyncIterator[ServiceContext]:
    context = ServiceContext.create(create_engine(_url(tmp_path / "demo.db")), terminal="t")
    try:
        yield context
    finally:
        await context.dispose()


def _fake_child(script: str) -> DemoSetup:
    """A child that says what `script` prints, without building anything."""
    return DemoSetup(
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    )


async def test_the_child_builds_the_demo_schedule_first(
    tmp_path: Path, demo_ctx: ServiceContext
) -> None:
    setup = DemoSetup.start(_url(tmp_path / "demo.db"))
    try:
        await setup.ready()
        assert await demo_state(demo_ctx) in ("partial", "complete")
        async with demo_ctx.read() as s:
            assert (await s.scalar(select(func.count()).select_from(Appointment)) or 0) > 0
        await setup.finished()
    finally:
        failure = setup.wait()
    assert failure is None
    assert await demo_state(demo_ctx) == "complete"


async def test_a_child_that_cannot_build_says_why_in_one_line(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file, not a folder")
    setup = DemoSetup.start(_url(not_a_folder / "demo.db"))
    with pytest.raises(DemoSetupFailed) as raised:
        await setup.ready()
    message = str(raised.value)
    assert "cannot open the database file" in message and "\n" not in message
    with pytest.raises(DemoSetupFailed):
        await setup.finished()
    assert setup.wait() == message


async def test_a_child_that_stops_after_the_schedule_fails_finished_not_ready() -> None:
    setup = _fake_child("print('schedule', flush=True)")
    await setup.ready()
    with pytest.raises(DemoSetupFailed, match="stopped before it finished"):
        await setup.finished()
    assert setup.wait() == "the demo set-up stopped before it finished"


async def test_an_error_line_is_the_reason_given() -> None:
    setup = _fake_child("print('error disk full', flush=True); raise SystemExit(2)")
    with pytest.raises(DemoSetupFailed, match=r"^disk full$"):
        await setup.ready()
    assert setup.wait() == "disk full"


def test_wait_reads_the_report_when_nobody_listened() -> None:
    assert _fake_child("print('schedule'); print('done')").wait() is None
    assert _fake_child("print('schedule')").wait() == (
        "the demo set-up stopped before it finished"
    )


# --- the CLI's side ------------------------------------------------------------------


class FakeSetup:
    message = "Setting up the demo salon (first run only)…"
    started: ClassVar[list[str]] = []

    def __init__(self, url: str) -> None:
        self.url = url
        self.running = False

    @classmethod
    def start(cls, url: str) -> FakeSetup:
        cls.started.append(url)
        return cls(url)

    async def ready(self) -> None:
        return None

    async def finished(self) -> None:
        return None

    def wait(self) -> str | None:
        return None


@pytest.fixture
def demo_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "demo.db"
    monkeypatch.setattr(cli, "demo_database_path", lambda: path)
    monkeypatch.setattr(cli, "demo_database_url", lambda: _url(path))
    monkeypatch.setattr("frontdesk.demo.firstrun.DemoSetup", FakeSetup)
    FakeSetup.started = []
    return path


def _args(*argv: str) -> argparse.Namespace:
    return cli.build_parser().parse_args(list(argv))


def test_first_demo_starts_the_child_only_when_there_is_no_demo_yet(demo_path: Path) -> None:
    assert cli._first_demo(_args()) is None  # not --demo
    assert cli._first_demo(_args("--demo", "--database", _url(demo_path))) is None
    setup = cli._first_demo(_args("--demo"))
    assert isinstance(setup, FakeSetup) and setup.url == _url(demo_path)
    assert demo_path.parent.is_dir()  # the child gets a folder to create its file in
    demo_path.write_bytes(b"")
    assert cli._first_demo(_args("--demo")) is None  # there is one: the usual checks


def test_reset_removes_the_demo_and_its_wal_files_then_rebuilds(demo_path: Path) -> None:
    demo_path.parent.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{demo_path}{suffix}").write_bytes(b"old")
    setup = cli._first_demo(_args("--demo", "--reset"))
    assert isinstance(setup, FakeSetup)
    assert not any(Path(f"{demo_path}{s}").exists() for s in ("", "-wal", "-shm"))


async def test_a_half_built_demo_is_partial(demo_path: Path) -> None:
    await _half_built(demo_path)
    assert await cli._prepare(_url(demo_path), demo=True) == "partial"


def test_the_cli_rebuilds_a_half_built_demo(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    asyncio.run(_half_built(demo_path))
    opened: list[tuple[str, object]] = []

    def run_app(url: str, *, terminal: str, preparing: object = None) -> int:
        opened.append((url, preparing))
        return 0

    monkeypatch.setattr("screens.app.run_app", run_app)
    assert cli.main(["--demo"]) == 0
    assert FakeSetup.started == [_url(demo_path)]
    assert not demo_path.exists()  # removed for the child to build again
    [(url, preparing)] = opened
    assert url == _url(demo_path) and isinstance(preparing, FakeSetup)


class Stopped(Exception):
    """The set-up was stopped (a kill, a power cut) after the schedule's commit."""


async def _half_built(path: Path) -> None:
    """A demo whose set-up stopped between its two transactions."""
    from frontdesk.db import migrate

    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(_url(path))
    try:
        await migrate.upgrade(engine)
        ctx = ServiceContext.create(engine, terminal="t")

        async def stop() -> None:
            raise Stopped

        with pytest.raises(Stopped):
            await seed_demo_schedule_first(ctx, schedule_ready=stop, clients=20)
    finally:
        await engine.dispose()
