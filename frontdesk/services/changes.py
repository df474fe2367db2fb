"""The change feed: one async stream of `Change`s for a terminal, whatever the engine.

`async for change in desk.change_feed().changes(): ...` yields each time someone (another
terminal, this one, raw SQL, another tool) committed something a desk shows, a burst of
commits as one change. It never raises for the database: a lost connection is logged,
retried with backoff (0.5 s doubling to 10 s), and once back the feed yields
`EVERYTHING`, since what happened meanwhile is unknown. It ends when the task running
it is cancelled, or with `aclose()`; either way its connection is closed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncEngine

from frontdesk.db.change_signal import UNKNOWN, ChangeSignal, signal_for
from frontdesk.views.changes import EVERYTHING, Change

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5  # SQLite: the most a change waits to be seen
SETTLE_SECONDS = 0.03  # PostgreSQL: a burst of notifications within this is one change
FIRST_BACKOFF = 0.5
MAX_BACKOFF = 10.0


class ChangeFeed:
    def __init__(
        self,
        engine: AsyncEngine,
        *,
        poll_seconds: float = POLL_SECONDS,
        settle_seconds: float = SETTLE_SECONDS,
        first_backoff: float = FIRST_BACKOFF,
    ) -> None:
        self.engine = engine
        self.poll_seconds = poll_seconds
        self.settle_seconds = settle_seconds
        self.first_backoff = first_backoff
        self.statements = 0  # sent by signals already closed (see `cost`)
        self.reconnects = 0
        self._signal: ChangeSignal | None = None
        self._closed = False
        # Set once the signal is open (listening, or holding its first data_version):
        # a commit after this is seen.
        self.ready = asyncio.Event()

    @property
    def cost(self) -> int:
        """Statements the feed has sent so far (its idle cost, measured by tests)."""
        return self.statements + (self._signal.statements if self._signal else 0)

    async def changes(self) -> AsyncIterator[Change]:
        backoff = self.first_backoff
        missed = False
        while not self._closed:
            signal = signal_for(
                self.engine, poll_seconds=self.poll_seconds, settle_seconds=self.settle_seconds
            )
            self._signal = signal
            try:
                await signal.open()
                self.ready.set()
                backoff = self.first_backoff
                if missed:
                    missed = False
                    yield EVERYTHING
                while True:
                    payloads = await signal.next_change()
                    yield EVERYTHING if payloads == UNKNOWN else Change.from_payloads(payloads)
            except Exception as exc:  # the database went away: say so quietly, retry
                log.warning("change feed lost its connection (%s); retrying", type(exc).__name__)
                missed = True
            finally:
                self.ready.clear()
                self._signal = None
                self.statements += signal.statements
                await signal.close()
            if self._closed:
                return
            self.reconnects += 1
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)

    async def aclose(self) -> None:
        """Stop: close the connection now (the stream ends when next resumed)."""
        self._closed = True
        signal = self._signal
        if signal is not None:
            await signal.close()
