"""The first `frontdesk --demo` on a machine: build the demo beside the starting app.

Migrating and seeding take about as long as importing the app, so the CLI starts a
child process for them before its heavy imports: `python -m frontdesk.demo.firstrun
URL`, the same command on every operating system. The child migrates, commits today's
schedule and says `schedule`, then adds the ledger history and says `done`, one word a
line on its standard output (see `seed_demo_schedule_first`). Meanwhile the CLI imports
the app; it then waits for `schedule` and opens on today's rows, with the history
landing a second later. A child that fails says `error` and the one line the CLI would
print.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Callable
from typing import IO

from frontdesk.domain.errors import Unavailable

SCHEDULE = "schedule"
DONE = "done"
ERROR = "error"


class DemoSetupFailed(Unavailable):
    """The child could not build the demo; `reason` is one line for the operator."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the demo could not be set up: {reason}")
        self.reason = reason


class DemoSetup:
    """The parent's handle on the child building the demo database."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self._process = process
        self._seen: set[str] = set()
        self._failure = ""

    @classmethod
    def start(cls, url: str) -> DemoSetup:
        return cls(child([sys.executable, "-m", "frontdesk.demo.firstrun", url]))

    def wait_ready(self) -> None:
        """Block until today's schedule is committed; DemoSetupFailed if it never is."""
        while SCHEDULE not in self._seen and self._receive():
            pass
        if SCHEDULE not in self._seen:
            self._process.wait()
            raise DemoSetupFailed(self._reason())

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    def wait(self) -> str | None:
        """Block until the child exits: None once the whole demo is in, else the
        one-line reason it is not."""
        while self._receive():
            pass
        self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        return None if DONE in self._seen else self._reason()

    def _receive(self) -> bool:
        reports = self._process.stdout
        line = reports.readline() if reports is not None and not reports.closed else ""
        if not line:  # the child has gone
            return False
        word, _, rest = line.rstrip("\n").partition(" ")
        self._seen.add(word)
        if word == ERROR:
            self._failure = rest
        return True

    def _reason(self) -> str:
        return self._failure or "the set-up stopped before it finished"


def child(command: list[str]) -> subprocess.Popen[str]:
    """A child whose reports come back a line at a time and whose other output never
    reaches the terminal the app is about to draw on."""
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )


def main(argv: list[str], reports: IO[str]) -> int:
    """The child: build the demo at argv[0], reporting each step on `reports`."""
    import asyncio

    def say(line: str) -> None:
        with contextlib.suppress(OSError):  # the app has gone; the work still matters
            print(line, file=reports, flush=True)

    try:
        asyncio.run(build(argv[0], say))
    except Exception as exc:  # the parent shows one line, never a traceback
        from frontdesk.domain.errors import describe

        say(f"{ERROR} {describe(exc)}")
        return 2
    return 0


async def build(url: str, say: Callable[[str], None]) -> None:
    """Migrate and seed the demo at `url`, reporting each step through `say`."""
    import os

    from sqlalchemy.engine import make_url

    from frontdesk.demo.staff_pins import DemoPins

    # The pepper first: with none to be had, nothing is written.
    pins = await DemoPins.start(make_url(url))

    from frontdesk.db import migrate
    from frontdesk.db.engine import create_engine
    from frontdesk.demo.seed import TERMINAL, seed_demo_schedule_first
    from frontdesk.services.context import ServiceContext

    async def schedule_ready() -> None:
        say(SCHEDULE)
        # The rest is history nobody waits for, while the app draws its first frames:
        # on a small machine the app and the terminal should get the CPU first.
        if hasattr(os, "nice"):
            os.nice(10)

    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        ctx = ServiceContext.create(engine, terminal=TERMINAL)
        await seed_demo_schedule_first(ctx, schedule_ready=schedule_ready, pins=pins)
    finally:
        await engine.dispose()
    say(DONE)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:], sys.stdout))
