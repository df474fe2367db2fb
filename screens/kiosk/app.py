"""`KioskApp`: the client kiosk, a separate app from the front desk (issue 18, item 1).

Locked down: none of Textual's own keys (inherit_bindings=False drops ctrl+q quit and
ctrl+c's "press ctrl+q to quit"), no command palette, no staff screen is reachable,
and `quit` itself opens the manager-PIN modal. F12 (or ctrl+x) is the staff's way out:
a manager's or owner's PIN ends kiosk mode, with exit code 0.

After each client (Done, "not me") and after `idle_seconds` without a key, the screen
stack is rebuilt: the client's screens are removed, not hidden, and a new, empty start
screen is drawn. Textual draws on the terminal's alternate screen, which keeps no
scrollback, so nothing of the last client is left to scroll back to either.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path, PurePath
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Input, Static

import styles
from frontdesk.domain.errors import describe
from frontdesk.services.kiosk import Kiosk
from screens.kiosk.leave import LeaveModal, OpenScreen
from screens.kiosk.welcome import WelcomeScreen
from screens.low_spec import LowSpecApp
from screens.terminal_caps import FULL, TerminalCaps

STYLES_DIR = Path(styles.__file__).parent
IDLE_SECONDS = 60.0
KioskFactory = Callable[[], Awaitable[Kiosk]]
ACTIVITY = (events.Key, events.MouseDown, events.Paste)


class KioskApp(LowSpecApp, inherit_bindings=False):
    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "kiosk.tcss"]
    TITLE = "frontdesk kiosk"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: no screen or field can take the staff's way out for itself.
        Binding("f12,ctrl+x", "leave", "Staff", show=False, priority=True, id="kiosk.leave"),
    ]

    def __init__(
        self,
        kiosk: Kiosk | KioskFactory,
        *,
        idle_seconds: float = IDLE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
        caps: TerminalCaps = FULL,
    ) -> None:
        super().__init__()
        # Kiosks are the low-spec terminals the issue names: the same drawing rules as
        # the desk (screens/low_spec.py) under TERM=linux or vt100.
        self.apply_caps(caps)
        self._kiosk: Kiosk | None = kiosk if isinstance(kiosk, Kiosk) else None
        self._factory: KioskFactory | None = None if isinstance(kiosk, Kiosk) else kiosk
        self.idle_seconds = idle_seconds
        self._monotonic = monotonic
        self._last_activity = monotonic()
        self._idle: Timer | None = None
        if os.environ.get("TEXTUAL_COLOR_SYSTEM", "").lower() in {"standard", "windows"}:
            self.theme = "ansi-dark"

    @property
    def kiosk(self) -> Kiosk:
        if self._kiosk is None:
            raise RuntimeError("the kiosk is opened when the app mounts")
        return self._kiosk

    async def on_mount(self) -> None:
        if self._factory is not None:
            try:
                self._kiosk = await self._factory()
            except Exception as exc:
                self.exit(return_code=2, message=describe(exc))
                return
        first = (
            OpenScreen(self.kiosk) if self.kiosk.opened_by is None else WelcomeScreen(self.kiosk)
        )
        await self.push_screen(first)
        self._arm_idle(self.idle_seconds)

    async def on_unmount(self) -> None:
        if self._factory is not None and self._kiosk is not None:
            await self._kiosk.close()

    def opened(self, kiosk: Kiosk) -> None:
        """A manager opened the kiosk: clients may check in, as them (rule 8)."""
        self._kiosk = kiosk
        self.call_later(self._start_screen)

    async def _start_screen(self) -> None:
        while len(self.screen_stack) > 2:  # the default screen, then ours
            await self.pop_screen()
        await self.switch_screen(WelcomeScreen(self.kiosk))

    @property
    def fresh(self) -> bool:
        """The start screen with nothing typed and nothing said."""
        screen = self.screen
        if len(self.screen_stack) != 2 or not isinstance(screen, WelcomeScreen):
            return False
        typed = screen.query_one("#kiosk-number", Input).value
        return not typed and not screen.query_one("#kiosk-message", Static).display

    async def reset_kiosk(self) -> None:
        """Back to a new start screen: every screen of the last client removed."""
        if self.kiosk.opened_by is None:
            while len(self.screen_stack) > 2:
                await self.pop_screen()
            return
        await self._start_screen()

    # Activity and idle: one timer per idle period, not a poll; a key only notes the time.
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ACTIVITY):
            self._last_activity = self._monotonic()
        await super().on_event(event)

    def _arm_idle(self, delay: float) -> None:
        if self._idle is not None:
            self._idle.stop()
        self._idle = self.set_timer(delay, self.idle_due, name="kiosk-idle")

    async def idle_due(self) -> None:
        left = self.idle_seconds - (self._monotonic() - self._last_activity)
        if left > 0:
            self._arm_idle(left)
            return
        if not self.fresh:  # idle means silent: a fresh start screen is not redrawn
            await self.reset_kiosk()
        self._arm_idle(self.idle_seconds)

    # The way out, and Textual's own actions made harmless.
    def action_leave(self) -> None:
        if isinstance(self.screen, LeaveModal):
            return
        self.push_screen(LeaveModal(self.kiosk), self._left)

    def _left(self, staff_id: int | None) -> None:
        if staff_id is not None:
            self.exit(0)

    async def action_quit(self) -> None:
        self.action_leave()

    def action_help_quit(self) -> None:
        """ctrl+c is not a way out (and says nothing about one)."""

    def action_command_palette(self) -> None:
        """No palette on a kiosk."""


def run_kiosk_app(url: str, *, terminal: str, location: str) -> int:
    """Run the kiosk until a manager leaves it; 0 then."""
    app = KioskApp(
        lambda: Kiosk.at(url, terminal=terminal, location=location),
        caps=TerminalCaps.from_environment(),
    )
    result = app.run()
    if result is not None:
        return result
    return app.return_code or 0
