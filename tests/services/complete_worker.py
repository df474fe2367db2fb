"""Runs in a child process: one checkout the parent kills part-way, or a race on one key.

`crash` completes one ticket on its own engine and stops where the parent asked: after
its Nth SQL statement or the first that starts with a given text (an
`after_cursor_execute` listener on the worker's own engine), at the COMMIT (the engine's
`commit` event, fired before the driver commits), or after `complete` returned. Stopped,
it tells the parent over the pipe and waits on it for an answer that never comes: the
parent SIGKILLs it there, with the transaction open. Nothing in product code knows.

`race` runs several rounds of "both processes complete the same key at once", meeting
the other process at a barrier before each round, and reports each outcome.
"""

from __future__ import annotations

import asyncio
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Barrier
from typing import Any

from sqlalchemy import event

from frontdesk.db.engine import create_engine
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput

NEVER = 0  # run to the end and report the statements it ran (the dry run)
AT_COMMIT = -1  # every write done, COMMIT not yet sent
AFTER_RETURN = -2  # committed, the result never reached the screen


def crash(url: str, staff_id: int, data_json: str, stop_at: int | str, pipe: Connection) -> None:
    data = CheckoutInput.model_validate_json(data_json)
    asyncio.run(_crash(url, staff_id, data, stop_at, pipe))


async def _crash(
    url: str, staff_id: int, data: CheckoutInput, stop_at: int | str, pipe: Connection
) -> None:
    ctx = ServiceContext.create(create_engine(url), terminal="killed-desk", staff_id=staff_id)
    statements: list[str] = []  # the start of each one, e.g. "INSERT INTO tickets"
    # Only the transaction's statements count: after the COMMIT, complete reads the
    # receipt back to write its file, and a kill there is AFTER_RETURN's case.
    committed: list[bool] = []

    def stop(where: str) -> None:
        pipe.send(("stopped", where, len(statements)))
        pipe.recv()  # never answered: the parent kills this process while it waits here

    def after_cursor_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if committed:
            return
        statements.append(" ".join(statement.split()[:3]))
        if len(statements) == stop_at or (
            isinstance(stop_at, str) and statements[-1].startswith(stop_at)
        ):
            stop(f"after statement {len(statements)} ({statements[-1]})")

    def before_commit(_conn: Any) -> None:
        if stop_at == AT_COMMIT:
            stop("before COMMIT")
        committed.append(True)

    event.listen(ctx.engine.sync_engine, "after_cursor_execute", after_cursor_execute)
    event.listen(ctx.engine.sync_engine, "commit", before_commit)
    try:
        result = await Desk(ctx).till.complete(data)
        if stop_at == AFTER_RETURN:
            stop("after COMMIT")
        pipe.send(("done", "\n".join(statements), result.ticket_id))
    except Exception as exc:  # reported to the parent, which fails the test with it
        pipe.send(("error", f"{type(exc).__name__}: {exc}", len(statements)))
    finally:
        await ctx.dispose()


def race(
    url: str, staff_id: int, rounds_json: list[str], barrier: Barrier, tag: str, pipe: Connection
) -> None:
    pipe.send(asyncio.run(_race(url, staff_id, rounds_json, barrier, tag)))


async def _race(
    url: str, staff_id: int, rounds_json: list[str], barrier: Barrier, tag: str
) -> list[str]:
    """One line per round: "first <ticket>", "replayed <ticket>" or "error <text>"."""
    ctx = ServiceContext.create(create_engine(url), terminal=f"race-{tag}", staff_id=staff_id)
    outcomes: list[str] = []
    try:
        for data_json in rounds_json:
            data = CheckoutInput.model_validate_json(data_json)
            await asyncio.to_thread(barrier.wait, 60)
            try:
                result = await Desk(ctx).till.complete(data)
            except Exception as exc:  # counted, never hidden: the test asserts none
                outcomes.append(f"error {type(exc).__name__}: {exc}")
                continue
            outcomes.append(f"{'replayed' if result.replayed else 'first'} {result.ticket_id}")
    finally:
        await ctx.dispose()
    return outcomes
