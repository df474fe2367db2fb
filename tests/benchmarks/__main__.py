"""`python -m tests.benchmarks`: every row of issue 19's table against its baseline, in
one run, A/B interleaved; prints min / median / max and the ratio, writes JSON.

    python -m tests.benchmarks [--rounds N] [--quick] [--only ROW ...] [--json PATH]

PostgreSQL rows run when FRONTDESK_TEST_DATABASE_URL is set; that database is WIPED (and
a second one, fd_bench_raw, is made beside it). See tests/benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import sys
import time
from pathlib import Path

from tests.benchmarks.harness import Figure, table, write_json
from tests.benchmarks.options import Options

# Each row is a module in tests/benchmarks/rows with `run(Options) -> list[Figure]`.
ROWS = ("launch", "profile", "search", "writes", "memory", "idle")
DEFAULT_JSON = Path(__file__).with_name("results") / "latest.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="A/B rounds per row (5)")
    parser.add_argument("--quick", action="store_true", help="3 rounds, smaller work: a smoke")
    parser.add_argument("--only", action="append", choices=ROWS, help="run this row (repeat)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"({DEFAULT_JSON})")
    args = parser.parse_args(argv)
    rounds = 3 if args.quick and args.rounds == 5 else args.rounds
    opts = Options(
        rounds=max(1, rounds),
        quick=args.quick,
        pg_url=os.environ.get("FRONTDESK_TEST_DATABASE_URL"),
        venv_bin=Path(sys.executable).parent,
    )
    os.environ.pop("TMUX", None)  # detached sessions of our own, even inside tmux
    if opts.pg_url is None:
        print("(PostgreSQL rows skipped: set FRONTDESK_TEST_DATABASE_URL to include them)")
    figures: list[Figure] = []
    failed: list[str] = []
    started = time.perf_counter()
    for name in args.only or ROWS:
        print(f"[{name}] …", flush=True)
        t0 = time.perf_counter()
        try:
            module = importlib.import_module(f"tests.benchmarks.rows.{name}")
            figures += module.run(opts)
        except Exception as exc:  # one broken row must not hide the others' figures
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
            print(f"[{name}] FAILED: {type(exc).__name__}: {exc}", flush=True)
        print(f"[{name}] {time.perf_counter() - t0:.0f} s", flush=True)
    print()
    print(table(figures))
    load = os.getloadavg()
    meta = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "rounds": opts.rounds,
        "quick": opts.quick,
        "postgresql": opts.pg_url is not None,
        "load_average": load,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "seconds": round(time.perf_counter() - started, 1),
        "failed_rows": failed,
    }
    write_json(args.json, figures, meta)
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; JSON: {args.json}")
    for line in failed:
        print(f"row failed: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
