"""Small demo databases on disk for the start-up tests."""

from __future__ import annotations

import asyncio
from pathlib import Path

from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.demo.seed import seed_demo
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from screens.start import StartCheck


def url_of(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def build_demo(path: Path, clients: int = 20) -> None:
    """A migrated database at `path` holding a whole (small) demo."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url_of(path))
    try:
        await migrate.upgrade(engine)
        await seed_demo(ServiceContext.create(engine, terminal="t"), clients=clients)
    finally:
        await engine.dispose()


def run_start_check(url: str, terminal: str, check: StartCheck) -> None:
    """What the app's start worker does first: open the desk, check on its engine."""

    async def checked() -> None:
        desk = Desk.open(url, terminal=terminal)
        try:
            await check(desk)
        finally:
            await desk.close()

    asyncio.run(checked())
