"""The tables package imports most of its modules when a name of theirs is first asked
for (frontdesk/db/tables/__init__.py, issue 19): its map of lazy names must cover every
module and class, or a new table would be missing from `full_metadata()` (Alembic's
drift check, the race keys) or unreachable as `frontdesk.db.tables.Name`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys

import pytest

import frontdesk.db.tables as tables
from frontdesk.db.tables import LAZY, Base, full_metadata

EAGER = {"base", "core", "client_index", "write_keys"}  # what start-up reads

# In a fresh interpreter, one module imported (and what it imports): every foreign key of
# its tables must find its table. SQLAlchemy resolves them when a row of the table is
# first flushed (Mapper._sorted_tables): a start-up table naming a lazily imported one
# (an add-on line's ledger entry) would fail there, in a process that never needed it.
RESOLVES = """
import importlib, inspect, sys
from frontdesk.db.tables import Base
module = importlib.import_module(sys.argv[1])
for value in vars(module).values():
    if inspect.isclass(value) and issubclass(value, Base) and hasattr(value, "__table__"):
        for fk in value.__table__.foreign_keys:
            fk.column  # raises NoReferencedTableError when its table is not imported
"""


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(tables.__path__))


def _mapped_classes(module: str) -> set[str]:
    loaded = importlib.import_module(f"{tables.__name__}.{module}")
    return {
        name
        for name, value in vars(loaded).items()
        if inspect.isclass(value)
        and issubclass(value, Base)
        and value.__module__ == loaded.__name__
        and hasattr(value, "__table__")
    }


def test_every_module_is_eager_or_lazy() -> None:
    assert set(_modules()) == EAGER | set(LAZY.values())


def test_every_class_of_a_lazy_module_is_named() -> None:
    for module in set(LAZY.values()):
        named = {name for name, where in LAZY.items() if where == module}
        assert _mapped_classes(module) == named, module


def test_every_exported_name_resolves() -> None:
    for name in tables.__all__:
        assert getattr(tables, name) is not None, name


def test_full_metadata_has_every_table() -> None:
    names = {
        getattr(importlib.import_module(f"{tables.__name__}.{module}"), cls).__tablename__
        for module in _modules()
        if module != "base"
        for cls in _mapped_classes(module)
    }
    assert names == set(full_metadata().tables)


def test_an_unknown_name_is_an_attribute_error() -> None:
    assert not hasattr(tables, "NoSuchTable")


@pytest.mark.parametrize("module", sorted(EAGER | set(LAZY.values())))
def test_each_module_s_foreign_keys_find_their_tables(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RESOLVES, f"{tables.__name__}.{module}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-800:]
