"""Runs in a child process for the fault suite: a terminal the parent SIGKILLs mid-write.

`checkout_loop` completes tickets one after another, telling the parent each key before
it starts and each ticket when it is done; the parent kills it at a random moment.
`retry` is the fresh terminal after the crash: it completes the same keys again.
`spend_and_stop` spends Beauty Bank and stops after the first statement that starts with
the given text (an `after_cursor_execute` listener on its own engine), tells the parent,
and waits for an answer that never comes: the parent kills it there, transaction open.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from multiprocessing.connection import Connection
from typing import Any

from sqlalchemy import event

from frontdesk.domain.write_keys import new_key
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput


def checkout_loop(url: str, staff_id: int, tickets_json: list[str], pipe: Connection) -> None:
    asyncio.run(_checkout_loop(url, staff_id, tickets_json, pipe))


async def _checkout_loop(
    url: str, staff_id: int, tickets_json: list[str], pipe: Connection
) -> None:
    desk = Desk.open(url, terminal="killed-desk", staff_id=staff_id)
    try:
        await desk.catalog.store()  # connected before the first ticket
        pipe.send(("ready", ""))
        for data_json in tickets_json:
            data = CheckoutInput.model_validate_json(data_json)
            pipe.send(("start", data.idempotency_key))
            result = await desk.till.complete(data)
            pipe.send(("done", data.idempotency_key))
            assert not result.replayed
        pipe.send(("finished", ""))
    finally:
        await desk.close()


def retry(url: str, staff_id: int, tickets_json: list[str], pipe: Connection) -> None:
    pipe.send(asyncio.run(_retry(url, staff_id, tickets_json)))


async def _retry(url: str, staff_id: int, tickets_json: list[str]) -> list[str]:
    """One line per ticket: "<key> first|replayed <ticket>" or "<key> error <text>"."""
    desk = Desk.open(url, terminal="retrying-desk", staff_id=staff_id)
    outcomes: list[str] = []
    try:
        for data_json in tickets_json:
            data = CheckoutInput.model_validate_json(data_json)
            try:
                result = await desk.till.complete(data)
            except Exception as exc:  # reported, never hidden: the test asserts none
                outcomes.append(f"{data.idempotency_key} error {type(exc).__name__}: {exc}")
                continue
            how = "replayed" if result.replayed else "first"
            outcomes.append(f"{data.idempotency_key} {how} {result.ticket_id}")
    finally:
        await desk.close()
    return outcomes


def spend_and_stop(
    url: str, staff_id: int, client_id: int, stop_after: str, pipe: Connection
) -> None:
    asyncio.run(_spend_and_stop(url, staff_id, client_id, stop_after, pipe))


async def _spend_and_stop(
    url: str, staff_id: int, client_id: int, stop_after: str, pipe: Connection
) -> None:
    desk = Desk.open(url, terminal="killed-desk", staff_id=staff_id)

    def after_cursor_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if " ".join(statement.split()).startswith(stop_after):
            pipe.send(("stopped", stop_after))
            pipe.recv()  # never answered: the parent kills this process while it waits

    event.listen(desk.ctx.engine.sync_engine, "after_cursor_execute", after_cursor_execute)
    try:
        await desk.balances.adjust_wallet(
            client_id, Decimal("-5.00"), "Spent, then killed", key=new_key()
        )
        pipe.send(("done", "the spend finished: the statement never ran"))
    except Exception as exc:  # reported to the parent, which fails the test with it
        pipe.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        await desk.close()
