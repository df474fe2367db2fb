"""Checkouts/s and ledger postings/s through frontdesk, against the raw async driver
sending the very statements frontdesk sent (and, on SQLite, the stdlib `sqlite3`).

Each round: frontdesk does `ops` checkouts (a service paid in cash: a member's discount
may make the due less than the price, and only cash may be over) or Beauty Bank
postings (`Balances.adjust_wallet`) on database A while `Capture` records its
statements; then the raw driver replays that list on database B, a copy of A taken
before the first round, so B ends each round in A's state. The raw side can only follow
frontdesk's round (it replays what was just captured): A then B every round.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select, text

from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Client, Service, Staff, StoreSettings
from frontdesk.demo.seed import seed_demo
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.money import from_minor
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.benchmarks.capture import (
    Capture,
    Event,
    replay_aiosqlite,
    replay_asyncpg,
    replay_sqlite3,
    shape,
    sqlite_copy,
)
from tests.benchmarks.harness import Figure, Goal
from tests.benchmarks.options import Options

NAME = "writes"
GOAL = Goal("ratio_min", 0.5)  # issue 19: ≥ 50 % of the raw async driver
RAW_DB = "fd_bench_raw"


class Shop:
    """What a checkout and a posting need from the demo: a client, a service, its
    practitioner, its price, and an owner to act as."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.client = self.service = self.staff = 0
        self.price = Decimal(0)

    async def load(self) -> None:
        async with self.ctx.read() as s:
            self.client = int(await s.scalar(select(Client.id).order_by(Client.id)) or 0)
            service = (await s.scalars(select(Service).order_by(Service.id))).first()
            assert service is not None
            store = await s.get(StoreSettings, 1)
            assert store is not None
            self.service = service.id
            self.price = from_minor(service.price_minor, store.currency)
            staff = await s.scalars(select(Staff).where(Staff.active).order_by(Staff.id))
            self.staff = next(iter(staff)).id

    def desk(self) -> Desk:
        return Desk(self.ctx.as_staff(self.staff))

    async def checkout(self) -> None:
        line = LineInput(kind=LineKind.SERVICE, service_id=self.service, staff_id=self.staff)
        await self.desk().till.complete(
            CheckoutInput(
                idempotency_key=new_key(),
                client_id=self.client,
                lines=(line,),
                tenders=(TenderInput(method="cash", amount=self.price),),
            )
        )

    async def posting(self) -> None:
        await self.desk().balances.adjust_wallet(
            self.client, Decimal("1.00"), "Benchmark credit", key=new_key()
        )


async def _timed_ours(
    ctx: ServiceContext, op: Callable[[], Awaitable[None]], ops: int
) -> tuple[float, list[Event]]:
    with Capture(ctx.engine) as cap:
        started = time.perf_counter()
        for _ in range(ops):
            await op()
        seconds = time.perf_counter() - started
    return ops / seconds, cap.events


async def _seed(url: str) -> None:
    engine = create_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await migrate.upgrade(engine)
        await seed_demo(ServiceContext.create(engine, terminal="bench"), clients=20, seed=1)
    finally:
        await engine.dispose()


async def _pg_copy(url: str) -> str:
    """A copy of the frontdesk database as `fd_bench_raw` (CREATE DATABASE … TEMPLATE);
    its asyncpg DSN."""
    import asyncpg

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    base, _, source = dsn.rpartition("/")
    admin = await asyncpg.connect(f"{base}/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{RAW_DB}"')
        await admin.execute(f'CREATE DATABASE "{RAW_DB}" TEMPLATE "{source}"')
    finally:
        await admin.close()
    return f"{base}/{RAW_DB}"


async def _engine_figures(engine_name: str, url: str, opts: Options, folder: Path) -> list[Figure]:
    await _seed(url)
    if engine_name == "sqlite":
        path = url.split("///", 1)[1]
        raw_path, ref_path = str(folder / "raw.db"), str(folder / "ref.db")
        sqlite_copy(path, raw_path)
        sqlite_copy(path, ref_path)
    else:
        dsn = await _pg_copy(url)
    engine = create_engine(url)
    ctx = ServiceContext.create(engine, terminal="bench")
    shop = Shop(ctx)
    await shop.load()
    ops = 10 if opts.quick else 40
    figures = []
    try:
        for label, op in (("checkouts/s", shop.checkout), ("ledger postings/s", shop.posting)):
            ours: list[float] = []
            raw: list[float] = []
            ref: list[float] = []
            counts: dict[str, int] = {}
            for _ in range(opts.rounds):
                rate, events = await _timed_ours(ctx, op, ops)
                ours.append(rate)
                counts = shape(events)
                if engine_name == "sqlite":
                    raw.append(ops / await replay_aiosqlite(raw_path, events))
                    ref.append(ops / replay_sqlite3(ref_path, events))
                else:
                    raw.append(ops / await replay_asyncpg(dsn, events))
            per_op = ", ".join(f"{k} {v / ops:g}" for k, v in sorted(counts.items()))
            driver = "raw aiosqlite" if engine_name == "sqlite" else "raw asyncpg"
            figures.append(
                Figure(
                    f"{label}, {engine_name}",
                    "/s",
                    ours,
                    raw,
                    driver,
                    GOAL,
                    note=f"each: {per_op}",
                )
            )
            if ref:
                figures.append(
                    Figure(f"{label}, {engine_name} (reference)", "/s", ours, ref, "raw sqlite3")
                )
    finally:
        await engine.dispose()
    return figures


async def _run(opts: Options) -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as tmp:
        folder = Path(tmp)
        url = f"sqlite+aiosqlite:///{folder / 'ours.db'}"
        figures += await _engine_figures("sqlite", url, opts, folder)
    if opts.pg_url:
        figures += await _engine_figures("postgresql", opts.pg_url, opts, folder)
    return figures


def run(opts: Options) -> list[Figure]:
    # The demo's staff PINs mix in a pepper; PostgreSQL has no pepper file beside it.
    os.environ.setdefault("FRONTDESK_PEPPER", "pepper-of-the-bench")
    return asyncio.run(_run(opts))
