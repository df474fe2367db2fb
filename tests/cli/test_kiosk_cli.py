"""`frontdesk kiosk`: its arguments, and a location it does not know (one line, exit 2,
naming the locations there are), before any screen is drawn."""

from __future__ import annotations

import pytest

from frontdesk.cli import main
from frontdesk.db.engine import create_engine
from frontdesk.services.context import ServiceContext
from tests.services.factories import make_location, make_store


async def _store(url: str) -> None:
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        await make_store(ctx)
        await make_location(ctx, name="Marylebone")
        await make_location(ctx, name="Shoreditch")
    finally:
        await ctx.dispose()


def test_the_location_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["kiosk"])
    assert exited.value.code == 2
    assert "--location" in capsys.readouterr().err


def test_an_unknown_location_is_one_line_naming_the_locations(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    asyncio.run(_store(sqlite_url))
    assert main(["kiosk", "--database", sqlite_url, "--location", "Soho"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "frontdesk: error: No location named 'Soho'; the locations are: Marylebone, Shoreditch"
    ]


def test_a_kiosk_terminal_name_says_kiosk_and_is_never_cut(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    long_name = "x" * 80
    assert (
        main(["--terminal", long_name, "kiosk", "--database", sqlite_url, "--location", "A"]) == 2
    )
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "kept to 74 characters" in line
