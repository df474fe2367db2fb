"""Whether a database holds the demo yet: read on every `frontdesk --demo` start, so it
lives apart from the seed (which imports far more)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.core_exec import execute
from frontdesk.db.tables import Client, StoreSettings, WriteKey
from frontdesk.services.context import ServiceContext

DemoState = Literal["empty", "partial", "complete"]

# Written last, after the 90 days of renewals (many transactions): a set-up stopped at
# any point before it, between the schedule and the history or half-way through the
# days, leaves a demo without it. A write key because that table is the one that
# records "this was done once" already; it names no money write.
COMPLETE_KEY = "demo-seed:complete"


async def demo_state(ctx: ServiceContext) -> DemoState:
    """Empty (no clients), partial (clients but the seed did not finish: a first-run
    set-up that stopped part-way), or complete. One statement, read on every `--demo`
    start: the three questions were three round trips (issue 19)."""
    store = select(StoreSettings.id).where(StoreSettings.id == 1).scalar_subquery()
    client = select(Client.id).limit(1).scalar_subquery()
    complete = select(WriteKey.id).where(WriteKey.key == COMPLETE_KEY).scalar_subquery()
    async with ctx.read() as session:
        has_store, has_client, is_complete = (
            await execute(session, select(store, client, complete))
        ).one()
    if has_store is None or has_client is None:
        return "empty"
    return "partial" if is_complete is None else "complete"


async def mark_complete(session: AsyncSession, terminal: str) -> None:
    """The seed's last write: from now on the demo is `complete`."""
    session.add(
        WriteKey(key=COMPLETE_KEY, operation="demo.seed", payload_hash="", terminal=terminal)
    )
