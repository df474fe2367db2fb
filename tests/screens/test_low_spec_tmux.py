"""Issue 18, item 4, the must-show: under TERM=linux and TERM=vt100 the real app (tmux,
80x24) draws only characters those terminals have, in the 16 ANSI colours, on the
schedule, a client's profile, the add-on picker and the ticket. Skips, saying why, when
tmux is not installed (.ci/run installs it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from screens.terminal_caps import ASCII, LINUX
from tests.screens.low_spec_captures import SCREENS, SGR, capture

# SGR parameters of the 16 colours and the attributes every terminal has (bold, dim,
# italic, underline, blink, reverse, their resets); no 38/48 (256 or RGB colours).
SIXTEEN = {
    *range(0, 10),
    *range(21, 30),
    *range(30, 38),
    39,
    *range(40, 48),
    49,
    *range(90, 98),
    *range(100, 108),
}


def _strangers(screen: str, allowed: frozenset[str]) -> list[tuple[int, int, str]]:
    return [
        (row, col, char)
        for row, line in enumerate(screen.splitlines())
        for col, char in enumerate(line)
        if char not in allowed
    ]


def _colour_codes(screen: str) -> set[str]:
    """Every SGR parameter tmux holds for the screen (an empty one means reset)."""
    codes: set[str] = set()
    for match in SGR.finditer(screen):
        codes.update(match.group(1).replace(":", ";").split(";"))
    return codes


@pytest.mark.parametrize(("term", "allowed"), [("linux", LINUX), ("vt100", ASCII)])
def test_every_character_on_screen_is_one_the_terminal_has(
    term: str, allowed: frozenset[str], tmp_path: Path
) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: the real-terminal test of low-spec TERMs needs it")
    shots = capture(term, tmp_path)
    for name in SCREENS:
        screen = shots.plain[name]
        assert _strangers(screen, allowed) == [], f"{term} {name}:\n{screen}"
        codes = {code for code in _colour_codes(shots.styled[name]) if code}
        assert {int(code) for code in codes} <= SIXTEEN, f"{term} {name}: {sorted(codes)}"
        assert "5" not in codes, f"{term} {name} blinks"
    # Amounts keep their currency as its ISO code where the symbol is not drawable.
    assert "GBP " in shots.plain["profile"] and "Total due" in shots.plain["ticket"]
    assert "GBP " in shots.plain["ticket"] and "GBP " in shots.plain["picker"]
    if term == "linux":  # the console's own box drawing, not ASCII's +--+
        assert "┌" in shots.plain["picker"] or "┌" in shots.plain["ticket"]
