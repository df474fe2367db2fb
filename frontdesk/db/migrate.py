"""Run Alembic against an async engine: upgrade, downgrade, current revision."""

from __future__ import annotations

from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from frontdesk.domain.errors import Unavailable


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("frontdesk") / "migrations"))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _check_not_newer(conn: Connection) -> None:
    current = _current(conn)
    if current is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    if current not in {s.revision for s in script.walk_revisions()}:
        raise Unavailable(
            f"This database was migrated by a newer frontdesk (revision {current}); "
            "upgrade frontdesk before using it."
        )


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(_current)


async def _run(engine: AsyncEngine, fn: Any, *args: Any) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(_check_not_newer)

        def run(sync_conn: Connection) -> None:
            cfg = alembic_config()
            cfg.attributes["connection"] = sync_conn
            fn(cfg, *args)

        await conn.run_sync(run)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    await _run(engine, command.upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    await _run(engine, command.downgrade, revision)
