"""Enter on a search hit → the profile's header and balances; `7` → the Account tab's
first rows. tmux polling of the real process (walk.py), every 10 ms, at 80x24 on the
demo: from the Enter (or `7`) until the words are on screen. No baseline: the goals
are absolute (≤ 250 ms, ≤ 150 ms). Each round is one start; its profile figure is the
median of three opens of the same client (the first one imports the profile screen)."""

from __future__ import annotations

import statistics

from tests.benchmarks.harness import Figure, Goal
from tests.benchmarks.options import Options
from tests.benchmarks.walk import check_tmux, demo_home, prepare, walk_ours

NAME = "profile"


def run(opts: Options) -> list[Figure]:
    check_tmux()
    with demo_home() as home:
        prepare(opts, home)
        walks = [walk_ours(opts, home, opens=3) for _ in range(opts.rounds)]
    return [
        Figure(
            "Enter on a hit → profile balances shown",
            "s",
            [statistics.median(w.profile_s) for w in walks],
            goal=Goal("max", 0.25),
            note="first opens: " + ", ".join(f"{w.profile_s[0]:.2f}" for w in walks) + " s",
        ),
        Figure(
            "`7` → Account tab first rows",
            "s",
            [w.account_s for w in walks],
            goal=Goal("max", 0.15),
        ),
    ]
