"""What a desk on SQLite does not load (issue 19, memory per session).

Every module imported stays in memory for the whole session (its code, its classes, the
objects it builds at import), so the cheapest megabyte is a module never imported. The
same probe as tests/house/test_startup_imports.py (the real `frontdesk` command on a
SQLite demo, headless, up to the sign-in screen) lists what is loaded; the PostgreSQL
driver and the read models of screens not shown yet must not be. A module list, not a
memory figure: it says the same on a busy machine.
"""

from __future__ import annotations

import pytest

from tests.house.test_startup_imports import at_first_screen, loaded_at_first_screen

__all__ = ["at_first_screen", "loaded_at_first_screen"]  # the probe's fixtures, shared

NOT_ON_SQLITE = (
    "asyncpg",  # the PostgreSQL driver: a SQLite desk never connects with it
    "alembic",  # a current schema needs no migration
)

# Read models of screens the sign-in does not show: each is imported by its screen's
# service when that screen is first opened.
VIEWS_NOT_YET = (
    "frontdesk.views.till",
    "frontdesk.views.receipt",
    "frontdesk.views.reports",
    "frontdesk.views.ledger_reports",
    "frontdesk.views.renewals",
    "frontdesk.views.catalogue",
    "frontdesk.views.kiosk",
    "frontdesk.views.profile",
    "frontdesk.views.balances",
    "frontdesk.views.addons",
    "frontdesk.views.plans",
    "frontdesk.views.memberships",
    "frontdesk.views.drawer",
    "frontdesk.views.outbox",
)


def _loaded(modules: set[str], name: str) -> list[str]:
    return sorted(m for m in modules if m == name or m.startswith(f"{name}."))


@pytest.mark.parametrize("name", NOT_ON_SQLITE + VIEWS_NOT_YET)
def test_not_loaded_on_a_sqlite_desk(loaded_at_first_screen: set[str], name: str) -> None:
    loaded = _loaded(loaded_at_first_screen, name)
    assert not loaded, f"{name} is loaded on a SQLite desk at sign-in: {loaded[:5]}"


# The outbox's and promotions' partial indexes pass `postgresql_where`, and SQLAlchemy
# loads the PostgreSQL dialect to check that keyword (19 modules, ~2.3 MB, ~30 ms): their
# tables are imported when first used, not with the package (frontdesk/db/tables).
def test_no_postgresql_dialect_on_a_sqlite_desk(loaded_at_first_screen: set[str]) -> None:
    loaded = _loaded(loaded_at_first_screen, "sqlalchemy.dialects.postgresql")
    assert not loaded, loaded[:5]
