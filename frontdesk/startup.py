"""What happens before the front desk's first frame (the CLI's `frontdesk` command).

The database is migrated if needed and checked, and the opening (store, locations,
today's schedule at the first) is read on that same connection, so the app's first
frame is today's rows. A first `--demo` builds its database in a child process while
this one imports the app (see `frontdesk.demo.firstrun`).

Imports are done where they are needed: this module is imported before anything heavy.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from frontdesk.paths import sqlite_url

if TYPE_CHECKING:
    from frontdesk.demo.firstrun import DemoSetup
    from frontdesk.services.context import ServiceContext
    from frontdesk.views import Opening

SETTING_UP = "frontdesk: setting up the demo salon (first run only)…"


async def prepare(url: str, *, demo: bool = False, own_demo: bool = False) -> Opening | None:
    """Migrate (creating on first run), make sure the store can open, read the opening.

    With `demo`, seeds an empty database. With `own_demo` (the demo file frontdesk
    manages), returns None for a first-run set-up that stopped half-way: it is rebuilt."""
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
                return None
            if state == "empty":
                from frontdesk.demo.seed import seed_demo

                print(SETTING_UP, file=sys.stderr)
                await seed_demo(ctx)
        return await _opening(ctx)
    finally:
        await engine.dispose()


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


def start_demo_setup(path: Path) -> DemoSetup:
    """Build the demo at `path` in a child process while this one imports the app."""
    from frontdesk.demo.firstrun import DemoSetup

    print(SETTING_UP, file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    return DemoSetup.start(sqlite_url(path))
