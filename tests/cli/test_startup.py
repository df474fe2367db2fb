"""Before the first frame: the schema checked (and migrated), the store made sure of.

The same path on every operating system; a failure is the one line the CLI prints.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from frontdesk.db.engine import create_engine
from frontdesk.domain.errors import ValidationError, describe
from frontdesk.domain.money_context import MoneyContext
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.startup import prepare
from tests.cli.demo_db import build_demo, url_of
from tests.cli.test_cli import assert_one_line_error, run

_url = url_of


async def _location_names(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        desk = Desk(ServiceContext.create(engine, terminal="t"))
        return [loc.name for loc in await desk.catalog.locations()]
    finally:
        await engine.dispose()


def test_a_demo_that_is_in_is_ready_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    asyncio.run(build_demo(path))
    assert asyncio.run(prepare(_url(path), demo=True)) == "ready"
    assert asyncio.run(_location_names(_url(path))) == ["Marylebone", "Shoreditch"]


def test_a_new_database_is_created_with_a_store_and_one_location(tmp_path: Path) -> None:
    url = _url(tmp_path / "new.db")
    assert asyncio.run(prepare(url, money=MoneyContext("JPY", "ja_JP"))) == "ready"
    assert asyncio.run(_location_names(url)) == ["Main"]
    assert asyncio.run(_store_money(url)) == ("JPY", "ja_JP")


def test_a_new_store_is_not_given_a_currency_nobody_chose(tmp_path: Path) -> None:
    """House rule 12: nothing defaults to GBP; the operator says the store's pair."""
    url = _url(tmp_path / "new.db")
    with pytest.raises(ValidationError, match="--currency GBP --locale en_GB"):
        asyncio.run(prepare(url))
    refused = run("--database", url)
    assert_one_line_error(refused, "needs its currency and locale")


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        (("--currency", "JPY"), "go together"),
        (("--currency", "JPX", "--locale", "ja_JP"), "unknown currency code"),
        (("--currency", "JPY", "--locale", "xx_QQ"), "unknown locale"),
    ],
)
def test_a_new_store_s_currency_and_locale_are_checked(
    tmp_path: Path, options: tuple[str, ...], needle: str
) -> None:
    assert_one_line_error(run("--database", _url(tmp_path / "new.db"), *options), needle)


async def _store_money(url: str) -> tuple[str, str]:
    engine = create_engine(url)
    try:
        store = await Desk(ServiceContext.create(engine, terminal="t")).catalog.store()
        return store.currency, store.locale
    finally:
        await engine.dispose()


def test_a_file_that_is_not_a_database_fails_with_the_line_the_cli_prints(
    tmp_path: Path,
) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("this is a shopping list, not a database\n" * 50)
    with pytest.raises(Exception) as failed:
        asyncio.run(prepare(_url(junk)))
    assert describe(failed.value) == "that file is not a frontdesk (SQLite) database"


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
    assert asyncio.run(prepare(_url(tmp_path / "x.db"), demo=True)) == "seed"
