"""Nothing the first screen does not need is imported before it shows (issue 19).

A fresh interpreter runs the real `frontdesk` command on a small demo database,
headless at 80x24, and lists what it had imported at two moments: when the sign-in
screen is first drawn (Textual and that screen only: no SQLAlchemy, no drivers, no
services, database layer or read models; the schema check and the desk come after it,
in the app's start worker), and when sign-in works (the staff list is in). The profile,
the till, reports, setup and search screens, Alembic (a current schema needs no
migration), the web server and the test tools are not among either: each is paid for
when it is first used. A count of modules, not a timing, so the test says the same on a
busy machine.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.demo_db import build_demo, url_of

# Runs `frontdesk --database URL` (the CLI's own path: parse, build the app, which checks
# the schema in its start worker) with App.run made headless. `App._display` is where
# Textual hands a screen's frame to the terminal: the first one of the sign-in screen
# records the modules then loaded. Once the staff list is in, prints both lists and the
# locales whose babel data was read, as JSON, and quits.
PROBE = """
import faulthandler, gc, json, sys, time
import textual.app

faulthandler.dump_traceback_later(200, exit=True)  # a hang prints where, then ends

real_run = textual.app.App.run
real_display = textual.app.App._display
first_frame = []

def display(self, screen, renderable):
    if not first_frame and type(screen).__name__ == "SignInScreen":
        first_frame.append(sorted(sys.modules))
    return real_display(self, screen, renderable)

def headless(self, *args, **kwargs):
    async def until_sign_in_works(pilot):
        given_up = time.monotonic() + 180
        while not (
            type(pilot.app.screen).__name__ == "SignInScreen"
            and pilot.app.screen.desk is not None
            and pilot.app.screen.roster
        ):
            if time.monotonic() > given_up:  # say what shows instead of hanging
                print("no sign-in; showing:", pilot.app.screen.query("Static").first().content)
                pilot.app.exit(1)
                return
            await pilot.pause(0.01)
        localedata = sys.modules.get("babel.localedata")
        locales = sorted(localedata._cache) if localedata is not None else []
        seen = {"first_frame": first_frame[0], "modules": sorted(sys.modules)}
        print(json.dumps({**seen, "locales": locales, "frozen": gc.get_freeze_count()}))
        pilot.app.exit(0)

    return real_run(self, headless=True, size=(80, 24), auto_pilot=until_sign_in_works)

textual.app.App._display = display
textual.app.App.run = headless
from frontdesk.cli import main
raise SystemExit(main(sys.argv[1:]))
"""

# Drawn before any of these: the sign-in screen's first frame is Textual and the screen.
NOT_IN_THE_FIRST_FRAME = (
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "sqlite3",
    "pydantic",
    "argon2",
    "frontdesk.db",
    "frontdesk.services",
    "frontdesk.views",
    "screens.widgets.live",
    "screens.widgets.picker",
)

NOT_BEFORE_THE_FIRST_SCREEN = (
    "alembic",
    "screens.profile",
    "screens.profile_tabs",
    "screens.ticket",
    "screens.reports",
    "screens.search",
    "screens.setup_hub",
    "screens.setup_store",
    "screens.setup_locations",
    "screens.setup_staff",
    "screens.catalogue_setup",
    "screens.plan_editor",
    "screens.plans",
    "screens.schedule",
    "screens.appointment",
    "frontdesk.services.checkout",
    "frontdesk.services.profile",
    "frontdesk.services.reports",
    "frontdesk.services.renewals",
    "frontdesk.migrations",
    # Tables start-up and the schedule do not read: imported with their first use
    # (frontdesk/db/tables/__init__.py), and with them the PostgreSQL dialect.
    "frontdesk.db.tables.outbox",
    "frontdesk.db.tables.promotions",
    "frontdesk.db.tables.profile",
    "frontdesk.db.tables.drawer",
    "frontdesk.db.tables.renewals",
    "frontdesk.db.tables.open_tickets",
    "frontdesk.db.tables.check_ins",
    "frontdesk.db.tables.till",  # and with it the ledger (the services' Actor is apart)
    "frontdesk.db.ledger",
    "sqlalchemy.dialects.postgresql",
    "pydantic_settings",
    "textual_serve",
    "aiohttp",
    "hypothesis",
    "pytest",
)


@pytest.fixture(scope="module")
def at_first_screen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("startup") / "demo.db"
    asyncio.run(build_demo(path, clients=3))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FRONTDESK_", "TEXTUAL"))}
    # The probe's own imports (json, textual.app) are the app's anyway; no pytest here.
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--database", url_of(path), "--terminal", "probe"],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, done.stdout + done.stderr
    seen: dict[str, Any] = json.loads(lines[-1])
    return seen


@pytest.fixture
def loaded_at_first_screen(at_first_screen: dict[str, Any]) -> set[str]:
    return set(at_first_screen["modules"])


@pytest.fixture
def loaded_at_first_frame(at_first_screen: dict[str, Any]) -> set[str]:
    return set(at_first_screen["first_frame"])


def _under(loaded: set[str], name: str) -> list[str]:
    return sorted(m for m in loaded if m == name or m.startswith(f"{name}."))


def test_the_probe_sees_the_first_screen_s_own_modules(
    loaded_at_first_frame: set[str], loaded_at_first_screen: set[str]
) -> None:
    # Without these the lists below would pass for a probe that never started the app.
    assert {"screens.app", "screens.sign_in"} <= loaded_at_first_frame
    assert {"frontdesk.services.sign_in", "sqlalchemy"} <= loaded_at_first_screen


@pytest.mark.parametrize("name", NOT_IN_THE_FIRST_FRAME)
def test_not_imported_before_the_first_frame(loaded_at_first_frame: set[str], name: str) -> None:
    loaded = _under(loaded_at_first_frame, name)
    assert not loaded, f"{name} is imported before sign-in is first drawn: {loaded[:5]}"


@pytest.mark.parametrize("name", NOT_BEFORE_THE_FIRST_SCREEN)
def test_not_imported_before_the_first_screen(loaded_at_first_screen: set[str], name: str) -> None:
    loaded = _under(loaded_at_first_screen, name)
    assert not loaded, f"{name} is imported before sign-in works: {loaded[:5]}"


def test_the_garbage_collector_is_left_as_python_has_it(
    at_first_screen: dict[str, Any],
) -> None:
    # One start-up path, no collector tricks (issue 19): nothing frozen out of it.
    assert at_first_screen["frozen"] == 0


def test_sqlite_does_not_import_the_postgresql_driver(loaded_at_first_screen: set[str]) -> None:
    # The demo is SQLite: asyncpg is never used (nor SQLAlchemy's PostgreSQL dialect:
    # NOT_BEFORE_THE_FIRST_SCREEN).
    assert not _under(loaded_at_first_screen, "asyncpg")


def test_no_locale_data_is_read_before_the_first_amount(
    at_first_screen: dict[str, Any],
) -> None:
    # Sign-in shows no amount: babel's per-locale data waits for the first one drawn.
    assert at_first_screen["locales"] == []
