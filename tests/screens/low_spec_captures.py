"""The real app in a real terminal (tmux at 80x24) under a low-spec ``TERM`` (issue 18,
item 4): signs in and captures the schedule, a client's profile, the add-on picker and
the ticket, as a person would reach them.

``tests/screens/test_low_spec_tmux.py`` checks the captures character by character;
``python -m tests.screens.low_spec_captures`` writes them to ``tests/snapshots/low_spec/``
for a reviewer (they hold today's date, so they are not compared in tests).
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.cli.demo_db import build_demo, url_of

TIMEOUT_S = 60.0  # a loaded 2-core CI machine starts the app slowly
POLL_S = 0.1
SCREENS = ("schedule", "profile", "picker", "ticket")
CLIENT = "Amelia Hart"  # the demo's client with banked Botox and a booking today
OUT = Path(__file__).resolve().parent.parent / "snapshots" / "low_spec"
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


@dataclass(frozen=True)
class Captures:
    term: str
    plain: dict[str, str]  # capture-pane -p: the characters on screen
    styled: dict[str, str]  # capture-pane -p -e: with the SGR codes tmux holds


def _frontdesk() -> str:
    script = Path(sys.executable).with_name("frontdesk")
    return str(script) if script.exists() else f"{sys.executable} -m frontdesk.cli"


class Tmux:
    """A tmux server of our own (its own socket): no other session is seen or touched."""

    def __init__(self, name: str) -> None:
        self.socket = f"fd-{name}-{os.getpid()}"

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return done.stdout

    def screen(self, *flags: str) -> str:
        return self("capture-pane", "-p", *flags, "-t", "app")

    def keys(self, *keys: str) -> None:
        self("send-keys", "-t", "app", *keys)

    def wait_for(self, what: str, ok: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            screen = self.screen()
            if ok(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} after {TIMEOUT_S:.0f} s; the screen:\n{screen}")
            time.sleep(POLL_S)

    def close(self) -> None:
        self("kill-server")


def _cursor_line(tmux: Tmux) -> str:
    """The schedule's row under the cursor: the one drawn in reverse video (low-spec
    terminals show the cursor so, styles/app.tcss), "" while none is."""
    for line in tmux.screen("-e").splitlines():
        codes = {c for m in SGR.finditer(line) for c in m.group(1).split(";")}
        if "7" in codes and re.search(r"\d\d:\d\d-\d\d:\d\d", line):
            return SGR.sub("", line)
    return ""


def _cursor_to(tmux: Tmux, text: str) -> None:
    """Down, one row at a time (each seen to land), until the cursor is on ``text``."""
    deadline = time.monotonic() + TIMEOUT_S
    while text not in (line := _cursor_line(tmux)):
        if time.monotonic() > deadline:
            raise AssertionError(f"the cursor never reached {text!r}:\n{tmux.screen()}")
        if not line:
            time.sleep(POLL_S)
            continue
        tmux.keys("Down")
        while _cursor_line(tmux) in (line, "") and time.monotonic() < deadline:
            time.sleep(POLL_S)


def capture(term: str, workdir: Path) -> Captures:
    """Run the demo under ``TERM=term`` and capture the four screens."""
    path = workdir / "demo.db"
    asyncio.run(build_demo(path))
    # COLORTERM=truecolor as a terminal emulator would pass it on: TERM must still win.
    command = (
        f"env TERM={term} COLORTERM=truecolor XDG_DATA_HOME={workdir / 'xdg'} "
        f"{_frontdesk()} --database {url_of(path)}; sleep 60"
    )
    tmux = Tmux(f"low-{term}")
    plain: dict[str, str] = {}
    styled: dict[str, str] = {}

    def keep(name: str, screen: str) -> None:
        plain[name] = screen
        styled[name] = tmux.screen("-e")

    try:
        tmux("new-session", "-d", "-s", "app", "-x", "80", "-y", "24", command)
        tmux.wait_for("sign-in list", lambda s: "Olivia Bennett" in s)
        # Number, Enter, PIN, Enter in one burst, as staff type it (the sign-in screen
        # moves the focus before the PIN's first digit lands).
        tmux.keys("1", "Enter", "1111", "Enter")
        schedule = tmux.wait_for(
            "today's schedule", lambda s: "appointments" in s and CLIENT in s and "Status" in s
        )
        keep("schedule", schedule)

        tmux.keys("/")
        tmux.wait_for("search box", lambda s: "Find a client" in s)
        tmux("send-keys", "-t", "app", "-l", "Amelia")
        tmux.wait_for("the client in the results", lambda s: s.count(CLIENT) >= 2)
        tmux.keys("Enter")
        profile = tmux.wait_for(
            "the client's profile",
            lambda s: "Client Balances" in s and "Loading" not in s and "Find a" not in s,
        )
        keep("profile", profile)

        tmux.keys("Escape")
        tmux.wait_for("the schedule again", lambda s: "Status" in s)
        _cursor_to(tmux, CLIENT)
        tmux.keys("Enter")
        tmux.wait_for("the appointment", lambda s: "Appointment" in s and CLIENT in s)
        tmux.keys("a")
        picker = tmux.wait_for("the add-on picker", lambda s: "CLIENT OWNS" in s and "BUY NEW" in s)
        keep("picker", picker)

        tmux.keys("Escape")
        tmux.wait_for("the appointment again", lambda s: "CLIENT OWNS" not in s)
        tmux.keys("c")
        ticket = tmux.wait_for(
            "the ticket", lambda s: "Total due" in s and "Loading" not in s and CLIENT in s
        )
        keep("ticket", ticket)
    finally:
        tmux.close()
    return Captures(term, plain, styled)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for term in ("linux", "vt100"):
        with tempfile.TemporaryDirectory() as tmp:
            shots = capture(term, Path(tmp))
        for name in SCREENS:
            (OUT / f"{term}-{name}.txt").write_text(shots.plain[name], encoding="utf-8")
            print(f"wrote {OUT / f'{term}-{name}.txt'}")


if __name__ == "__main__":
    main()
