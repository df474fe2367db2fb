"""Search at 100,000 clients (10,000 with --quick): from the last key typed until the
rows for the whole text are painted, frontdesk against the bare app running the same
SQL, on SQLite and PostgreSQL.

The demo salon is seeded at that size; both apps run in tmux at 80x24 (terminal.py),
opened once and searched once each per round, the order swapped every round. The text
is a client number (`C1234`, typed on top of `C123`): the last key turns one hit into
another, so "painted" is plain on screen (C001234 shown, C000123 gone). The bare
app gets the statement frontdesk's search sent for each of the two texts (captured)
and runs it through the raw driver on each change, with no debounce.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.demo.seed import seed_demo
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.benchmarks.capture import Capture, Statement
from tests.benchmarks.harness import Figure, Goal, interleaved
from tests.benchmarks.options import Options
from tests.benchmarks.terminal import Terminal, frontdesk
from tests.benchmarks.walk import sign_in

NAME = "search"
# A client number is matched as a number: `C123` finds C000123, `C1234` C001234.
PREFIX, LAST = "C123", "4"
BEFORE, AFTER = "C000123", "C001234"


async def _seed(url: str, clients: int) -> None:
    engine = create_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await migrate.upgrade(engine)
        await seed_demo(ServiceContext.create(engine, terminal="bench"), clients=clients, seed=1)
        if engine.dialect.name == "postgresql":
            async with engine.begin() as conn:
                await conn.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


async def _captured(url: str) -> dict[str, Any]:
    """The search statement frontdesk sent for each text: the SELECT that reads clients."""
    engine = create_engine(url)
    texts: dict[str, Any] = {}
    try:
        desk = Desk(ServiceContext.create(engine, terminal="bench"))
        for typed in (PREFIX, PREFIX + LAST):
            with Capture(engine) as cap:
                await desk.clients.search(typed)
            selects = [
                e
                for e in cap.events
                if isinstance(e, Statement)
                and "clients" in e.sql
                and e.sql.lstrip().startswith(("SELECT", "WITH"))
            ]
            if not selects:
                raise RuntimeError(f"no search statement captured for {typed!r}")
            found = selects[-1]
            texts[typed] = {"sql": found.sql, "params": list(found.params)}
    finally:
        await engine.dispose()
    return {"url": url, "texts": texts}


def _search(t: Terminal, *, open_it: bool) -> float:
    """Open frontdesk's search (`/`; the bare app's box is always there), type the
    prefix, wait for its hit; seconds from the last key until the new hit is painted."""
    if open_it:
        t.press_until("/", "Find a client")
    t.type_until(PREFIX, BEFORE)
    pressed = time.perf_counter()
    t.text(LAST)
    t.wait_for(AFTER, since=pressed)
    t.wait_gone(BEFORE)
    return time.perf_counter() - pressed


def _bare_search(t: Terminal) -> float:
    seconds = _search(t, open_it=False)
    for _ in PREFIX + LAST:
        t.keys("BSpace")
    t.wait_gone(AFTER)
    return seconds


def _ours_search(t: Terminal) -> float:
    seconds = _search(t, open_it=True)
    t.keys("Escape")
    t.wait_gone("Find a client")
    return seconds


def _engine(name: str, url: str, opts: Options, folder: Path) -> list[Figure]:
    clients = 10_000 if opts.quick else 100_000
    asyncio.run(_seed(url, clients))
    spec = folder / f"search-{name}.json"
    spec.write_text(json.dumps(asyncio.run(_captured(url))))
    env = {"FRONTDESK_PEPPER": os.environ["FRONTDESK_PEPPER"]}  # the one _seed hashed with
    ours = Terminal([*frontdesk(opts.venv_bin), "--database", url, "--terminal", "bench"], env)
    bare = Terminal([sys.executable, "-m", "tests.benchmarks.bare_app", "--search", str(spec)])
    with ours, bare:
        sign_in(ours)
        ours.wait_gone("loading…")
        bare.wait_for("Find a client")
        a, b = interleaved(opts.rounds, lambda: _ours_search(ours), lambda: _bare_search(bare))
    return [
        Figure(
            f"search last key → rows, {clients // 1000}k, {name}",
            "s",
            a,
            b,
            "bare app, same SQL",
            Goal("max", 0.1),
        )
    ]


def run(opts: Options) -> list[Figure]:
    # The staff's PIN hashes mix in a pepper: the seed here and the app in tmux share it.
    os.environ.setdefault("FRONTDESK_PEPPER", "pepper-of-the-bench")
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as tmp:
        folder = Path(tmp)
        figures += _engine("sqlite", f"sqlite+aiosqlite:///{folder / 'search.db'}", opts, folder)
        if opts.pg_url:
            figures += _engine("postgresql", opts.pg_url, opts, folder)
    return figures
