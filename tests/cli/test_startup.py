"""At start-up: the schema checked (and migrated), the store made sure of.

The same path on every operating system: the app draws sign-in first and runs the
check in its start worker; a failure ends the app, which leaves the alternate screen,
and is the one line the CLI prints, exit code 2. The TUI's failures are seen on a
pseudo-terminal, as the person at the desk sees them.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from frontdesk.db.engine import create_engine
from frontdesk.domain.errors import ValidationError, describe
from frontdesk.domain.money_context import MoneyContext
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.startup import prepare
from tests.cli.demo_db import build_demo, url_of
from tests.cli.test_cli import assert_one_line_error, run
from tests.pty_terminal import TIMEOUT_S, PtyApp, plain, pty_available

_url = url_of
LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
needs_pty = pytest.mark.skipif(pty_available() is not None, reason=str(pty_available()))


def assert_tui_ends_in_one_line(*args: str, needle: str) -> None:
    """`frontdesk ARGS` on a terminal: sign-in is drawn, then the app leaves the
    alternate screen and what is left is one line naming `needle`; exit code 2."""
    with PtyApp([sys.executable, "-m", "frontdesk.cli", *args]) as app:
        assert app.proc is not None
        code = app.proc.wait(TIMEOUT_S)
        app.wait_quiet(0.3)  # the last bytes, read after the process ended
        written = bytes(app.out)
    assert code == 2, plain(written)[-500:]
    drawn, left, after = written.rpartition(LEAVE_ALTERNATE_SCREEN)
    assert left, plain(written)[-500:]
    assert "Sign in" in plain(drawn)  # the first frame came before the check
    lines = [line for line in plain(after).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("frontdesk: error: "), lines
    assert needle in lines[0].lower(), lines[0]


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


@needs_pty
def test_a_new_store_is_not_given_a_currency_nobody_chose(tmp_path: Path) -> None:
    """House rule 12: nothing defaults to GBP; the operator says the store's pair."""
    url = _url(tmp_path / "new.db")
    with pytest.raises(ValidationError, match="--currency GBP --locale en_GB"):
        asyncio.run(prepare(url))
    assert_tui_ends_in_one_line("--database", url, needle="needs its currency and locale")


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


@needs_pty
def test_the_tui_on_a_database_from_a_newer_version_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    assert run("db", "upgrade", "--database", _url(path)).returncode == 0
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    assert_tui_ends_in_one_line("--database", _url(path), needle="newer frontdesk")


@needs_pty
def test_the_tui_on_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("this is a shopping list, not a database\n" * 50)
    assert_tui_ends_in_one_line(
        "--database", _url(junk), needle="not a frontdesk (sqlite) database"
    )


def test_an_empty_database_asked_for_the_demo_is_to_be_seeded(tmp_path: Path) -> None:
    assert asyncio.run(prepare(_url(tmp_path / "x.db"), demo=True)) == "seed"


def test_the_start_check_runs_on_the_desk_s_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One engine per start (issue 19): the check used to make, connect and dispose one
    # of its own (a dialect set up and a connection's PRAGMAs twice) before the desk's.
    import frontdesk.db.engine as engines
    from frontdesk import cli
    from screens.start import StartCheck
    from tests.cli.demo_db import run_start_check

    made: list[str] = []
    from sqlalchemy.ext.asyncio import create_async_engine as real

    def counted(url: str, **kwargs: Any) -> AsyncEngine:
        made.append(url)
        return real(url, **kwargs)

    def run_app(url: str, *, terminal: str, check: StartCheck | None = None) -> int:
        assert check is not None
        run_start_check(url, terminal, check)
        return 0

    monkeypatch.setattr(engines, "create_async_engine", counted)
    monkeypatch.setattr("screens.app.run_app", run_app)
    url = _url(tmp_path / "salon.db")
    assert cli.main(["--database", url, "--currency", "GBP", "--locale", "en_GB"]) == 0
    assert made == [url]  # the desk's, migrated and given its store by the check
    assert asyncio.run(_location_names(url))  # and it was: the store can open
