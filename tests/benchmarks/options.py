"""What every row is given: how many rounds, quick or not, and where PostgreSQL is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    rounds: int
    quick: bool
    pg_url: str | None  # None: the PostgreSQL figures are skipped (and say so)
    venv_bin: Path  # where `frontdesk` and `python` of this checkout live
