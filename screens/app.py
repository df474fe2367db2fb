"""The Textual application: header, footer, command palette, and the screen stack.

The desk (the services, and so the async database engine) is opened inside the app's
own event loop: an async SQLAlchemy engine belongs to the loop that first used it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import ClassVar

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker

import styles
from frontdesk.domain.errors import DomainError, describe
from frontdesk.services.desk import Desk
from frontdesk.views import DaySchedule, LocationView, StoreView
from screens.appointment import OpenClientProfile
from screens.profile import ClientProfileScreen
from screens.schedule import ScheduleScreen
from screens.search import open_client_flow
from screens.widgets import DeskScreen
from screens.widgets.errors import report_failed_worker

STYLES_DIR = Path(styles.__file__).parent
SIXTEEN_COLOUR_SYSTEMS = {"standard", "windows"}

DeskFactory = Callable[[], Desk]


def wants_ansi_theme() -> bool:
    """16-colour terminals (kiosks, old SSH clients) get the terminal's own ANSI palette."""
    return os.environ.get("TEXTUAL_COLOR_SYSTEM", "").lower() in SIXTEEN_COLOUR_SYSTEMS


class StartScreen(DeskScreen):
    """Shown while the store and its locations load, or when they cannot be loaded."""

    def __init__(self, clock: Callable[[], dt.datetime]) -> None:
        super().__init__(id="start")
        self._clock = clock
        self._error = ""

    def compose(self) -> ComposeResult:
        yield self.desk_header(self._clock)
        yield Static(Content("Opening the front desk…"), id="start-message")
        yield Footer(compact=True)

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


