"""The house's own shape: no module of the product over 500 lines.

A module that grows past that holds several use cases; split it by use case (a package
per area with a thin `__init__`) before it doubles. Migrations are history, not code
anyone edits, so they are left out.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 500


def _modules() -> list[Path]:
    found = [p for pkg in ("frontdesk", "screens") for p in (ROOT / pkg).rglob("*.py")]
    return [p for p in found if "versions" not in p.relative_to(ROOT).parts]


def test_there_are_modules_to_measure() -> None:
    assert len(_modules()) > 50


def test_no_module_is_over_500_lines() -> None:
    too_long = {
        str(p.relative_to(ROOT)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}
