"""The first `frontdesk --demo`: the demo is built by a child process beside the app.

The child (`python -m frontdesk.demo.firstrun URL`, on every operating system) commits
today's schedule first ("schedule"), then the history ("done"); the CLI starts it before
its heavy imports and opens the app once the schedule is in (`DemoSetup.wait_ready`).
"""

from __future__ import annotations

import argparse
import asyncio
import stat
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import func, select

from frontdesk import cli, startup
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Appointment
from frontdesk.demo.firstrun import DONE, ERROR, SCHEDULE, DemoSetup, DemoSetupFailed, child
from frontdesk.demo.seed import seed_demo_schedule_first
from frontdesk.demo.state import demo_state
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from screens.start import StartCheck
from tests.cli.demo_db import build_demo, run_start_check
from tests.services.test_demo_seed import readme_pins


def _url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def demo_ctx(tmp_path: Path) -> AsyncIterator[ServiceContext]:
    context = ServiceContext.create(create_engine(_url(tmp_path / "demo.db")), terminal="t")
    try:
        yield context
    finally:
        await context.dispose()


def _fake_child(*said: str, code: int = 0) -> DemoSetup:
    """A child that reports the lines `said` and exits with `code`, building nothing."""
    script = "".join(f"print({line!r})\n" for line in said) + f"raise SystemExit({code})\n"
    return DemoSetup(child([sys.executable, "-c", script]))


async def test_the_child_builds_the_demo_schedule_first(
    tmp_path: Path, demo_ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FRONTDESK_PEPPER")  # the demo's own: demo.db.pepper beside it
    setup = DemoSetup.start(_url(tmp_path / "demo.db"))
    try:
        setup.wait_ready()
        assert await demo_state(demo_ctx) in ("partial", "complete")
        async with demo_ctx.read() as s:
            assert (await s.scalar(select(func.count()).select_from(Appointment)) or 0) > 0
        # Once the app can open, the staff can sign in with the README's PINs.
        number, name, _, pin = readme_pins()[0]
        assert (await Desk(demo_ctx).sign_in.sign_in(str(number), pin)).name == name
        pepper = tmp_path / "demo.db.pepper"
        assert stat.S_IMODE(pepper.stat().st_mode) == 0o600
    finally:
        failure = setup.wait()
    assert failure is None
    assert not setup.running
    assert await demo_state(demo_ctx) == "complete"


def test_a_child_that_cannot_build_says_why_in_one_line(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file, not a folder")
    setup = DemoSetup.start(_url(not_a_folder / "demo.db"))
    with pytest.raises(DemoSetupFailed) as raised:
        setup.wait_ready()
    message = str(raised.value)
    assert message.startswith("the demo could not be set up: cannot open the database file")
    assert "\n" not in message
    assert setup.wait() == raised.value.reason


def test_a_child_that_stops_after_the_schedule_is_ready_but_not_done() -> None:
    setup = _fake_child(SCHEDULE)
    setup.wait_ready()
    assert setup.wait() == "the set-up stopped before it finished"


def test_an_error_line_is_the_reason_given() -> None:
    setup = _fake_child(f"{ERROR} disk full", code=2)
    with pytest.raises(DemoSetupFailed, match=r"^the demo could not be set up: disk full$"):
        setup.wait_ready()
    assert setup.wait() == "disk full"


def test_wait_reads_the_report_when_nobody_waited_for_the_schedule() -> None:
    assert _fake_child(SCHEDULE, DONE).wait() is None
    assert _fake_child(SCHEDULE).wait() == "the set-up stopped before it finished"


# --- the CLI's side ------------------------------------------------------------------


class FakeSetup:
    """Stands in for the child: the schedule is ready at once, the history never fails."""

    started: ClassVar[list[str]] = []

    def __init__(self, url: str) -> None:
        self.url = url
        self.running = False

    @classmethod
    def start(cls, url: str) -> FakeSetup:
        cls.started.append(url)
        return cls(url)

    def wait_ready(self) -> None:
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


async def test_a_half_built_demo_is_rebuilt_only_when_it_is_our_own(demo_path: Path) -> None:
    await _half_built(demo_path)
    assert await demo_state_at(demo_path) == "partial"
    assert await startup.prepare(_url(demo_path), demo=True, own_demo=True) == "rebuild"
    # Someone else's database (--database): opened as it is, never thrown away.
    assert await startup.prepare(_url(demo_path), demo=True, own_demo=False) == "ready"


async def demo_state_at(path: Path) -> str:
    engine = create_engine(_url(path))
    try:
        return await demo_state(ServiceContext.create(engine, terminal="t"))
    finally:
        await engine.dispose()


def test_the_cli_rebuilds_a_half_built_demo_and_opens_on_it(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(_half_built(demo_path))
    opened: list[str] = []

    def run_app(url: str, *, terminal: str, check: StartCheck | None = None) -> int:
        if check is not None:  # what the app's start worker runs first
            run_start_check(url, terminal, check)
        opened.append(url)
        return 0

    def rebuild(url: str) -> FakeSetup:
        # What the child would do: build the demo again from nothing.
        assert not demo_path.exists()
        asyncio.run(build_demo(demo_path))
        FakeSetup.started.append(url)
        return FakeSetup(url)

    monkeypatch.setattr("screens.app.run_app", run_app)
    monkeypatch.setattr("frontdesk.demo.firstrun.DemoSetup.start", rebuild)
    assert cli.main(["--demo"]) == 0
    assert FakeSetup.started == [_url(demo_path)]
    assert opened == [_url(demo_path)]
    assert asyncio.run(demo_state_at(demo_path)) == "complete"


def test_a_demo_that_is_in_opens_as_it_is(demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asyncio.run(build_demo(demo_path))
    opened: list[str] = []

    def run_app(url: str, *, terminal: str, check: StartCheck | None = None) -> int:
        if check is not None:  # what the app's start worker runs first
            run_start_check(url, terminal, check)
        opened.append(url)
        return 0

    monkeypatch.setattr("screens.app.run_app", run_app)
    assert cli.main(["--demo"]) == 0
    assert FakeSetup.started == []
    assert opened == [_url(demo_path)]


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


def test_demo_on_an_empty_database_of_its_own_is_built_schedule_first(
    tmp_path: Path, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--demo --database URL` on an empty database: the same two-step set-up, in place."""
    elsewhere = tmp_path / "shared.db"
    opened: list[str] = []

    def run_app(url: str, *, terminal: str, check: StartCheck | None = None) -> int:
        if check is not None:  # what the app's start worker runs first
            run_start_check(url, terminal, check)
        opened.append(url)
        return 0

    def build(url: str) -> FakeSetup:
        assert elsewhere.exists()  # migrated by the checks, kept, and seeded in place
        asyncio.run(build_demo(elsewhere))
        FakeSetup.started.append(url)
        return FakeSetup(url)

    monkeypatch.setattr("screens.app.run_app", run_app)
    monkeypatch.setattr("frontdesk.demo.firstrun.DemoSetup.start", build)
    assert cli.main(["--demo", "--database", _url(elsewhere)]) == 0
    assert FakeSetup.started == [_url(elsewhere)]
    assert opened == [_url(elsewhere)]
    assert asyncio.run(demo_state_at(elsewhere)) == "complete"
    assert not demo_path.exists()  # the own demo file was never touched
