"""Claim a write's key inside the write's own transaction: first time, replay or refusal.

    async with ctx.transaction() as session:
        claim = await claim_key(session, ctx.actor, key, "balances.credit", client_id=7, ...)
        if (first := claim.replay(BalanceChange)) is not None:
            return first                      # the same request again: nothing written
        ...the write...
        return await claim.done(session, result)

The key's row is inserted first (`INSERT … ON CONFLICT (key) DO NOTHING`), so on
PostgreSQL a concurrent submit of the same key waits on the unique index until the first
transaction ends: committed, it finds the first row and replays its result; rolled back,
its own insert goes through and it writes. No unique-key error is raised for a reused key,
so none can reach a screen. On SQLite, BEGIN IMMEDIATE already serialises writers.

The result is stored with the key in the same transaction, so a terminal killed after
the commit retries into a replay, and one killed before it retries into the first write.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, ParamSpec, Protocol, TypeVar, cast, runtime_checkable

from pydantic import BaseModel
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.actor import Actor
from frontdesk.db.core_exec import execute
from frontdesk.db.dialects import dialect_module
from frontdesk.db.tables import WriteKey
from frontdesk.domain.errors import ConnectionLost, KeyReused, Unavailable
from frontdesk.domain.write_keys import check_key, payload_hash
from frontdesk.services.context import ServiceContext

# A frozen read model with a `replayed: bool = False` field.
M = TypeVar("M", bound=BaseModel)
P = ParamSpec("P")


@dataclass(frozen=True, slots=True)
class Claim:
    """A claimed key: `first_json` is the first write's result when this is a replay."""

    key: str
    first_json: str | None

    def replay(self, model: type[M]) -> M | None:
        """The first result, marked replayed; None when this call makes the write."""
        if self.first_json is None:
            return None
        return model.model_validate_json(self.first_json).model_copy(update={"replayed": True})

    async def done(self, session: AsyncSession, result: M) -> M:
        """Record the write's result under its key (same transaction) and return it."""
        await execute(session, _DONE, {"k": self.key, "result_json": result.model_dump_json()})
        return result


# The two statements every keyed write sends, built once, Core on the table (issue 19:
# Python per write): built per call, each paid for its construction and cache key, and
# the ORM-enabled INSERT and UPDATE for their bulk-persistence set-up, more than the
# statement itself.
_KEYS = cast(Table, WriteKey.__table__)
_DONE = (
    update(_KEYS).where(_KEYS.c.key == bindparam("k")).values(result_json=bindparam("result_json"))
)


@functools.cache
def _claim_statement(dialect_name: str) -> Any:
    """The key's INSERT … ON CONFLICT (key) DO NOTHING RETURNING id for this dialect; the
    values go in as parameters (`created_at` from the column's default)."""
    return (
        dialect_module(dialect_name)
        .insert(_KEYS)
        .on_conflict_do_nothing(index_elements=[_KEYS.c.key])
        .returning(_KEYS.c.id)
    )


async def claim_key(
    session: AsyncSession, actor: Actor, key: str, operation: str, /, **payload: object
) -> Claim:
    """Claim `key` for `operation` asking `payload` (what the write would do, by name), or
    find it used: the same request → a replay `Claim`; another operation or request →
    `KeyReused` (nothing written)."""
    check_key(key)
    digest = payload_hash(operation, payload)
    inserted = await execute(
        session,
        _claim_statement(session.get_bind().dialect.name),
        {
            "key": key,
            "operation": operation,
            "payload_hash": digest,
            "result_json": "",
            "staff_id": actor.staff_id,
            "terminal": actor.terminal,
        },
    )
    if inserted.scalar() is not None:
        return Claim(key, None)
    # Used before (committed: a concurrent claim has waited for it to end).
    first = (await session.execute(select(WriteKey).where(WriteKey.key == key))).scalar_one()
    if first.operation != operation or first.payload_hash != digest or not first.result_json:
        raise KeyReused()
    return Claim(key, first.result_json)


@runtime_checkable
class _InContext(Protocol):
    """An `Area` (every keyed write is a method of one), without importing it."""

    ctx: ServiceContext


async def _stored_result(ctx: ServiceContext, key: str) -> str | None:
    async with ctx.read() as session:
        found: str | None = await session.scalar(
            select(WriteKey.result_json).where(WriteKey.key == key)
        )
    return found or None


def real_outcome(
    model: type[M],
) -> Callable[[Callable[P, Coroutine[Any, Any, M]]], Callable[P, Coroutine[Any, Any, M]]]:
    """For a keyed write (an `Area` method taking `key=`): the connection lost while its
    COMMIT was in flight leaves the outcome unknown, and the key tells it. Saved: the
    result, as if the answer had come back. Not there: "nothing was saved". The database
    still out of reach: the unknown outcome is said as it is."""

    def wrap(write: Callable[P, Coroutine[Any, Any, M]]) -> Callable[P, Coroutine[Any, Any, M]]:
        @functools.wraps(write)
        async def run(*args: P.args, **kwargs: P.kwargs) -> M:
            try:
                return await write(*args, **kwargs)
            except ConnectionLost as lost:
                key = kwargs.get("key")
                area = args[0] if args else None
                if lost.saved is not None or not isinstance(key, str):
                    raise
                if not isinstance(area, _InContext):
                    raise
                try:
                    stored = await _stored_result(area.ctx, key)
                except Unavailable:
                    raise lost from None
                if stored is None:
                    raise ConnectionLost(saved=False) from lost
                return model.model_validate_json(stored)

        return run

    return wrap
