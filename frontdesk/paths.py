"""Where frontdesk keeps its data and how a terminal is named: platform defaults.

Kept apart from `config` (pydantic-settings) so the CLI can find the demo database and
start building it before it pays for importing pydantic.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_data_path


def data_dir() -> Path:
    return user_data_path("frontdesk", appauthor=False)


SQLITE_PREFIX = "sqlite+aiosqlite:///"


def sqlite_url(path: Path) -> str:
    return f"{SQLITE_PREFIX}{path}"


def sqlite_folder(url: str) -> Path | None:
    """The folder of a plain SQLite database path, to make before its first open. None
    for anything else: another engine, a `file:` URI or a URL with options
    (`...?mode=ro&uri=true` opens a database that exists, and must leave nothing
    behind: its "parent" would be a stray `file:` folder in the working directory)."""
    if not url.startswith(SQLITE_PREFIX):
        return None
    path = url[len(SQLITE_PREFIX) :]
    if "?" in path or path.startswith("file:"):
        return None
    return Path(path).expanduser().parent


def default_database_url() -> str:
    return sqlite_url(data_dir() / "frontdesk.db")


def demo_database_path() -> Path:
    return data_dir() / "demo.db"


def demo_database_url() -> str:
    return sqlite_url(demo_database_path())


def terminal_name(given: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The name recorded on every write: `given` (--terminal, FRONTDESK_TERMINAL) or
    host:tty (so two desks on one server are told apart), checked, and over SSH followed
    by the client's address; a name that breaks the rule is a ValidationError."""
    from frontdesk.domain.terminal import ssh_client
    from frontdesk.domain.terminal import terminal_name as named

    host = socket.gethostname()
    tty = ""
    try:
        if sys.stdin is not None and sys.stdin.isatty():
            tty = os.ttyname(sys.stdin.fileno()).removeprefix("/dev/")
    except (OSError, ValueError):  # ValueError: stdin closed
        tty = ""
    return named(
        given, host=host, tty=tty, ssh_from=ssh_client(os.environ if environ is None else environ)
    )
