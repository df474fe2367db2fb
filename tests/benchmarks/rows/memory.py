"""RSS (VmRSS of the real process, /proc/<pid>/status) after the schedule, a profile and
its Account tab, against the bare app showing its rows; then growth over N more profile
opens (100; 20 with --quick) in the same process. Rounds interleave ours and the bare app."""

from __future__ import annotations

from tests.benchmarks.harness import Figure, Goal, interleaved
from tests.benchmarks.options import Options
from tests.benchmarks.walk import check_tmux, demo_home, prepare, walk_bare, walk_ours

NAME = "memory"
WARM_UP = 20


def run(opts: Options) -> list[Figure]:
    check_tmux()
    opens = 20 if opts.quick else 100
    with demo_home() as home:
        prepare(opts, home)
        # The growth walk is long: once, after the interleaved rounds.
        a, b = interleaved(opts.rounds, lambda: walk_ours(opts, home, opens=1), walk_bare)
        grown = walk_ours(opts, home, opens=1, growth=opens)
    bare = [w.rss_mb["bare"] for w in b]
    figures = [
        Figure(
            f"RSS after {where}",
            "MB",
            [w.rss_mb[key] for w in a],
            bare,
            "bare app",
            Goal("ratio_max", 2.2) if key == "account" else None,
        )
        for where, key in (
            ("schedule", "schedule"),
            ("profile", "profile"),
            ("schedule + profile + Account tab", "account"),
        )
    ]
    start = grown.rss_mb["account"]
    samples = " ".join(f"{n}:{mb:.1f}" for n, mb in grown.growth_mb)
    figures.append(
        Figure(
            f"RSS growth over {opens} profile opens",
            "MB",
            [grown.rss_mb["after opens"] - start],
            goal=Goal("max", 1.0),
            note=f"{start:.1f} → {grown.rss_mb['after opens']:.1f} MB; "
            "goal: no growth (≤ 1 MB allowed for noise)",
        )
    )
    # Where the growth happens: RSS every 10 opens, and what the opens after the first
    # WARM_UP add (bounded caches filling show as early growth that then stays flat).
    warm = next((mb for n, mb in grown.growth_mb if n == WARM_UP), None)
    if warm is not None and opens > WARM_UP:
        figures.append(
            Figure(
                f"RSS growth, opens {WARM_UP + 1}-{opens}",
                "MB",
                [grown.rss_mb["after opens"] - warm],
                goal=Goal("max", 1.0),
                note=f"RSS (opens:MB) {samples}",
            )
        )
    return figures
