"""Small demo databases on disk for the start-up tests."""

from __future__ import annotations

from pathlib import Path

from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.demo.seed import seed_demo
from frontdesk.services.context import ServiceContext


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
