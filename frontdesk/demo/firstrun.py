"""The first `frontdesk --demo` on a machine: build the demo beside the starting app.

Migrating and seeding take about as long as importing the app, so the CLI starts a
child process for them early. The child migrates, commits today's schedule, reports
`schedule`, adds the ledger history, reports `done` (see `seed_demo_schedule_first`).
Meanwhile the CLI imports the app; it then waits for `schedule` and opens on today's
rows, so the first run opens about as fast as later ones, on a second core, with the
history landing a second later.

On Linux the child is forked with the database layer already loaded (see
`frontdesk.forking`); elsewhere it is a fresh (spawned) interpreter.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from frontdesk.domain.errors import Unavailable
from frontdesk.forking import FAILED, start_beside

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

SCHEDULE = "schedule"
DONE = "done"
ERROR = FAILED

Report = tuple[str, str]  # (SCHEDULE | DONE | ERROR, the error's one line)


class DemoSetupFailed(Unavailable):
    """The child could not build the demo; `reason` is one line for the operator."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the demo could not be set up: {reason}")
        self.reason = reason


class DemoSetup:
    """The parent's handle on the child building the demo database."""

    def __init__(self, process: BaseProcess, reports: Connection) -> None:
        self._process = process
        self._reports = reports
        self._seen: set[str] = set()
        self._failure = ""

    @classmethod
    def start(cls, url: str, *, fork: bool | None = None) -> DemoSetup:
        """Start the child (forked on Linux, see `frontdesk.forking`)."""
        process, reports = start_beside(_child, url, name="frontdesk-demo-setup", fork=fork)
        return cls(process, reports)

    def wait_ready(self) -> None:
        """Block until today's schedule is committed; DemoSetupFailed if it never is."""
        while SCHEDULE not in self._seen and self._receive():
            pass
        if SCHEDULE not in self._seen:
            self._process.join()
            raise DemoSetupFailed(self._reason())

    @property
    def running(self) -> bool:
        return self._process.is_alive()

    def wait(self) -> str | None:
        """Block until the child exits: None once the whole demo is in, else the
        one-line reason it is not."""
        while self._receive():
            pass
        self._process.join()
        self._reports.close()
        return None if DONE in self._seen else self._reason()

    def _receive(self) -> bool:
        try:
            word, rest = self._reports.recv()
        except (EOFError, OSError):  # the child has gone, or wait() closed the pipe
            return False
        self._seen.add(word)
        if word == ERROR:
            self._failure = rest
        return True

    def _reason(self) -> str:
        return self._failure or "the set-up stopped before it finished"


def _child(url: str, reports: Connection) -> None:
    # Nothing the child prints may reach the terminal the app is about to draw on.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    import asyncio

    def say(word: str) -> None:
        with contextlib.suppress(OSError):  # the app has gone; the work still matters
            reports.send((word, ""))

    asyncio.run(build(url, say))


async def build(url: str, say: Callable[[str], None]) -> None:
    """Migrate and seed the demo at `url`, reporting each step through `say`."""
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
        await seed_demo_schedule_first(ctx, schedule_ready=schedule_ready)
    finally:
        await engine.dispose()
    say(DONE)
