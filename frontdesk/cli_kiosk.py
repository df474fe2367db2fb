"""`frontdesk kiosk --location L`: the client kiosk (issue 18, item 1).

The same start-up checks as the front desk (`startup.prepare`: schema, store, a demo
built if asked for), the location found by name before anything is drawn, then the
kiosk app; Textual is imported only then.
"""

from __future__ import annotations

import argparse
import asyncio

from frontdesk import startup
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.terminal import TERMINAL_MAX
from frontdesk.log_file import keep_logs_off_the_terminal
from frontdesk.paths import data_dir, demo_database_path, demo_database_url

KIOSK_PREFIX = "kiosk "


def add_kiosk_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    kiosk = sub.add_parser(
        "kiosk",
        parents=[common],
        help="the client kiosk at one location: check-in, own balances, the monthly benefit",
    )
    kiosk.add_argument(
        "--location", required=True, metavar="NAME", help="the location's name (any case)"
    )
    # SUPPRESS: `frontdesk --demo kiosk ...` keeps the --demo given before the command.
    kiosk.add_argument(
        "--demo", action="store_true", default=argparse.SUPPRESS, help="on the demo database"
    )


def kiosk_terminal(terminal: str) -> str:
    """Every write the kiosk makes says it came from the kiosk: "kiosk <terminal>"."""
    name = KIOSK_PREFIX + terminal
    if len(name) > TERMINAL_MAX:
        room = TERMINAL_MAX - len(KIOSK_PREFIX)
        raise ValidationError(
            "terminal",
            f"A kiosk's terminal name is kept to {room} characters (now {len(terminal)})",
        )
    return name


async def _check_location(url: str, terminal: str, location: str) -> str:
    from frontdesk.services.kiosk import Kiosk

    kiosk = await Kiosk.at(url, terminal=terminal, location=location)
    await kiosk.close()
    return kiosk.location_name


def _prepare(args: argparse.Namespace, url: str) -> None:
    """Schema and store as the TUI checks them; a demo not yet built is built first."""
    own_demo = bool(args.demo and not args.database)
    prepared = asyncio.run(startup.prepare(url, demo=bool(args.demo), own_demo=own_demo))
    if prepared == "ready":
        return
    if prepared == "rebuild":
        startup.remove_sqlite(demo_database_path())
    setup = startup.start_demo_setup(url)
    failure = setup.wait()
    if failure is not None:
        from frontdesk.demo.firstrun import DemoSetupFailed

        raise DemoSetupFailed(failure)


def run_kiosk(args: argparse.Namespace, url: str, terminal: str) -> int:
    if args.demo and not args.database:
        url = demo_database_url()
        demo_database_path().parent.mkdir(parents=True, exist_ok=True)
    terminal = kiosk_terminal(terminal)
    _prepare(args, url)
    location = asyncio.run(_check_location(url, terminal, args.location))
    keep_logs_off_the_terminal(data_dir())
    from screens.kiosk.app import run_kiosk_app  # Textual is paid for only here.

    return run_kiosk_app(url, terminal=terminal, location=location)
