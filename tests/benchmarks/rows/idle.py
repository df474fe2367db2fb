"""Bytes written to the terminal per second while nobody types: on the schedule, with
the client search window open, and with a modal open (booking, `n`), against the bare
app showing its rows. The real process on a pty (pty_app.py) at 80x24: each screen is
given 2 s to settle (its loading state done), then its output is counted for 5 s (3 s
with --quick). Rounds interleave ours and the bare app."""

from __future__ import annotations

import sys

from tests.benchmarks.bare_app import MARK
from tests.benchmarks.harness import Figure, Goal, interleaved
from tests.benchmarks.options import Options
from tests.benchmarks.pty_app import PtyApp, sign_in
from tests.benchmarks.terminal import frontdesk
from tests.benchmarks.walk import demo_home, prepare

NAME = "idle"
SETTLE_S = 2.0


def _ours(opts: Options, home: str, seconds: float) -> dict[str, float]:
    rates: dict[str, float] = {}
    with PtyApp([*frontdesk(opts.venv_bin), "--demo"], {"XDG_DATA_HOME": home}) as app:
        sign_in(app)
        rates["schedule"] = app.idle_rate(SETTLE_S, seconds, clock=True)
        app.step("/", "Find a client")
        rates["search window"] = app.idle_rate(SETTLE_S, seconds, clock=True)
        app.step("\x1b", "Booked")
        app.step("n", "New appointment")
        rates["modal (booking)"] = app.idle_rate(SETTLE_S, seconds, clock=True)
    return rates


def _bare(seconds: float) -> float:
    with PtyApp([sys.executable, "-m", "tests.benchmarks.bare_app"]) as app:
        app.wait_for(MARK)
        return app.idle_rate(SETTLE_S, seconds)


def run(opts: Options) -> list[Figure]:
    seconds = 3.0 if opts.quick else 5.0
    with demo_home() as home:
        prepare(opts, home)
        a, b = interleaved(
            opts.rounds, lambda: _ours(opts, str(home), seconds), lambda: _bare(seconds)
        )
    return [
        Figure(
            f"idle bytes to the terminal, {where}",
            "B/s",
            [r[where] for r in a],
            b,
            "bare app",
            Goal("max", 0),
        )
        for where in ("schedule", "search window", "modal (booking)")
    ]
