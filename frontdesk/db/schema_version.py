"""The schema revision this code expects, readable without importing Alembic.

Starting the front desk on an up-to-date database must be quick (kiosks, SSH), so the
start-up path reads `alembic_version` with one query and only loads Alembic when an
upgrade is really needed. A test keeps `EXPECTED_HEAD` equal to the migrations' head.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from frontdesk.db.engine import READ_ONLY

EXPECTED_HEAD = "0022"


async def stored_revision(engine: AsyncEngine) -> str | None:
    """The database's revision, or None for an empty database."""
    # A read (SQLite: plain BEGIN): while another terminal migrates, holding the write
    # lock, this still answers at once instead of waiting for it and timing out.
    async with engine.execution_options(**{READ_ONLY: True}).connect() as conn:
        try:
            value = await conn.scalar(text("SELECT version_num FROM alembic_version"))
        except DBAPIError as exc:
            if "alembic_version" in str(exc):  # no such table: a new, empty database
                return None
            raise
        return str(value) if value is not None else None
