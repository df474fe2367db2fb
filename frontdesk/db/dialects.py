"""The dialect's own SQL (INSERT … ON CONFLICT), imported for the engine in use only.

SQLAlchemy's PostgreSQL dialect package is a few dozen modules and ~0.3 s of import that a
SQLite desk never needs (issue 19: nothing the session doesn't use is imported), so the
statements that need a dialect's INSERT ask for it here by name, at the first write.
"""

from __future__ import annotations

from types import ModuleType


def dialect_module(name: str) -> ModuleType:
    """`sqlalchemy.dialects.postgresql` for "postgresql", else `sqlalchemy.dialects.sqlite`."""
    if name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql
    from sqlalchemy.dialects import sqlite

    return sqlite
