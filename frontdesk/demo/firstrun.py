"""The first `frontdesk --demo` on a machine: build the demo beside the starting app.

Migrating and seeding take about as long as importing and mounting the app, so the CLI
starts this module as a child process before it imports anything heavy. The child
migrates, commits today's schedule, says `schedule`, adds the ledger history, says `done`
(see `seed_demo_schedule_first`). The app shows "Setting up the demo salon…" until
`schedule`, so the first run opens about as fast as later ones, on a second core.

This module is imported by the CLI on every `--demo` start: it keeps its own imports to
the standard library and does the heavy ones in the child only.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import IO

from frontdesk.domain.errors import Unavailable

SCHEDULE = "schedule"
DONE = "done"
ERROR = "error"


class DemoSetupFailed(Unavailable):
    """The child could not build the demo; the message is one line for the operator."""


class DemoSetup:
    """The parent's handle on the child building the demo database."""

    message = "Setting up the demo salon (first run only)…"

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._seen: set[str] = set()
        self._failure = ""
        self._reader: asyncio.Task[None] | None = None
        self._schedule: asyncio.Future[None] | None = None
        self._done: asyncio.Future[None] | None = None

    @classmethod
    def start(cls, url: str) -> DemoSetup:
        process = subprocess.Popen(
            [sys.executable, "-m", "frontdesk.demo.firstrun", url],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            # The child reports failures on stdout as one line; nothing it prints may
            # reach the terminal the app is drawing on.
            stderr=subprocess.DEVNULL,
        )
        return cls(process)

    async def ready(self) -> None:
        """Return once today's schedule is committed; DemoSetupFailed if it never is."""
        self._listen()
        assert self._schedule is not None
        await asyncio.shield(self._schedule)

    async def finished(self) -> None:
        """Return once the whole demo is committed; DemoSetupFailed if it is not."""
        self._listen()
        assert self._done is not None
        await asyncio.shield(self._done)

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    def wait(self) -> str | None:
        """Block until the child exits (the app has closed): None once the whole demo
        is in, else the one-line reason it is not."""
        if self._reader is None:  # nobody listened: the report is still in the pipe
            out, _ = self._process.communicate()
            for line in out.decode("utf-8", "replace").splitlines():
                self._take(line)
        self._process.wait()
        if DONE in self._seen:
            return None
        return self._failure or "the demo set-up stopped before it finished"

    def _take(self, line: str) -> None:
        word, _, rest = line.strip().partition(" ")
        self._seen.add(word)
        if word == ERROR:
            self._failure = rest

    def _listen(self) -> None:
        if self._reader is not None:
            return
        loop = asyncio.get_running_loop()
        self._schedule = loop.create_future()
        self._done = loop.create_future()
        # Retrieved so an unawaited failure is never "never retrieved" noise on exit.
        for future in (self._schedule, self._done):
            future.add_done_callback(_consume)
        self._reader = loop.create_task(self._read())

    async def _read(self) -> None:
        assert self._schedule is not None and self._done is not None
        pipe = self._process.stdout
        assert pipe is not None
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        transport: asyncio.BaseTransport | None = None
        try:
            # A pipe transport, not a thread blocked in readline: quitting the app
            # mid-set-up cancels this at once.
            transport, _ = await loop.connect_read_pipe(
                lambda: asyncio.StreamReaderProtocol(reader), pipe
            )
            while line := await reader.readline():
                self._take(line.decode("utf-8", "replace"))
                if SCHEDULE in self._seen:
                    _settle(self._schedule)
                if DONE in self._seen:
                    _settle(self._done)
        finally:
            if transport is not None:
                transport.close()
            failure = DemoSetupFailed(
                self._failure or "the demo set-up stopped before it finished"
            )
            for future in (self._schedule, self._done):
                _settle(future, failure)


def _settle(future: asyncio.Future[None], error: BaseException | None = None) -> None:
    if future.done():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)


def _consume(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()


def _say(out: IO[str], word: str, rest: str = "") -> None:
    try:
        out.write(f"{word} {rest}".rstrip() + "\n")
        out.flush()
    except OSError:
        pass  # the app has gone (quit mid-set-up); the database work still matters


async def _schedule_ready(out: IO[str]) -> None:
    _say(out, SCHEDULE)
    # The rest is history nobody is waiting for yet, while the app draws its first
    # frames: on a small machine the app (and the terminal) should get the CPU first.
    if hasattr(os, "nice"):
        os.nice(10)


async def build(url: str, out: IO[str]) -> None:
    """Migrate and seed the demo at `url`, reporting each step on `out`."""
    from frontdesk.db import migrate
    from frontdesk.db.engine import create_engine
    from frontdesk.demo.seed import TERMINAL, seed_demo_schedule_first
    from frontdesk.services.context import ServiceContext

    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        ctx = ServiceContext.create(engine, terminal=TERMINAL)
        await seed_demo_schedule_first(ctx, schedule_ready=lambda: _schedule_ready(out))
    finally:
        await engine.dispose()
    _say(out, DONE)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m frontdesk.demo.firstrun DATABASE_URL", file=sys.stderr)
        return 2
    try:
        asyncio.run(build(argv[0], sys.stdout))
    except BaseException as exc:  # the parent shows one line, never a traceback
        from frontdesk.cli import describe_error

        _say(sys.stdout, ERROR, describe_error(exc))
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
