"""Nothing the first screen does not need is imported before it shows (issue 19).

A fresh interpreter runs the real `frontdesk` command on a small demo database,
headless at 80x24, up to the sign-in screen, and lists what it imported by then. The
profile, the till, reports, setup and search screens, Alembic (a current schema needs
no migration), the web server and the test tools must not be among them: each is paid
for when it is first used, not by everybody who only signs in. A count of modules, not
a timing, so the test says the same on a busy machine.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.demo_db import build_demo, url_of

# Runs `frontdesk --database URL` (the CLI's own path: parse, check the schema, build the
# app) with App.run made headless; once the first screen (sign-in) is up, prints the
# modules then loaded and the locales whose babel data was read, as JSON, and quits.
PROBE = """
import json, sys, time
import textual.app

real_run = textual.app.App.run

def headless(self, *args, **kwargs):
    async def until_first_screen(pilot):
        given_up = time.monotonic() + 180
        while type(pilot.app.screen).__name__ != "SignInScreen":
            if time.monotonic() > given_up:  # say what shows instead of hanging
                print("no sign-in; showing:", pilot.app.screen.query("Static").first().content)
                pilot.app.exit(1)
                return
            await pilot.pause(0.01)
        localedata = sys.modules.get("babel.localedata")
        locales = sorted(localedata._cache) if localedata is not None else []
        print(json.dumps({"modules": sorted(sys.modules), "locales": locales}))
        pilot.app.exit(0)

    return real_run(self, headless=True, size=(80, 24), auto_pilot=until_first_screen)

textual.app.App.run = headless
from frontdesk.cli import main
raise SystemExit(main(sys.argv[1:]))
"""

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
    "pydantic_settings",
    "textual_serve",
    "aiohttp",
    "hypothesis",
    "pytest",
)


@pytest.fixture(scope="module")
def at_first_screen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
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
    seen: dict[str, list[str]] = json.loads(lines[-1])
    return seen


@pytest.fixture
def loaded_at_first_screen(at_first_screen: dict[str, list[str]]) -> set[str]:
    return set(at_first_screen["modules"])


def test_the_probe_sees_the_first_screen_s_own_modules(loaded_at_first_screen: set[str]) -> None:
    # Without these the list below would pass for a probe that never started the app.
    first_screen = {"screens.app", "screens.sign_in", "frontdesk.services.sign_in"}
    assert first_screen <= loaded_at_first_screen


@pytest.mark.parametrize("name", NOT_BEFORE_THE_FIRST_SCREEN)
def test_not_imported_before_the_first_screen(loaded_at_first_screen: set[str], name: str) -> None:
    loaded = sorted(m for m in loaded_at_first_screen if m == name or m.startswith(f"{name}."))
    assert not loaded, f"{name} is imported before the sign-in screen shows: {loaded[:5]}"


def test_no_locale_data_is_read_before_the_first_amount(
    at_first_screen: dict[str, list[str]],
) -> None:
    # Sign-in shows no amount: babel's per-locale data waits for the first one drawn.
    assert at_first_screen["locales"] == []