class FrontdeskApp(App[int]):
    """The front desk. Pass a `Desk` (the caller closes it) or a factory (the app opens
    it in its own event loop and closes it on exit)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [
        STYLES_DIR / "app.tcss",
        STYLES_DIR / "schedule.tcss",
    ]
    TITLE = "frontdesk"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Shown only in the schedule's footer (it repeats them): at 80 columns the busier
        # screens need the room for their own keys. Both still work everywhere.
        Binding("q", "quit", "Quit", id="app.quit", show=False),
        Binding("slash,ctrl+f", "search", "Search", id="app.search", key_display="/", show=False),
    ]

    business_name: reactive[str] = reactive("")
    location_name: reactive[str] = reactive("")
    terminal_name: reactive[str] = reactive("")

    def __init__(
        self,
        desk: Desk | DeskFactory,
        *,
        clock: Callable[[], dt.datetime] | None = None,
        today: dt.date | None = None,
        ansi: bool | None = None,
    ) -> None:
        super().__init__()
        if isinstance(desk, Desk):
            self._desk: Desk | None = desk
            self._factory: DeskFactory | None = None
        else:
            self._desk = None
            self._factory = desk
        self.clock: Callable[[], dt.datetime] = clock or dt.datetime.now
        self._today_override = today
        self.store: StoreView | None = None
        if ansi if ansi is not None else wants_ansi_theme():
            self.theme = "ansi-dark"

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            raise RuntimeError("the desk is opened when the app mounts")
        return self._desk

    def today(self) -> dt.date:
        return self._today_override or self.clock().date()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Messages carry client and staff names and service errors: never markup, or a
        # client called "[@click=app.quit]x" would become an action.
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # -- lifecycle ---------------------------------------------------------------

    def on_mount(self) -> None:
        try:
            if self._desk is None and self._factory is not None:
                self._desk = self._factory()
        except Exception as exc:
            self.log.error("could not open the desk", exc)
            self.push_screen(StartScreen(self.clock))
            self._start_failed(describe(exc))
            return
        self.terminal_name = self.desk.terminal
        self.push_screen(StartScreen(self.clock))
        self.start()

    async def on_unmount(self) -> None:
        if self._factory is not None and self._desk is not None:
            await self._desk.close()

    @work(exclusive=True, group="startup", exit_on_error=False)
    async def start(self) -> None:
        try:
            store = await self.desk.catalog.store()
            locations = await self.desk.catalog.locations()
        except DomainError as exc:
            self._start_failed(str(exc))
            return
        except Exception as exc:
            self.log.error("startup failed", exc)
            self._start_failed(describe(exc))
            return
        if not locations:
            self.business_name = store.business_name
            self._start_failed("No locations are set up yet.")
            return
        self._open_schedule(store, locations, await self._first_day(locations[0]))

    def _open_schedule(
        self,
        store: StoreView,
        locations: tuple[LocationView, ...],
        first_day: DaySchedule | None,
    ) -> None:
        self.store = store
        self.business_name = store.business_name
        schedule = ScheduleScreen(
            self.desk,
            locations,
            today=self.today,
            clock=self.clock,
            store=store,
            first_day=first_day,
        )
        if isinstance(self.screen, StartScreen):
            self.switch_screen(schedule)
        else:
            self.push_screen(schedule)

    async def _first_day(self, location: LocationView) -> DaySchedule | None:
        """Today's schedule, fetched with the store so the schedule opens with its rows
        (one frame, no loading flash); None lets the schedule load and report it."""
        try:
            return await self.desk.schedule.day(location.id, self.today())
        except Exception as exc:
            self.log.error("the first day's schedule failed", exc)
            return None

    def on_desk_screen_shown(self, message: DeskScreen.Shown) -> None:
        message.stop()
        message.screen.data_bind(
            desk_business=FrontdeskApp.business_name,
            desk_location=FrontdeskApp.location_name,
            desk_terminal=FrontdeskApp.terminal_name,
        )

    def on_schedule_screen_location_shown(self, message: ScheduleScreen.LocationShown) -> None:
        message.stop()
        self.location_name = message.name

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self, event.worker, event.state)

    def _start_failed(self, message: str) -> None:
        if isinstance(self.screen, StartScreen):
            self.screen.show_error(f"Cannot open the front desk: {message}")
        self.notify(message, title="Cannot open", severity="error", timeout=10)

    # -- actions & command palette ----------------------------------------------

    async def action_quit(self) -> None:
        self.exit(0)

    def current_location_id(self) -> int | None:
        """The location the desk is working at: the schedule's, wherever we are now."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ScheduleScreen) and screen.location is not None:
                return screen.location.id
        return None

    async def action_search(self) -> None:
        if self._desk is None:
            return
        await open_client_flow(self, self.desk, self.current_location_id(), clock=self.clock)

    def on_open_client_profile(self, message: OpenClientProfile) -> None:
        message.stop()
        if self._desk is None:
            return
        self.push_screen(
            ClientProfileScreen(
                self.desk,
                message.client_id,
                location_id=self.current_location_id(),
                clock=self.clock,
            )
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        if isinstance(screen, ScheduleScreen):
            yield SystemCommand("Today", "Show today's schedule", screen.action_today)
            yield SystemCommand("Next day", "Show the next day", screen.action_next_day)
            yield SystemCommand("Previous day", "Show the previous day", screen.action_prev_day)
            yield SystemCommand(
                "Switch location", "Show another location's day", screen.action_switch_location
            )
            yield SystemCommand(
                "Filter by staff",
                "Show one staff member's appointments",
                screen.action_filter_staff,
            )
            yield SystemCommand(
                "Open appointment", "Details of the selected appointment", screen.action_open
            )
            yield SystemCommand("Book appointment", "Book a new appointment", screen.action_book)
            yield SystemCommand(
                "Walk-in ticket", "Find a client and open a ticket (W)", screen.action_walk_in
            )
            yield SystemCommand(
                "Open tickets", "Resume a ticket left open here (T)", screen.action_open_tickets
            )
        yield SystemCommand(
            "Find client", "Search by name, phone, email or client number", self.action_search
        )
        yield SystemCommand("Quit", "Quit the front desk (exit code 0)", self.action_quit)
        for command in super().get_system_commands(screen):
            if command.title != "Quit":  # ours exits with 0
                yield command


def run_app(url: str, *, terminal: str) -> int:
    """Run the front desk on `url` until the user quits; 0 on a clean quit."""
    app = FrontdeskApp(lambda: Desk.open(url, terminal=terminal))
    result = app.run()
    if result is not None:
        return result
    return app.return_code or 0
