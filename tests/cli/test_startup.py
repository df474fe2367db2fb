"""Before the first frame: the checks and the opening, in a forked child or inline.

`Preparation` runs `startup.prepare` beside the app's imports on Linux; whichever way it
runs, the CLI gets the same opening, or the same one-line failure.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from frontdesk.cli import describe_error
from frontdesk.domain.errors import Unavailable
from frontdesk.startup import Preparation, prepare
from frontdesk.views import Opening
from tests.cli.demo_db import build_demo, url_of
from tests.cli.test_cli import assert_one_line_error, run

_url = url_of


def test_forked_and_inline_preparations_read_the_same_opening(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    asyncio.run(build_demo(path))
    forked = Preparation.start(_url(path), demo=True, fork=True).result()
    inline = Preparation.start(_url(path), demo=True, fork=False).result()
    assert isinstance(forked, Opening) and forked == inline
    assert forked.store.business_name == "Glow & Co. Aesthetics"
    assert forked.first_day is not None and forked.first_day.appointments


def test_a_new_database_is_created_and_opens_on_an_empty_day(tmp_path: Path) -> None:
    opening = Preparation.start(_url(tmp_path / "new.db"), fork=True).result()
    assert isinstance(opening, Opening)
    assert [loc.name for loc in opening.locations] == ["Main"]
    assert opening.first_day is not None and opening.first_day.appointments == ()


def test_a_failure_in_the_child_is_the_line_the_cli_would_print(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("this is a shopping list, not a database\n" * 50)
    with pytest.raises(Unavailable) as forked:
        Preparation.start(_url(junk), fork=True).result()
    with pytest.raises(Exception) as inline:
        asyncio.run(prepare(_url(junk)))
    assert str(forked.value) == describe_error(inline.value)
    assert "not a frontdesk (sqlite) database" in str(forked.value).lower()


def test_the_tui_on_a_database_from_a_newer_version_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    assert run("db", "upgrade", "--database", _url(path)).returncode == 0
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    assert_one_line_error(run("--database", _url(path)), "newer frontdesk")


def test_the_tui_on_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("this is a shopping list, not a database\n" * 50)
    assert_one_line_error(run("--database", _url(junk)), "not a frontdesk (sqlite) database")


def test_an_empty_database_asked_for_the_demo_is_to_be_seeded(tmp_path: Path) -> None:
    assert Preparation.start(_url(tmp_path / "x.db"), demo=True, fork=True).result() == "seed"
