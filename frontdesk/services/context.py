"""What every service call needs: sessions, who is acting, the store's settings."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from frontdesk.db.actor import Actor
from frontdesk.db.core_exec import keep_connection
from frontdesk.db.engine import session_factory
from frontdesk.db.races import mapped
from frontdesk.domain.errors import ConnectionLost, Unavailable, database_fault

BEGIN_ATTEMPTS = 6


@dataclass(frozen=True)
class ServiceContext:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    read_sessions: async_sessionmaker[AsyncSession]
    actor: Actor
    # The `frontdesk` command run by whoever holds the database's credentials: it may
    # manage staff with nobody signed in (the first owner, a locked-out manager).
    operator: bool = False

    @classmethod
    def create(
        cls,
        engine: AsyncEngine,
        *,
        terminal: str,
        staff_id: int | None = None,
        operator: bool = False,
    ) -> ServiceContext:
        return cls(
            engine,
            session_factory(engine),
            session_factory(engine, read_only=True),
            Actor(staff_id=staff_id, terminal=terminal),
            operator,
        )

    def as_staff(self, staff_id: int | None) -> ServiceContext:
        return replace(self, actor=Actor(staff_id=staff_id, terminal=self.actor.terminal))

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits on success, rolls back everything on any error. A
        unique-key race comes out as the domain error it means (`frontdesk.db.races`)."""
        async with mapped(), self._session(self.sessions) as session:
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A consistent read that takes no write lock (SQLite: deferred BEGIN)."""
        async with mapped(), self._session(self.read_sessions) as session:
            yield session

    @asynccontextmanager
    async def _session(
        self, factory: async_sessionmaker[AsyncSession]
    ) -> AsyncIterator[AsyncSession]:
        """A database fault (lost connection, read-only, full, locked) leaves as the domain
        error it means, never with the driver's text; a constraint the caller handles
        (IntegrityError...) leaves as it is."""
        try:
            session = await self._begin(factory)
        except OSError as exc:  # the server refused or vanished before anything began
            raise ConnectionLost() from exc
        except DBAPIError as exc:
            fault = _fault(exc)
            if fault is None:
                raise
            raise fault from exc
        tx = _Tx(session)
        try:
            async with session, tx:
                yield session
        except DBAPIError as exc:
            fault = _fault(exc, committing=tx.committing)
            if fault is None:
                raise
            raise fault from exc

    async def _begin(self, factory: async_sessionmaker[AsyncSession]) -> AsyncSession:
        """Open the transaction up front, so SQLite's write lock is taken before any work.

        SQLite's busy handler is not fair: with many terminals queued for the write lock
        one can wait past busy_timeout. Nothing has happened yet at BEGIN, so it is safe
        to back off and ask again, a few times, before calling the database unavailable.
        """
        for attempt in range(BEGIN_ATTEMPTS):
            session = factory()
            try:
                # The connection begins the session's transaction (autobegin) and is kept
                # for the hot Core statements (`frontdesk.db.core_exec`).
                keep_connection(session, await session.connection())
                return session
            except OperationalError as exc:
                await session.close()
                if "locked" not in str(exc).lower() or attempt == BEGIN_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")

    async def dispose(self) -> None:
        await self.engine.dispose()


def _fault(exc: DBAPIError, *, committing: bool = False) -> Unavailable | None:
    """The domain error for a fault of the database itself, or None for an error the
    caller's rules handle (a unique key, a foreign key...)."""
    disconnected = bool(exc.connection_invalidated)
    fault = database_fault(exc.orig or exc, disconnected=disconnected, committing=committing)
    if disconnected or isinstance(exc, OperationalError) or type(fault) is not Unavailable:
        return fault
    return None


class _Tx:
    """Commit the already-begun transaction on success, roll it back on any error.
    `committing` tells a failure of the COMMIT itself (outcome unknown if the connection
    went) from one before it (nothing was saved)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.committing = False

    async def __aenter__(self) -> AsyncSession:
        return self.session

    async def __aexit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if exc_type is None:
            self.committing = True
            await self.session.commit()
        else:
            await self.session.rollback()
