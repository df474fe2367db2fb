"""Client search at 100,000 clients: seed time, p50/p95 latency, query plans.

Run from the project root (not collected by pytest):

    python -m tests.benchmarks.bench_search [--clients N] [--analyze] [--write-baseline]

SQLite always (a temporary file); PostgreSQL too when FRONTDESK_TEST_DATABASE_URL is set
(that database's `public` schema is DROPPED and rebuilt). See tests/benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, literal, select, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import ClauseElement

from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Client
from frontdesk.demo.seed import seed_demo
from frontdesk.domain.normalize import digits, extra_words, fold
from frontdesk.services.clients import SEARCH_LIMIT, search_in, search_query
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk

PG_ENV = "FRONTDESK_TEST_DATABASE_URL"
BASELINE = Path(__file__).with_name("baseline.json")
GOAL_QUERY_P95_MS = 5.0
SEARCHES = 100
KINDS = (
    "name prefix",
    "first last",
    "last first",
    "phone",
    "email prefix",
    "client number",
    "later word",
    "phone tail",
)


@dataclass(frozen=True)
class EngineResult:
    seed_s: float
    service_p50_ms: float
    service_p95_ms: float
    query_p50_ms: float
    query_p95_ms: float
    floor_p50_ms: float
    by_kind_query_p95_ms: dict[str, float]
    full_scans: list[str]


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (p50 of 100 values is the 50th smallest)."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def statement(typed: str) -> ClauseElement:
    """The statement search_in runs for `typed`."""
    found = search_query(typed, SEARCH_LIMIT)
    assert found is not None
    stmt, values = found
    return stmt.params(values)  # type: ignore[no-any-return]


def _typed(kind: str, c: Client, rng: random.Random) -> str | None:
    """What staff would type to find `c` by `kind`; None when `c` has nothing for it."""
    first, last = c.first_name, c.last_name
    if kind == "name prefix":
        return (last if rng.random() < 0.6 else first)[:3]
    if kind == "first last":
        return f"{first} {last[:3]}"
    if kind == "last first":
        return f"{last} {first}"
    if kind == "phone":
        if not c.phone:
            return None
        return c.phone if rng.random() < 0.6 else c.phone[:9]
    if kind == "later word":  # "giolla", "oconnor": a word only the words table finds
        words = sorted(extra_words(fold(last)) | extra_words(fold(first)))
        return rng.choice(words)[: rng.choice((4, 6, 20))] if words else None
    if kind == "phone tail":
        tail = digits(c.phone)
        return tail[-rng.choice((4, 5, 6)) :] if len(tail) >= 6 else None
    if kind == "email prefix":
        return c.email[: c.email.index("@") + 4] if "@" in c.email else None
    return c.client_number if rng.random() < 0.5 else c.client_number.lower()


async def searches(ctx: ServiceContext, count: int = SEARCHES) -> list[tuple[str, str]]:
    """`count` (kind, typed text) pairs, as staff would type them, from seeded clients."""
    rng = random.Random(2024)
    async with ctx.read() as session:
        max_id = int(await session.scalar(select(Client.id).order_by(Client.id.desc())) or 0)
        out: list[tuple[str, str]] = []
        while len(out) < count:
            kind = KINDS[len(out) % len(KINDS)]
            c = await session.get(Client, rng.randint(1, max_id))
            typed = None if c is None else _typed(kind, c, rng)
            if typed is not None:
                out.append((kind, typed))
    return out


def _explain(conn: Connection, typed: str) -> list[str]:
    sql = str(
        statement(typed).compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    )
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
        return [str(r[-1]) for r in rows]
    return [str(r[0]) for r in conn.exec_driver_sql(f"EXPLAIN {sql}").all()]


def full_scans(plan: list[str], backend: str) -> list[str]:
    """Plan lines that read the whole clients or words table (an index-less scan)."""
    if backend == "sqlite":
        return [
            line
            for line in plan
            if line.startswith(("SCAN clients", "SCAN client_name_words")) and "INDEX" not in line
        ]
    return [line for line in plan if "Seq Scan on client" in line]


async def bench_engine(
    name: str, url: str, clients: int, *, fresh_pg: bool, analyze: bool, repeats: int
) -> EngineResult:
    engine = create_engine(url)
    try:
        if fresh_pg:
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await migrate.upgrade(engine)
        ctx = ServiceContext.create(engine, terminal="bench")
        seed_s = await _seed(ctx, name, clients)
        if analyze:
            async with engine.begin() as conn:
                await conn.execute(text("ANALYZE"))
            print(f"[{name}] ANALYZE done")

        queries = await searches(ctx)
        for _, typed in queries:  # warm caches and prepared statements
            await Desk(ctx).clients.search(typed)
        service_ms = await _service_times(ctx, queries, repeats)
        query_ms, floor_ms, hits = await _query_times(ctx, queries, repeats)
        _print_slowest(name, queries, query_ms, hits)
        scans = await _plans(engine, name, queries)
        return EngineResult(
            seed_s=round(seed_s, 2),
            service_p50_ms=round(percentile(service_ms, 50), 3),
            service_p95_ms=round(percentile(service_ms, 95), 3),
            query_p50_ms=round(percentile(query_ms, 50), 3),
            query_p95_ms=round(percentile(query_ms, 95), 3),
            floor_p50_ms=round(percentile(floor_ms, 50), 3),
            by_kind_query_p95_ms=_by_kind_p95(queries, query_ms),
            full_scans=scans,
        )
    finally:
        await engine.dispose()


async def _seed(ctx: ServiceContext, name: str, clients: int) -> float:
    """Seed the demo salon; the seconds it took."""
    started = time.perf_counter()
    report = await seed_demo(ctx, clients=clients, seed=1)
    seed_s = time.perf_counter() - started
    print(f"[{name}] {report} in {seed_s:.1f}s", flush=True)
    return seed_s


async def _service_times(
    ctx: ServiceContext, queries: list[tuple[str, str]], repeats: int
) -> list[float]:
    """Milliseconds per search through the service (own session and transaction)."""
    # Each search runs `repeats` times and counts with its median: one number per search,
    # steady against a busy machine, still showing which searches are slow.
    service_ms: list[float] = []
    for _, typed in queries:
        runs = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            await Desk(ctx).clients.search(typed)
            runs.append((time.perf_counter() - t0) * 1000)
        service_ms.append(statistics.median(runs))
    return service_ms


async def _query_times(
    ctx: ServiceContext, queries: list[tuple[str, str]], repeats: int
) -> tuple[list[float], list[float], list[int]]:
    """Milliseconds per search query in one open session, a bare round trip's, and hits."""
    query_ms: list[float] = []
    floor_ms: list[float] = []
    hits: list[int] = []
    async with ctx.read() as session:
        for _ in queries:  # what any round trip costs: the driver, not the search
            t0 = time.perf_counter()
            await session.execute(select(literal(1)))
            floor_ms.append((time.perf_counter() - t0) * 1000)
        for _, typed in queries:
            runs = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                found = await search_in(session, typed)
                runs.append((time.perf_counter() - t0) * 1000)
            query_ms.append(statistics.median(runs))
            hits.append(len(found))
    return query_ms, floor_ms, hits


