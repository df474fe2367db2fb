"""Settings from flags and the environment (FRONTDESK_*); defaults are in `paths`.

Two variables, read by hand: pydantic-settings cost every start about as much to import
as the sign-in screen itself (issue 19), for reading two strings. Names are matched
without regard to case, as pydantic-settings did."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

PREFIX = "FRONTDESK_"


def _env(name: str) -> str | None:
    wanted = f"{PREFIX}{name}".lower()
    for key, value in os.environ.items():
        if key.lower() == wanted:
            return value
    return None


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str | None = field(default_factory=lambda: _env("DATABASE_URL"))
    terminal: str | None = field(default_factory=lambda: _env("TERMINAL"))
