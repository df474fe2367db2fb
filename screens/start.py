"""The screen under everything: shown while the store and its locations load, and where
a failure to open says why; and the app's start-up helpers. Its own module so that the
app's grows no further."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Coroutine
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from textual.app import App, ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.types import NoActiveAppError
from textual.widgets import Static
from textual.worker import Worker, WorkerCancelled, WorkerError, WorkerFailed

from screens.widgets.footer import SteadyFooter
from screens.widgets.header import DeskScreen

if TYPE_CHECKING:
    from frontdesk.services.desk import Desk
    from frontdesk.views import DaySchedule, LocationView, StoreView
    from screens.schedule import ScheduleScreen
    from screens.widgets.live import LiveUpdates

# What must hold before the desk is read from (the CLI's schema and store check, on the
# desk's own engine): run by the app's start worker after the first frame; its failure
# ends the app with this code and `run_app` raises it again, off the alternate screen,
# for the CLI's one line.
StartCheck = Callable[["Desk"], Coroutine[Any, Any, object]]
EXIT_START_FAILED = 2


class StartScreen(DeskScreen):
    """Shown while the store and its locations load, or when they cannot be loaded."""

    def __init__(self) -> None:
        super().__init__(classes="start")
        self._error = ""

    def compose(self) -> ComposeResult:
        clock = getattr(self.app, "clock", dt.datetime.now)
        yield self.desk_header(clock)
        yield Static(Content("Opening the front desk…"), id="start-message")
        yield SteadyFooter(compact=True)

    def show_error(self, message: str) -> None:
        """Show why the desk cannot open (kept until mounted if called before)."""
        self._error = f"{message}\n\nPress q to quit."
        self.add_class("-error")
        messages = self.query("#start-message").results(Static)
        for static in messages:
            static.update(Content(self._error))

    def on_mount(self) -> None:
        if self._error:
            self.query_one("#start-message", Static).update(Content(self._error))


def styled_as_now(screen: Screen[Any], app: App[Any]) -> None:
    """Mark a new `screen` as styled under `app`'s stylesheet as it is (issue 19).

    Textual 8.2.8 takes a new screen's "never styled" count for stale CSS: it re-parses
    every source (our sheets and every widget's default CSS) and restyles the app, and
    its next parse starts from an emptied cache. Nothing on a new screen is styled under
    an older stylesheet, so the app's first screen and each schedule skip that."""
    screen._css_update_count = app._css_update_count


def start_screen() -> StartScreen:
    """The app's first screen (its MODES' "desk"): without `styled_as_now` the app's
    sheet was parsed three times before sign-in first showed. The app's theme is set in
    its constructor, before this is made."""
    screen = StartScreen()
    with suppress(NoActiveAppError):
        styled_as_now(screen, screen.app)
    return screen


async def back_to_start(app: App[Any]) -> None:
    """Down to the start screen (sign-in is drawn over it from the first frame)."""
    while len(app.screen_stack) > 1 and not isinstance(app.screen, StartScreen):
        await app.pop_screen()


async def show_start_failure(app: App[Any], message: str) -> None:
    """Why the desk cannot open, on the start screen (an app not started by the CLI)."""
    await back_to_start(app)
    if isinstance(app.screen, StartScreen):
        app.screen.show_error(f"Cannot open the front desk: {message}")
    app.notify(message, title="Cannot open", severity="error", timeout=10)


async def end_workers(app: App[Any], feed: LiveUpdates | None, *, timeout: float = 5.0) -> None:
    """Stop the change feed, cancel the workers still running and wait for them (up to
    `timeout` s), so a read cut short gives its connection back before the desk's pool is
    disposed. Textual has cancelled them all once already when its loop ended: those are
    not cancelled again, only waited for (a second cancel lands in the close of the
    connection the first one cut short; frontdesk/db/sqlite_dialect.py)."""
    if feed is not None:
        await feed.stop()
    running = [worker for worker in app.workers if not worker.is_finished]
    for worker in running:
        if not worker.is_cancelled:
            worker.cancel()

    async def ended(worker: Worker[Any]) -> None:
        with suppress(WorkerCancelled, WorkerFailed, WorkerError):
            await worker.wait()

    if running:
        await asyncio.wait([asyncio.ensure_future(ended(w)) for w in running], timeout=timeout)


def desk_opener(url: str, terminal: str) -> Callable[[], Desk]:
    """The CLI's desk, opened by the app's start worker after the first frame."""

    def open_desk() -> Desk:
        from frontdesk.services.desk import Desk  # SQLAlchemy and the services: not before

        return Desk.open(url, terminal=terminal)

    return open_desk


async def first_day_of(
    app: App[Any], desk: Desk, location: LocationView, day: dt.date
) -> DaySchedule | None:
    """`day`'s schedule, fetched with the store so the schedule opens with its rows (one
    frame, no loading flash); None lets the schedule load and report it."""
    try:
        return await desk.schedule.day(location.id, day)
    except Exception as exc:
        app.log.error("the first day's schedule failed", exc)
        return None


def schedule_screen(
    app: App[Any],
    desk: Desk,
    locations: tuple[LocationView, ...],
    *,
    today: Callable[[], dt.date],
    clock: Callable[[], dt.datetime],
    store: StoreView,
    first_day: DaySchedule | None,
) -> ScheduleScreen:
    """A signed-in person's first screen, styled as `app` is now; its module is imported
    with the first one made (not at start-up)."""
    from screens.schedule import ScheduleScreen

    screen = ScheduleScreen(
        desk, locations, today=today, clock=clock, store=store, first_day=first_day
    )
    styled_as_now(screen, app)
    return screen
