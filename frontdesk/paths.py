"""Where frontdesk keeps its data and how a terminal is named: platform defaults.

Kept apart from `config` (pydantic-settings) so the CLI can find the demo database and
start building it before it pays for importing pydantic.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from platformdirs import user_data_path


def data_dir() -> Path:
    return user_data_path("frontdesk", appauthor=False)


SQLITE_PREFIX = "sqlite+aiosqlite:///"


def sqlite_url(path: Path) -> str:
    return f"{SQLITE_PREFIX}{path}"


def default_database_url() -> str:
    return sqlite_url(data_dir() / "frontdesk.db")


def demo_database_path() -> Path:
    return data_dir() / "demo.db"


def demo_database_url() -> str:
    return sqlite_url(demo_database_path())


def default_terminal() -> str:
    """Host name plus tty, so two desks on one server are told apart in the ledger."""
    host = socket.gethostname() or "localhost"
    tty = ""
    try:
        if sys.stdin.isatty():
            tty = os.ttyname(sys.stdin.fileno()).removeprefix("/dev/")
    except OSError:
        tty = ""
    return f"{host}:{tty}" if tty else host
