"""The schema belongs to Alembic: upgrade from empty, no drift, downgrade to base."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import full_metadata


async def drift(engine: AsyncEngine) -> list[Any]:
    """Differences between the models and the migrated database (empty = none)."""

    def compare(conn: Connection) -> list[Any]:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, full_metadata()))

    async with engine.connect() as conn:
        return await conn.run_sync(compare)


async def test_downgrade_to_base_then_upgrade_from_empty_without_drift(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        assert await migrate.current_revision(engine) == migrate.head_revision()
        await migrate.downgrade(engine, "base")
        async with engine.connect() as conn:
            left = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert left <= {"alembic_version"}, left
        assert await migrate.current_revision(engine) is None

        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == migrate.head_revision()
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert {t.name for t in full_metadata().sorted_tables} <= tables
        assert await drift(engine) == []
    finally:
        await migrate.upgrade(engine)
        await engine.dispose()


def test_expected_head_matches_the_migrations() -> None:
    from frontdesk.db.schema_version import EXPECTED_HEAD

    assert migrate.head_revision() == EXPECTED_HEAD


async def test_stored_revision_reads_without_alembic(db_url: str, tmp_path: object) -> None:
    from frontdesk.db.schema_version import stored_revision

    engine = create_engine(db_url)
    try:
        assert await stored_revision(engine) == migrate.head_revision()
    finally:
        await engine.dispose()
    empty = create_engine(f"sqlite+aiosqlite:///{tmp_path}/empty.db")
    try:
        assert await stored_revision(empty) is None
    finally:
        await empty.dispose()
