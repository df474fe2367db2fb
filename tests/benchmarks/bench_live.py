"""Live updates: how long from another terminal's commit to this terminal's screen, and
what the change feed costs while nothing happens.

Run from the project root (not collected by pytest):

    python -m tests.benchmarks.bench_live [--runs N] [--idle SECONDS]
    FRONTDESK_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/fd_bench \\
        python -m tests.benchmarks.bench_live        # SQLite, then PostgreSQL

PostgreSQL: the database named is wiped (DROP SCHEMA public CASCADE) and migrated.
Two `FrontdeskApp`s (Pilot, 80x24), each with its own engine, as two terminals: desk-1
shows a client's profile; desk-2 charges the client's account through its services;
the time is from the service call's return (committed) until desk-1's header shows the
new "Owes" amount. Idle: statements the feed sent while nobody wrote, per minute.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.domain.write_keys import new_key
from frontdesk.services.changes import ChangeFeed
from tests.money import amount, money
from tests.screens.test_live_updates import (
    ALICE,
    SIZE,
    header_text,
    open_alice,
    salon_with_owner,
    terminal,
)


async def fresh(url: str) -> None:
    engine = create_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    await salon_with_owner(url)


async def latencies(url: str, runs: int) -> list[float]:
    a, b = terminal(url, "desk-1"), terminal(url, "desk-2")
    seen: list[float] = []
    async with a.run_test(size=SIZE) as pilot_a, b.run_test(size=SIZE):
        await open_alice(pilot_a, a)
        while b.member is None:
            await asyncio.sleep(0.05)
        for run in range(1, runs + 1):
            await asyncio.sleep(0.7)  # between polls at random: the wait is part of it
            await b.desk.balances.charge_account(ALICE, amount("1"), f"run {run}", key=new_key())
            committed = time.monotonic()
            expected = f"Owes {money(str(run))}"
            while expected not in header_text(a):
                await pilot_a.pause()
                if time.monotonic() - committed > 10:
                    raise AssertionError(f"not shown in 10 s: {expected}")
            seen.append(time.monotonic() - committed)
    return seen


async def idle_cost(url: str, seconds: float) -> float:
    feed = ChangeFeed(create_engine(url))

    async def pump() -> None:
        async for _change in feed.changes():
            pass

    task = asyncio.create_task(pump())
    try:
        await asyncio.wait_for(feed.ready.wait(), 10)
        before = feed.cost
        await asyncio.sleep(seconds)
        return (feed.cost - before) * 60 / seconds
    finally:
        task.cancel()
        await feed.aclose()
        await feed.engine.dispose()


async def bench(name: str, url: str, runs: int, idle: float) -> None:
    await fresh(url)
    seen = await latencies(url, runs)
    per_minute = await idle_cost(url, idle)
    ms = sorted(round(s * 1000) for s in seen)
    print(
        f"{name:<10} commit→screen median {statistics.median(ms):>4} ms "
        f"(min {ms[0]}, max {ms[-1]}, n={len(ms)}) · idle {per_minute:.0f} statements/min"
    )


async def main(runs: int, idle: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        await bench("sqlite", f"sqlite+aiosqlite:///{Path(folder) / 'live.db'}", runs, idle)
    pg = os.environ.get("FRONTDESK_TEST_DATABASE_URL")
    if pg:
        await bench("postgresql", pg, runs, idle)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--idle", type=float, default=20.0)
    args = parser.parse_args()
    os.environ.setdefault("FRONTDESK_PEPPER", "pepper-of-the-bench")
    asyncio.run(main(args.runs, args.idle))
