"""Settings from flags and the environment (FRONTDESK_*), with platform defaults."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from platformdirs import user_data_path
from pydantic_settings import BaseSettings, SettingsConfigDict


def data_dir() -> Path:
    return user_data_path("frontdesk", appauthor=False)


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def default_database_url() -> str:
    return sqlite_url(data_dir() / "frontdesk.db")


def demo_database_url() -> str:
    return sqlite_url(data_dir() / "demo.db")


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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRONTDESK_", extra="ignore")

    database_url: str | None = None
    terminal: str | None = None
