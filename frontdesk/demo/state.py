"""Whether a database holds the demo yet: read on every `frontdesk --demo` start, so it
lives apart from the seed (which imports far more)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select

from frontdesk.db.tables import Client, LedgerEntry, StoreSettings
from frontdesk.services.context import ServiceContext

DemoState = Literal["empty", "partial", "complete"]


async def demo_state(ctx: ServiceContext) -> DemoState:
    """Empty (no clients), partial (clients but no ledger history yet: a first-run
    set-up that stopped between its two transactions), or complete."""
    async with ctx.read() as session:
        if await session.get(StoreSettings, 1) is None:
            return "empty"
        if await session.scalar(select(Client.id).limit(1)) is None:
            return "empty"
        if await session.scalar(select(LedgerEntry.id).limit(1)) is None:
            return "partial"
        return "complete"
