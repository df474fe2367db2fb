"""What happens before the front desk's first frame, the same on every operating system:
check the schema (migrating a database that is behind), make sure the store can open,
then the app opens and reads today's schedule in a worker behind a loading screen.

A first `--demo` is the one thing that needs more: its database is built by a child
process (`frontdesk.demo.firstrun`) started before the app is imported.

Imports are done where they are needed: this module is imported before anything heavy.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from frontdesk.demo.firstrun import DemoSetup
    from frontdesk.domain.money_context import MoneyContext

SETTING_UP = "frontdesk: setting up the demo salon (first run only)…"

Prepared = Literal["ready", "seed", "rebuild"]


async def prepare(
    url: str, *, demo: bool = False, own_demo: bool = False, money: MoneyContext | None = None
) -> Prepared:
    """`prepare_on` with an engine of its own, disposed after (`frontdesk serve`, the
    kiosk: their app opens its own later)."""
    from frontdesk.db.engine import create_engine

    engine = create_engine(url)
    try:
        return await prepare_on(engine, demo=demo, own_demo=own_demo, money=money)
    finally:
        await engine.dispose()


async def prepare_on(
    engine: AsyncEngine,
    *,
    demo: bool = False,
    own_demo: bool = False,
    money: MoneyContext | None = None,
) -> Prepared:
    """Migrate (creating on first run) and make sure the store can open: "ready".

    On the caller's `engine`, left open: the front desk checks on its desk's own, so a
    start sets up one engine and its first connection, not two (issue 19).
    With `demo`: "seed" for an empty database, and, with `own_demo` (the demo file
    frontdesk manages), "rebuild" for a first-run set-up that stopped half-way. The CLI
    then builds the demo (`start_demo_setup`) and opens once its schedule is in.
    `money`: a new (non-demo) store's currency and locale, required to create one."""
    from frontdesk.db.schema_version import EXPECTED_HEAD, stored_revision
    from frontdesk.services.context import ServiceContext
    from frontdesk.services.setup import ensure_store

    if await stored_revision(engine) != EXPECTED_HEAD:
        from frontdesk.db import migrate  # Alembic is paid for only when needed.

        # Terminals starting together: one upgrades, the others wait for it here.
        await migrate.upgrade(engine, on_wait=migrate.say_waiting)
    ctx = ServiceContext.create(engine, terminal="setup")
    if not demo:
        await ensure_store(ctx, money)
        return "ready"
    from frontdesk.demo.state import demo_state

    state = await demo_state(ctx)
    if state == "partial" and own_demo:
        return "rebuild"
    return "seed" if state == "empty" else "ready"


def remove_sqlite(path: Path) -> None:
    """A SQLite database and its WAL files (`--demo --reset`, a half-built demo)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def start_demo_setup(url: str) -> DemoSetup:
    """Build the demo at `url` (migrated or not, empty) in a child process, schedule first."""
    from frontdesk.demo.firstrun import DemoSetup

    print(SETTING_UP, file=sys.stderr)
    return DemoSetup.start(url)
