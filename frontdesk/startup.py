"""What happens before the front desk's first frame (the CLI's `frontdesk` command).

The database is migrated if needed and checked, and the opening (store, locations,
today's schedule at the first) is read on that same connection, so the app's first
frame is today's rows. On Linux this runs in a forked child while the CLI imports the
app (`Preparation`, `frontdesk.forking`); a first `--demo` builds its database the same
way (`frontdesk.demo.firstrun`).

Imports are done where they are needed: this module is imported before anything heavy.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from frontdesk.demo.firstrun import DemoSetup
    from frontdesk.services.context import ServiceContext
    from frontdesk.views import Opening

SETTING_UP = "frontdesk: setting up the demo salon (first run only)…"


DemoNeeded = Literal["seed", "rebuild"]


async def prepare(url: str, *, demo: bool = False, own_demo: bool = False) -> Opening | DemoNeeded:
    """Migrate (creating on first run), make sure the store can open, read the opening.

    With `demo`: "seed" for an empty database, and, with `own_demo` (the demo file
    frontdesk manages), "rebuild" for a first-run set-up that stopped half-way. The CLI
    then builds the demo schedule first (`start_demo_setup`) and opens once it is in."""
    from frontdesk.db.engine import create_engine
    from frontdesk.db.schema_version import EXPECTED_HEAD, stored_revision
    from frontdesk.services.context import ServiceContext
    from frontdesk.services.setup import ensure_store

    engine = create_engine(url)
    try:
        if await stored_revision(engine) != EXPECTED_HEAD:
            from frontdesk.db import migrate  # Alembic is paid for only when needed.

            await migrate.upgrade(engine)
        ctx = ServiceContext.create(engine, terminal="setup")
        if not demo:
            await ensure_store(ctx)
        else:
            from frontdesk.demo.state import demo_state

            state = await demo_state(ctx)
            if state == "partial" and own_demo:
                return "rebuild"
            if state == "empty":
                return "seed"
        return await _opening(ctx)
    finally:
        await engine.dispose()


class Preparation:
    """`prepare` in a child beside the app's imports (Linux), or right here elsewhere."""

    def __init__(
        self,
        child: tuple[BaseProcess, Connection] | None = None,
        result: Opening | DemoNeeded | None = None,
    ) -> None:
        self._child = child
        self._result = result

    @classmethod
    def start(
        cls, url: str, *, demo: bool = False, own_demo: bool = False, fork: bool | None = None
    ) -> Preparation:
        from frontdesk.forking import can_fork, start_beside

        if fork if fork is not None else can_fork():
            return cls(
                child=start_beside(_prepare_child, url, demo, own_demo, name="frontdesk-prepare")
            )
        import asyncio

        return cls(result=asyncio.run(prepare(url, demo=demo, own_demo=own_demo)))

    def result(self) -> Opening | DemoNeeded:
        """What `prepare` returned; its failure as one line (Unavailable) if it failed."""
        if self._child is None:
            assert self._result is not None
            return self._result
        from frontdesk.domain.errors import Unavailable
        from frontdesk.forking import FAILED

        process, reports = self._child
        try:
            word, value = reports.recv()
        except EOFError:
            word, value = FAILED, "the start-up checks stopped before they finished"
        finally:
            process.join()
            reports.close()
        if word == FAILED:
            raise Unavailable(str(value))
        return cast("Opening | DemoNeeded", value)


def _prepare_child(url: str, demo: bool, own_demo: bool, reports: Connection) -> None:
    import asyncio

    reports.send(("ok", asyncio.run(prepare(url, demo=demo, own_demo=own_demo))))


async def read_opening(url: str) -> Opening:
    """The opening of a database that is ready (a first demo, once its schedule is in)."""
    from frontdesk.db.engine import create_engine
    from frontdesk.services.context import ServiceContext

    engine = create_engine(url)
    try:
        return await _opening(ServiceContext.create(engine, terminal="setup"))
    finally:
        await engine.dispose()


async def _opening(ctx: ServiceContext) -> Opening:
    import datetime as dt

    from frontdesk.services.schedule import opening

    return await opening(ctx, dt.date.today())


def remove_sqlite(path: Path) -> None:
    """A SQLite database and its WAL files (`--demo --reset`, a half-built demo)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def start_demo_setup(url: str) -> DemoSetup:
    """Build the demo at `url` (migrated or not, empty) in a child process, schedule first."""
    from frontdesk.demo.firstrun import DemoSetup

    print(SETTING_UP, file=sys.stderr)
    return DemoSetup.start(url)