def _by_kind_p95(queries: list[tuple[str, str]], query_ms: list[float]) -> dict[str, float]:
    by_kind: dict[str, list[float]] = {}
    for (kind, _), ms in zip(queries, query_ms, strict=True):
        by_kind.setdefault(kind, []).append(ms)
    return {k: round(percentile(v, 95), 3) for k, v in sorted(by_kind.items())}


def _print_slowest(
    name: str, queries: list[tuple[str, str]], query_ms: list[float], hits: list[int]
) -> None:
    slowest = sorted(zip(query_ms, queries, hits, strict=True), reverse=True)[:5]
    print(f"[{name}] slowest queries:")
    for ms, (kind, typed), n in slowest:
        print(f"    {ms:7.2f} ms  {kind:<14} {typed!r} -> {n} hits")


async def _plans(engine: AsyncEngine, name: str, queries: list[tuple[str, str]]) -> list[str]:
    """Print the plans of the last search of three kinds; the full scans among them."""
    scans: list[str] = []
    sample = {k: t for k, t in reversed(queries)}
    async with engine.connect() as conn:
        for kind in ("name prefix", "first last", "phone", "later word", "phone tail"):
            plan = await conn.run_sync(_explain, sample[kind])
            print(f"[{name}] plan for {kind} {sample[kind]!r}:")
            for line in plan:
                print(f"    {line}")
            scans += [f"{kind}: {line}" for line in full_scans(plan, engine.dialect.name)]
    return scans


def print_table(results: dict[str, EngineResult], baseline: dict[str, Any]) -> None:
    metrics = (
        "seed_s",
        "service_p50_ms",
        "service_p95_ms",
        "query_p50_ms",
        "query_p95_ms",
        "floor_p50_ms",
    )
    print()
    print(f"{'engine':<11} {'metric':<16} {'current':>10} {'baseline':>10} {'ratio':>7}")
    for engine_name, result in results.items():
        base = baseline.get(engine_name, {})
        values = asdict(result)
        rows = [(m, values[m], base.get(m)) for m in metrics]
        base_kinds = base.get("by_kind_query_p95_ms", {})
        rows += [(f"p95 {k}", v, base_kinds.get(k)) for k, v in result.by_kind_query_p95_ms.items()]
        for metric, current, before in rows:
            ratio = f"{current / before:.2f}" if before else "-"
            before_text = f"{before:.3f}" if before is not None else "-"
            print(f"{engine_name:<11} {metric:<16} {current:>10.3f} {before_text:>10} {ratio:>7}")


async def main_async(args: argparse.Namespace) -> int:
    results: dict[str, EngineResult] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        results["sqlite"] = await bench_engine(
            "sqlite", url, args.clients, fresh_pg=False, analyze=args.analyze, repeats=args.repeats
        )
    pg_url = os.environ.get(PG_ENV)
    if pg_url:
        results["postgresql"] = await bench_engine(
            "postgresql",
            pg_url,
            args.clients,
            fresh_pg=True,
            analyze=args.analyze,
            repeats=args.repeats,
        )
    else:
        print(f"(PostgreSQL skipped: set {PG_ENV} to include it)")

    baseline: dict[str, Any] = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    print_table(results, baseline)
    if args.write_baseline:
        merged = {**baseline, **{k: asdict(v) for k, v in results.items()}}
        BASELINE.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
        print(f"\nbaseline written to {BASELINE}")

    status = 0
    print()
    for engine_name, result in results.items():
        ok = result.query_p95_ms < GOAL_QUERY_P95_MS
        print(
            f"{engine_name}: query p95 {result.query_p95_ms:.2f} ms "
            f"({'meets' if ok else 'MISSES'} the {GOAL_QUERY_P95_MS:.0f} ms goal)"
        )
        for line in result.full_scans:
            print(f"{engine_name}: FULL SCAN {line}")
        if result.full_scans or not ok:
            status = 1
    return status


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5, help="runs per search (median)")
    parser.add_argument("--analyze", action="store_true", help="run ANALYZE after seeding")
    parser.add_argument(
        "--write-baseline", action="store_true", help=f"save these numbers to {BASELINE.name}"
    )
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
