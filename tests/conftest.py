"""Shared fixtures: every repository/service test runs on SQLite and on PostgreSQL.

The schema is migrated once per run and engine (Alembic, never create_all); each test
then gets a clean copy: SQLite copies a migrated template file, PostgreSQL truncates.
PostgreSQL runs when FRONTDESK_TEST_DATABASE_URL is set and is skipped, saying why,
when it is not.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import full_metadata
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk

PG_ENV = "FRONTDESK_TEST_DATABASE_URL"
PG_SKIP = (
    f"PostgreSQL tests skipped: set {PG_ENV}=postgresql+asyncpg://user@host/db "
    "(.ci/run does this when PostgreSQL answers on 127.0.0.1:5432)"
)


def _sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def build() -> None:
        engine = create_engine(_sqlite_url(path))
        await migrate.upgrade(engine)
        await engine.dispose()

    asyncio.run(build())
    return path


async def _admin(url: str, statements: list[str]) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction.
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


def worker_database(url: str) -> tuple[str, str | None]:
    """Under pytest-xdist each worker gets its own PostgreSQL database next to the one
    named (the tests truncate between them, so two workers must never share one)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url, None
    base = make_url(url)
    name = f"{base.database}_{worker}"
    statements = [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"']
    asyncio.run(_admin(url, statements))
    return base.set(database=name).render_as_string(hide_password=False), name


@pytest.fixture(scope="session")
def pg_migrated() -> Iterator[str | None]:
    given = os.environ.get(PG_ENV)
    if not given:
        yield None
        return
    url, own_database = worker_database(given)

    async def build() -> None:
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await migrate.upgrade(engine)
        await engine.dispose()

    asyncio.run(build())
    yield url
    if own_database is not None:
        asyncio.run(_admin(given, [f'DROP DATABASE IF EXISTS "{own_database}" WITH (FORCE)']))


async def truncate_all(url: str) -> None:
    engine = create_engine(url)
    names = ", ".join(t.name for t in full_metadata().sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    await engine.dispose()


def fresh_sqlite(template: Path, tmp_path: Path) -> str:
    target = tmp_path / "frontdesk.db"
    shutil.copyfile(template, target)
    return _sqlite_url(target)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(
    request: pytest.FixtureRequest,
    sqlite_template: Path,
    tmp_path: Path,
) -> Iterator[str]:
    """A migrated, empty database URL on each engine."""
    if request.param == "sqlite":
        yield fresh_sqlite(sqlite_template, tmp_path)
        return
    url = request.getfixturevalue("pg_migrated")
    if url is None:
        pytest.skip(PG_SKIP)
    asyncio.run(truncate_all(url))
    yield url


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated, empty SQLite database (for tests that need only the embedded engine)."""
    return fresh_sqlite(sqlite_template, tmp_path)


@pytest.fixture
async def ctx(db_url: str) -> AsyncIterator[ServiceContext]:
    context = ServiceContext.create(create_engine(db_url), terminal="test-desk")
    try:
        yield context
    finally:
        await context.dispose()


@pytest.fixture
async def desk(ctx: ServiceContext) -> Desk:
    return Desk(ctx)


@pytest.fixture(autouse=True)
def receipts_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Receipt files go to the test's own folder, never the user's data dir (PostgreSQL
    databases have no file to put them beside)."""
    folder = tmp_path / "receipts-written"
    monkeypatch.setenv("FRONTDESK_RECEIPTS_DIR", str(folder))
    return folder


TEST_PEPPER = "pepper-of-the-test-suite"


@pytest.fixture(autouse=True)
def pepper(monkeypatch: pytest.MonkeyPatch) -> str:
    """Every terminal of a test database shares this pepper (PostgreSQL has no file
    beside it); tests of the pepper's own rules remove it."""
    monkeypatch.setenv("FRONTDESK_PEPPER", TEST_PEPPER)
    monkeypatch.delenv("FRONTDESK_PEPPER_FILE", raising=False)
    return TEST_PEPPER
