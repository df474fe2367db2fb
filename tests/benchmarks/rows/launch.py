"""Launch → today's rows at 80x24, and launch → first frame, against the bare app.

Real processes in tmux (walk.py): ours is `frontdesk --demo` on a demo database made
before the first round (a later start), signed in as the demo owner as soon as the
sign-in list shows (typing `1`, Enter, `1111`, Enter), until a schedule status is on
screen; the bare app until its first row is. The order of the two swaps every round.
"""

from __future__ import annotations

from tests.benchmarks.harness import Figure, Goal, interleaved
from tests.benchmarks.options import Options
from tests.benchmarks.walk import check_tmux, demo_home, prepare, walk_bare, walk_ours

NAME = "launch"


def run(opts: Options) -> list[Figure]:
    check_tmux()
    with demo_home() as home:
        prepare(opts, home)
        a, b = interleaved(opts.rounds, lambda: walk_ours(opts, home, opens=0), walk_bare)
    return [
        Figure(
            "launch → today's rows (with sign-in)",
            "s",
            [w.rows_s for w in a],
            [w.rows_s for w in b],
            "bare app",
            Goal("ratio_max", 2.5),
        ),
        Figure(
            "launch → first frame",
            "s",
            [w.first_frame_s for w in a],
            [w.first_frame_s for w in b],
            "bare app",
            Goal("ratio_max", 1.5),
        ),
    ]
