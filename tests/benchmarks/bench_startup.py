"""`frontdesk --demo` start-up: seconds from launch until sign-in is usable (the staff
list shows), and from the PIN's Enter until today's rows are on screen.

Run from the project root (not collected by pytest; needs tmux):

    python -m tests.benchmarks.bench_startup [--runs N] [--write-baseline]

Each run starts `frontdesk --demo` in a detached tmux session at 80x24 with its own data
folder and polls the screen (`tmux capture-pane`) until the sign-in list shows the owner,
then signs in as the demo owner (1, PIN 1111 — README) and polls until a schedule status
shows. "first" runs start with no demo database (it is migrated and seeded while the
app starts); "later" runs reuse it. The baseline's "first"/"later" are launch to the
first usable screen (the schedule before issue 13, sign-in since). See README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = Path(__file__).with_name("baseline_startup.json")
GOAL_S = 2.0
ROWS_SHOWN = ("Booked", "Completed", "Checked in", "No-show")
SIGN_IN_SHOWN = "Olivia Bennett"  # the demo owner, first in the sign-in list
TIMEOUT_S = 20.0
POLL_S = 0.05
SESSION = "frontdesk-bench-startup"


def frontdesk_command() -> list[str]:
    script = Path(sys.executable).with_name("frontdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "frontdesk.cli"]


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def wait_for(words: tuple[str, ...], started: float, what: str) -> float:
    while not any(word in tmux("capture-pane", "-p", "-t", SESSION) for word in words):
        if time.perf_counter() - started > TIMEOUT_S:
            screen = tmux("capture-pane", "-p", "-t", SESSION)
            raise SystemExit(f"no {what} after {TIMEOUT_S:.0f} s:\n{screen}")
        time.sleep(POLL_S)
    return time.perf_counter() - started


def one_start(data_home: Path) -> tuple[float, float]:
    """Seconds until sign-in is usable, and from the PIN's Enter until rows show; the app
    is then quit with `q` (it must exit 0)."""
    tmux("kill-session", "-t", SESSION)
    command = " ".join(
        [
            "env",
            "-u",
            "PYTHONDONTWRITEBYTECODE",  # what a user's shell has: bytecode is cached
            f"XDG_DATA_HOME={data_home}",
            *frontdesk_command(),
            "--demo;",
            "echo",
            "EXIT=$?;",
            "sleep",
            "30",
        ]
    )
    started = time.perf_counter()
    tmux("new-session", "-d", "-s", SESSION, "-x", "80", "-y", "24", command)
    try:
        seconds = wait_for((SIGN_IN_SHOWN,), started, "sign-in list")
        tmux("send-keys", "-t", SESSION, "1", "Enter")
        tmux("send-keys", "-t", SESSION, "1111")
        entered = time.perf_counter()
        tmux("send-keys", "-t", SESSION, "Enter")
        signed_in = wait_for(ROWS_SHOWN, entered, "schedule rows")
        tmux("send-keys", "-t", SESSION, "q")
        deadline = time.perf_counter() + 10
        while "EXIT=" not in (screen := tmux("capture-pane", "-p", "-t", SESSION)):
            if time.perf_counter() > deadline:
                raise SystemExit("q did not quit within 10 s")
            time.sleep(POLL_S)
        if "EXIT=0" not in screen:
            raise SystemExit(f"frontdesk did not exit 0:\n{screen}")
        return seconds, signed_in
    finally:
        tmux("kill-session", "-t", SESSION)


def measure(runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"first": [], "later": [], "sign-in": []}
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as tmp:
        data_home = Path(tmp)
        for kind in ("first", "later"):
            for _ in range(runs):
                if kind == "first":
                    shutil.rmtree(data_home / "frontdesk", ignore_errors=True)
                usable, signed_in = one_start(data_home)
                times[kind].append(usable)
                times["sign-in"].append(signed_in)
    return times


def summary(values: list[float]) -> dict[str, float]:
    return {
        "min_s": round(min(values), 2),
        "median_s": round(statistics.median(values), 2),
        "max_s": round(max(values), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="starts of each kind (10)")
    parser.add_argument("--write-baseline", action="store_true")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("bench_startup needs tmux", file=sys.stderr)
        return 2
    print(f"{' '.join(frontdesk_command())} --demo, tmux 80x24, {args.runs} runs each")
    results = {kind: summary(values) for kind, values in measure(args.runs).items()}
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    print(f"{'start':<8} {'min s':>6} {'median s':>9} {'max s':>6} {'baseline med':>13} ratio")
    for kind, numbers in results.items():
        base = baseline.get(kind, {}).get("median_s")
        ratio = f"{numbers['median_s'] / base:.2f}" if base else "-"
        print(
            f"{kind:<8} {numbers['min_s']:>6.2f} {numbers['median_s']:>9.2f} "
            f"{numbers['max_s']:>6.2f} {base if base else '-':>13} {ratio}"
        )
    if args.write_baseline:
        BASELINE.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
        print(f"wrote {BASELINE}")
    missed = [kind for kind, n in results.items() if n["median_s"] >= GOAL_S]
    if missed:
        print(f"goal missed (median < {GOAL_S} s): {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.environ.pop("TMUX", None)  # a detached session of its own, even inside tmux
    raise SystemExit(main())
