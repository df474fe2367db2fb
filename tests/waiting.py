"""The one way a screen or snapshot test waits: until what a person would see is there.

Never a fixed sleep and never a fixed number of `pause()` calls: a loaded machine needs
more of them, an idle one wastes them. `wait_until` lets the app's workers finish and the
message queue drain, again and again, until the condition holds or the time is up.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.css.query import QueryError
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from screens.widgets.live import FEED_GROUP


def _screen_of(worker: Worker[Any]) -> Screen[Any] | None:
    node = worker.node
    return node.screen if isinstance(node, Widget) else None


def _in_sight(app: App[Any]) -> list[Worker[Any]]:
    """Running workers of the app itself or of the screen on top.

    A worker of a covered screen is usually waiting for the answer of the modal on top
    (`push_screen_wait`), which only the test can give: waiting for it would never end.
    Nor does the change feed's, which runs for as long as the app; what it starts (a
    screen's re-read) is waited for like any other work.
    """
    top = app.screen
    return [
        w
        for w in app.workers
        if w.state is WorkerState.RUNNING
        and w.group != FEED_GROUP
        and (w.node is app or _screen_of(w) is top)
    ]


async def _workers_done(app: App[Any], seconds: float) -> None:
    """Let the workers in sight finish (their failures are the screen's to show)."""
    busy = _in_sight(app)
    if not busy:
        return
    waits = [asyncio.ensure_future(w.wait()) for w in busy]
    for waiting in waits:
        waiting.add_done_callback(_retrieve)
    await asyncio.wait(waits, timeout=max(seconds, 0.01))


def _retrieve(waiting: asyncio.Future[Any]) -> None:
    """A failed worker is the condition's business, not an unretrieved task's."""
    if not waiting.cancelled():
        waiting.exception()


async def wait_until(
    pilot: Pilot[Any],
    condition: Callable[[], object],
    *,
    what: str,
    timeout: float = 10.0,
    workers: bool = True,
) -> None:
    """Wait until `condition()` is true; fail naming `what` after `timeout` seconds.

    Each round lets the workers in sight finish and the app handle its messages first,
    so a condition that is already true still sees what the last key press did; and it
    returns only while no worker in sight is running, so nothing repaints behind the test.
    `workers=False` only lets the messages drain: for a test that holds a worker back on
    purpose and waits for it to get there.
    """
    deadline = time.monotonic() + timeout
    while True:
        if workers:
            await _workers_done(pilot.app, deadline - time.monotonic())
        await pilot.pause()
        if not (workers and _in_sight(pilot.app)) and _holds(condition):
            return
        if time.monotonic() > deadline:
            condition()  # a query that still finds nothing says so itself
            raise AssertionError(f"waited {timeout:g}s for {what}")


def _holds(condition: Callable[[], object]) -> bool:
    """A widget the condition looks for may not be mounted yet: that is "not yet"."""
    try:
        return bool(condition())
    except QueryError:
        return False
