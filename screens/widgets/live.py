"""Live screens: re-read what is shown when someone commits a change (issue 15, item 1).

The app runs the desk's change feed and posts one `DataChanged` to every screen of the
stack. A screen that shows money, units, visits, appointments or tickets keeps a
`LiveRefresh`: if the change concerns what it shows (tables, and the client it is about)
it re-reads now when it is in sight (on top, or visible under a modal), or once it is
shown again. The refresh re-reads only the screen's own rows; `kept_cursor` keeps a
table's cursor on the same row (by key) and its scroll where they were.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, Protocol

from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from frontdesk.views.changes import EVERYTHING, Change


class DataChanged(Message, bubble=False):
    """Someone committed something; `change` says what, as far as the engine can tell."""

    def __init__(self, change: Change) -> None:
        super().__init__()
        self.change = change


class LiveRefresh:
    """When to call a screen's own refresh: now if in sight, else when shown again."""

    def __init__(
        self,
        screen: Screen[Any],
        refresh: Callable[[Change], object],
        tables: frozenset[str],
        client_id: Callable[[], int | None] = lambda: None,
    ) -> None:
        self.screen = screen
        self._refresh = refresh
        self.tables = tables
        self._client_id = client_id
        self.pending: Change | None = None  # changes seen while out of sight
        self.refreshes = 0

    def changed(self, change: Change) -> None:
        if not change.concerns(self.tables, self._client_id()):
            return
        if self.screen.is_current:
            self._run(change)
        else:
            self.pending = change if self.pending is None else self.pending | change

    def shown(self) -> None:
        """The screen is back in sight: catch up with what changed meanwhile."""
        if self.pending is not None:
            self._run(self.pending)

    def _run(self, change: Change) -> None:
        self.pending = None
        self.refreshes += 1
        self._refresh(change)


@contextmanager
def kept_cursor(table: DataTable[Any], keep: bool = True) -> Iterator[None]:
    """Refill `table` inside this; its cursor stays on the same row key (or near where
    it was, if that row is gone) and its scroll where it was. `keep=False`: as without."""
    if not keep:
        yield
        return
    row = table.cursor_row
    key = None
    if table.row_count and 0 <= row < table.row_count:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    scroll_y = table.scroll_y
    yield
    if not table.row_count:
        return
    try:
        target = table.get_row_index(key) if key is not None else row
    except RowDoesNotExist:  # the row has gone: stay near where it was
        target = row
    table.move_cursor(row=max(0, min(target, table.row_count - 1)), scroll=False)
    table.call_after_refresh(table.scroll_to, y=scroll_y, animate=False, immediate=True)


FEED_GROUP = "change-feed"  # the one worker that runs for as long as the app


class ChangeFeed(Protocol):
    """`desk.change_feed()`: what others commit, as a stream of changes."""

    def changes(self) -> AsyncIterator[Change]: ...

    async def aclose(self) -> None: ...


class LiveUpdates:
    """The app's side: run the desk's change feed in an async worker (the engine belongs
    to the app's loop) and post each change to the screens of the stack. A person's
    screens left behind at a lock catch up when they are back."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.seen = 0  # changes the feed has reported
        self._feed: ChangeFeed | None = None
        self._worker: Worker[None] | None = None
        self._left_at: dict[str, int] = {}

    def start(self, feed: ChangeFeed) -> None:
        self._feed = feed
        self._worker = self.app.run_worker(
            self._watch(feed), group=FEED_GROUP, exclusive=True, exit_on_error=False
        )

    async def _watch(self, feed: ChangeFeed) -> None:
        async for change in feed.changes():  # never raises for the database
            self.seen += 1
            self.post(change)

    def post(self, change: Change) -> None:
        for screen in self.app.screen_stack:
            screen.post_message(DataChanged(change))

    def left(self, mode: str) -> None:
        self._left_at[mode] = self.seen

    def back(self, mode: str) -> None:
        """`mode`'s screens are shown again: they re-read if anything changed meanwhile."""
        if self.seen > self._left_at.pop(mode, self.seen):
            self.post(EVERYTHING)

    async def stop(self) -> None:
        """Before the desk closes: end the worker and close the feed's connection."""
        worker, self._worker = self._worker, None
        if worker is not None:
            if not worker.is_cancelled:  # Textual's own at quit: once is enough
                worker.cancel()
            with suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()
        if self._feed is not None:
            await self._feed.aclose()
