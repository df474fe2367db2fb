"""The Textual application: header, footer, command palette, and the screen stack.

The desk (the services, and so the async database engine) is opened inside the app's
own event loop: an async SQLAlchemy engine belongs to the loop that first used it; and
after the first frame, sign-in, drawn with Textual and that screen alone (issue 19).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker

import styles
from frontdesk.domain.errors import describe
from screens import start as starting
from screens.low_spec import LowSpecApp
from screens.palette import TEXTUAL_KEPT, binding_commands
from screens.sign_in import FirstOwnerScreen, SignedInMessage, SignInScreen
from screens.terminal_caps import FULL, TerminalCaps, wants_ansi_theme
from screens.widgets.errors import report_failed_worker
from screens.widgets.header import DeskScreen

if TYPE_CHECKING:
    from frontdesk.services.desk import Desk
    from frontdesk.views import DaySchedule, LocationView, StoreView
    from frontdesk.views.staff import SignedIn

    # The screens after sign-in are imported where first opened: every start paid for
    # the till, the profile and the reports (issue 19; tests/house/test_startup_imports.py).
    from screens.appointment import OpenClientProfile
    from screens.schedule import ScheduleScreen
    from screens.ticket import TicketScreen
    from screens.widgets.live import LiveUpdates

STYLES_DIR = Path(styles.__file__).parent

DeskFactory = Callable[[], "Desk"]
SIGNED_IN_ONLY = frozenset({"search", "lock", "plans", "setup"})
SIGN_IN_MODE = "desk"  # the start screen, then sign-in: where a lock goes back to
ACTIVITY = (
    events.Key,
    events.MouseDown,
    events.MouseScrollDown,
    events.MouseScrollUp,
    events.Paste,
)


class FrontdeskApp(LowSpecApp):
    """The front desk. Pass a `Desk` (the caller closes it) or a factory (the app opens
    it in its own event loop and closes it on exit).

    It starts on sign-in. Each person who signs in gets their own Textual mode (a screen
    stack), so a lock, or another person signing in, leaves theirs as it was: the same
    person comes back to the same screen and half-typed modal, another starts clean.
    A desk that already names a staff member (embedding, tests) opens as them."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [
        STYLES_DIR / "app.tcss",
        STYLES_DIR / "schedule.tcss",
    ]
    TITLE = "frontdesk"
    # The start screen, then sign-in: the mode a lock goes back to.
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {"desk": starting.start_screen}
    DEFAULT_MODE = SIGN_IN_MODE
    BINDINGS: ClassVar[list[BindingType]] = [
        # Shown in the schedule's footer only (other screens need the room); both work anywhere.
        Binding("q", "quit", "Quit", id="app.quit", show=False),
        Binding(
            "slash,ctrl+f",
            "search",
            "Search",
            id="app.search",
            key_display="/",
            show=False,
            tooltip="Search: find a client",
        ),
        Binding(
            "f8",
            "setup",
            "Setup",
            id="app.setup",
            show=False,
            tooltip="Setup",
        ),
        # Also in the Setup hub; kept as its own palette entry (and key) as before.
        Binding(
            "f9",
            "plans",
            "Plans",
            id="app.plans",
            show=False,
            tooltip="Membership plans: set up",
        ),
        Binding(
            "ctrl+l",
            "lock",
            "Lock",
            id="app.lock",
            key_display="^L",
            priority=True,
            show=False,
        ),
    ]

    # Follow other terminals' commits (screens/widgets/live.py). Tests of other screens
    # turn it off: its re-reads come at moments of their own, after the test's own writes.
    live_updates: ClassVar[bool] = True

    business_name: reactive[str] = reactive("")
    location_name: reactive[str] = reactive("")
    terminal_name: reactive[str] = reactive("")
    staff_name: reactive[str] = reactive("")

    def __init__(
        self,
        desk: Desk | DeskFactory,
        *,
        clock: Callable[[], dt.datetime] | None = None,
        today: dt.date | None = None,
        ansi: bool | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        live: bool | None = None,
        caps: TerminalCaps = FULL,
        check: starting.StartCheck | None = None,
    ) -> None:
        super().__init__()
        self.apply_caps(caps)  # what the terminal draws (run_app reads TERM)
        self._live = self.live_updates if live is None else live
        self._monotonic = monotonic  # the idle lock's clock
        # A Desk is not callable; a factory is (and Desk's module is not imported here).
        self._desk: Desk | None = None if callable(desk) else desk
        self._factory: DeskFactory | None = desk if callable(desk) else None
        self._check = check
        self.start_error: BaseException | None = None  # what ended a checked start
        self.clock: Callable[[], dt.datetime] = clock or dt.datetime.now
        self._today_override = today
        self.store: StoreView | None = None
        # Read at start-up for the first sign-in; every later one reads it again, so a
        # change saved on another terminal (the idle lock, the name) reaches this one.
        self._store_fresh = False
        self.member: SignedIn | None = None  # who is signed in; None while locked
        self._desks: dict[int, Desk] = {}
        self._locations: tuple[LocationView, ...] = ()
        self._first_day: DaySchedule | None = None
        self._idle: Timer | None = None
        self._last_activity = monotonic()
        self._live_feed: LiveUpdates | None = None
        if ansi if ansi is not None else wants_ansi_theme():
            self.theme = "ansi-dark"

    @property
    def live(self) -> LiveUpdates:
        """What others commit, shown within a second (made after the first frame)."""
        if self._live_feed is None:
            from screens.widgets.live import LiveUpdates

            self._live_feed = LiveUpdates(self)
        return self._live_feed

    @property
    def desk(self) -> Desk:
        """The signed-in person's desk (every write names them); the bare one before."""
        if self._desk is None:
            raise RuntimeError("the desk is opened when the app mounts")
        if self.member is not None:
            return self._desks[self.member.id]
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
        # The database is opened once sign-in itself is drawn (not once the app is: that
        # waited on the start screen under it); a desk made for someone opens as them.
        drawn: MessagePump = self
        if self._desk is None or self._desk.staff_id is None:
            drawn = SignInScreen(None, self.clock)
            self.push_screen(drawn)
        drawn.call_after_refresh(self.start)

    async def on_unmount(self) -> None:
        await starting.end_workers(self, self._live_feed)  # connections back, then close
        if self._factory is not None and self._desk is not None:
            await self._desk.close()

    @work(exclusive=True, group="startup", exit_on_error=False)
    async def start(self) -> None:
        try:
            if self._desk is None and self._factory is not None:
                self._desk = self._factory()  # no connection yet: that is the check's
            desk = self.desk
            if self._check is not None:
                await self._check(desk)  # the CLI's schema and store check, on its engine
            self.terminal_name = desk.terminal
            store = await desk.catalog.store()
            locations = await desk.catalog.locations()
            preset = await desk.sign_in.who(desk.staff_id) if desk.staff_id else None
            first_owner = preset is None and await desk.team.needs_first_owner()
        except Exception as exc:
            self.log.error("startup failed", exc)
            if self._check is not None:  # the CLI says why, off the alternate screen
                self.start_error = exc
                self.exit(return_code=starting.EXIT_START_FAILED)
            else:
                await starting.show_start_failure(self, describe(exc))
            return
        self.store = store
        self._store_fresh = True
        self.business_name = store.business_name
        if not locations:
            await starting.show_start_failure(self, "No locations are set up yet.")
            return
        self._locations = locations
        if self._live:
            self.live.start(desk.change_feed())
        if preset is not None:
            if isinstance(self.screen, SignInScreen):
                self.screen.desk = desk  # for a lock later; no staff list read now
            self._first_day = await starting.first_day_of(self, desk, locations[0], self.today())
            self.enter_as(preset)
            return
        # No day fetched ahead: who signs in later gets the schedule as it is then.
        if first_owner:
            await starting.back_to_start(self)
            await self.push_screen(FirstOwnerScreen(desk, self.clock))
        elif isinstance(self.screen, SignInScreen):
            self.screen.ready(desk)  # what was typed meanwhile is sent now

    # -- who is at the desk --------------------------------------------------------

    def on_signed_in_message(self, message: SignedInMessage) -> None:
        message.stop()
        self.open_for(message.member)

    @work(exclusive=True, group="signed-in", exit_on_error=False)
    async def open_for(self, member: SignedIn) -> None:
        """`member`'s desk; a new schedule gets its day first: its first frame has the rows."""
        if member.id not in self._desks and self._locations and self._desk is not None:
            location, today = self._locations[0], self.today()
            self._first_day = await starting.first_day_of(self, self._desk, location, today)
        self.enter_as(member)

    def enter_as(self, member: SignedIn) -> None:
        """Open `member`'s own screen stack: as they left it, or a new schedule."""
        assert self._desk is not None
        self.member = member
        self.staff_name = member.name
        mode = f"staff-{member.id}"
        if member.id not in self._desks:
            same = self._desk.staff_id == member.id  # a desk made for them: keep it as is
            self._desks[member.id] = self._desk if same else self._desk.as_staff(member.id)
            self.add_mode(mode, self._schedule_for_member)
        self.switch_mode(mode)
        self.live.back(mode)
        parked = [ticket for ticket in self._tickets() if ticket.parked_at_lock]
        if parked:
            from screens.ticket_lock import take_back

            for ticket in parked:
                self.run_worker(take_back(ticket), group="take-back", exit_on_error=False)
        self._start_idle_timer()
        if not self._store_fresh:
            self.reread_store()
        self._store_fresh = False

    @work(exclusive=True, group="store-reread", exit_on_error=False)
    async def reread_store(self) -> None:
        """The store settings as they are now (a failure keeps what was read before)."""
        try:
            store = await self.desk.catalog.store()
        except Exception as exc:
            self.log.error("re-reading the store settings failed", exc)
            return
        self.store_changed(store)

    def _tickets(self) -> list[TicketScreen]:
        """The tickets open in the current stack (none, nor an import, before the till's)."""
        if "screens.ticket" not in sys.modules:
            return []
        from screens.ticket import TicketScreen

        return [s for s in self.screen_stack if isinstance(s, TicketScreen)]

    def _schedule_for_member(self) -> ScheduleScreen:
        assert self.store is not None
        first_day, self._first_day = self._first_day, None
        return starting.schedule_screen(
            self,
            self.desk,
            self._locations,
            today=self.today,
            clock=self.clock,
            store=self.store,
            first_day=first_day,
        )

    async def action_lock(self) -> None:
        """Back to sign-in; what was open stays for the same person, tickets parked."""
        if self.member is None:
            return
        if self._idle is not None:
            self._idle.stop()
            self._idle = None
        tickets = self._tickets()
        self.live.left(f"staff-{self.member.id}")
        self.member = None
        self.staff_name = ""
        await self.switch_mode(SIGN_IN_MODE)
        if not isinstance(self.screen, SignInScreen):
            if isinstance(self.screen, FirstOwnerScreen):  # done with
                await self.pop_screen()
            assert self._desk is not None
            await self.push_screen(SignInScreen(self._desk, self.clock))
        else:
            self.screen.start_over()
        if tickets:
            from screens.ticket_lock import park_for_lock

            for ticket in tickets:
                await park_for_lock(ticket)

    def _start_idle_timer(self) -> None:
        self._last_activity = self._monotonic()
        if self.idle_seconds > 0:
            self._arm_idle(self.idle_seconds)

    @property
    def idle_seconds(self) -> float:
        """The store's idle lock (0: never)."""
        return self.store.idle_lock_seconds if self.store is not None else 0

    def _arm_idle(self, delay: float) -> None:
        # One timer per idle period, not a poll: a key only notes the time, and the timer
        # re-arms itself for what is left when it finds the desk was used meanwhile.
        if self._idle is not None:
            self._idle.stop()
        self._idle = self.set_timer(delay, self.idle_due, name="idle-lock")

    async def idle_due(self) -> None:
        """Lock if nobody has touched the desk for the store's idle time."""
        if self.member is None or self.idle_seconds <= 0:
            return
        left = self.idle_seconds - (self._monotonic() - self._last_activity)
        if left > 0:
            self._arm_idle(left)
            return
        await self.action_lock()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ACTIVITY):
            self._last_activity = self._monotonic()
        if isinstance(event, events.Key):
            # Number, Enter, PIN, Enter typed in one burst: the PIN must not land in the
            # number's field, so a screen may move the focus before the key is routed.
            moves_focus = getattr(self.screen, "enter_moves_focus", None)
            if moves_focus is not None and moves_focus(event):
                return
        await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing about clients before someone signs in: no search, nothing to lock.
        if action in SIGNED_IN_ONLY and self.member is None:
            return None
        return True

    def on_desk_screen_shown(self, message: DeskScreen.Shown) -> None:
        message.stop()
        message.screen.data_bind(
            desk_business=FrontdeskApp.business_name,
            desk_location=FrontdeskApp.location_name,
            desk_terminal=FrontdeskApp.terminal_name,
            desk_staff=FrontdeskApp.staff_name,
        )

    def on_schedule_screen_location_shown(self, message: ScheduleScreen.LocationShown) -> None:
        message.stop()
        self.location_name = message.name

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self, event.worker, event.state)

    # -- actions & command palette ----------------------------------------------

    async def action_quit(self) -> None:
        self.exit(0)

    def current_location_id(self) -> int | None:
        """The location the desk is working at: the schedule's, wherever we are now."""
        from screens.schedule import ScheduleScreen  # open under whoever asks

        for screen in reversed(self.screen_stack):
            if isinstance(screen, ScheduleScreen) and screen.location is not None:
                return screen.location.id
        return None

    def action_reports(self) -> None:
        """The Reports screen from today (the services check the reports permission)."""
        if self._desk is not None and self.member is not None:
            from screens.reports import ReportsScreen  # only when asked for

            self.push_screen(ReportsScreen(self.desk, self.today(), self._locations))

    async def action_search(self) -> None:
        if self._desk is None or self.member is None:
            return
        from screens.search import open_client_flow  # only when asked for

        await open_client_flow(self, self.desk, self.current_location_id(), clock=self.clock)

    def action_plans(self) -> None:
        """The membership plans list (setup: the service refuses anyone without it)."""
        if self._desk is None or self.member is None:
            return
        from screens.plans import PlansScreen  # only when asked for

        self.push_screen(PlansScreen(self.desk, clock=self.clock))

    def action_setup(self) -> None:
        """The Setup hub: every setup screen (anyone may look; the services check)."""
        if self._desk is None or self.member is None:
            return
        from screens.setup_hub import SetupHubScreen  # only when asked for

        self.push_screen(SetupHubScreen(self.desk, clock=self.clock))

    def store_changed(self, store: StoreView) -> None:
        """The store settings saved on this terminal: the header's name and the idle
        lock follow at once (the two-person rule reads its threshold on every check)."""
        self.store = store
        self.business_name = store.business_name
        if self.member is not None:
            self._start_idle_timer()

    def on_open_client_profile(self, message: OpenClientProfile) -> None:
        message.stop()
        if self._desk is None:
            return
        from screens.profile import ClientProfileScreen  # only when a client is opened

        self.push_screen(
            ClientProfileScreen(
                self.desk,
                message.client_id,
                location_id=self.current_location_id(),
                clock=self.clock,
            )
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Every binding in effect on `screen`, the footer's own source (screens/palette.py):
        # its keys, the hidden ones, and ours (Lock, Search, Quit with exit code 0).
        yield from binding_commands(screen)
        for command in super().get_system_commands(screen):
            if command.title in TEXTUAL_KEPT:
                yield command


def run_app(url: str, *, terminal: str, check: starting.StartCheck | None = None) -> int:
    """Run the front desk on `url` until the user quits; 0 on a clean quit. What `check`
    raises (`screens.start.StartCheck`) is raised here, off the alternate screen."""
    caps = TerminalCaps.from_environment()
    app = FrontdeskApp(starting.desk_opener(url, terminal), caps=caps, check=check)
    result = app.run()
    if app.start_error is not None:
        raise app.start_error
    return result if result is not None else app.return_code or 0
