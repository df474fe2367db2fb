"""One-line header: business · location · who · terminal on the left, the clock on the right.

Textual's own `Header` shows only title/sub_title; a desk needs to see *where* it is
(which location, which terminal) at a glance. Data flows one way: the app's reactives
are bound to each `DeskScreen` when it is shown (the app answers `DeskScreen.Shown`),
and the screen's to its `DeskHeader`, both with `data_bind`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from screens.widgets.watchers import forget_closed_styles, forget_closed_watchers

SEP = " · "


class DeskHeader(Horizontal):
    """Where am I, and what time is it. All text is shown literally (never markup)."""

    business: reactive[str] = reactive("")
    location: reactive[str] = reactive("")
    terminal: reactive[str] = reactive("")
    staff: reactive[str] = reactive("")

    def __init__(self, clock: Callable[[], dt.datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._clock = clock
        self._shown = ""

    def compose(self) -> ComposeResult:
        yield Static(id="header-where")
        yield Static(id="header-clock")

    def on_mount(self) -> None:
        self._show_where()
        self._tick()
        self.set_interval(1.0, self._tick)

    def _show_where(self) -> None:
        parts = [p for p in (self.business, self.location, self.staff, self.terminal) if p]
        self.query_one("#header-where", Static).update(Content(SEP.join(parts)))

    def _tick(self) -> None:
        # Idle means silent: the clock is painted when its minute changes, not every tick
        # (an SSH or kiosk terminal otherwise gets bytes every second for nothing).
        text = self._clock().strftime("%a %d %b %H:%M")
        if text != self._shown:
            # Same width, no layout: under a modal a layout of the screen below repaints
            # all of it through the modal (6.4 KB at 80x24 each minute, not one line).
            same_width = len(text) == len(self._shown)
            self._shown = text
            self.query_one("#header-clock", Static).update(Content(text), layout=not same_width)

    def watch_business(self) -> None:
        if self.is_mounted:
            self._show_where()

    def watch_location(self) -> None:
        if self.is_mounted:
            self._show_where()

    def watch_terminal(self) -> None:
        if self.is_mounted:
            self._show_where()

    def watch_staff(self) -> None:
        if self.is_mounted:
            self._show_where()


@runtime_checkable
class DeskPlace(Protocol):
    """An app that knows where the desk is (FrontdeskApp)."""

    business_name: str
    location_name: str
    terminal_name: str
    staff_name: str


class DeskScreen(Screen[None]):
    """A screen under the desk header. Where the desk is comes from the app, which binds
    its own reactives to these when the screen says it is `Shown`; an app that does not
    answer leaves the header with the clock alone."""

    desk_business: reactive[str] = reactive("")
    desk_location: reactive[str] = reactive("")
    desk_terminal: reactive[str] = reactive("")
    desk_staff: reactive[str] = reactive("")  # who is signed in

    @property
    def keys_settled(self) -> bool:
        """False while the screen's keys still depend on a read under way (the profile's
        header, a tab being built): the footer waits and is built once, not once before
        and once after. The screen refreshes its bindings when they settle."""
        return True

    class Shown(Message):
        """A desk screen was mounted: bind where the desk is to it."""

        def __init__(self, screen: DeskScreen) -> None:
            super().__init__()
            self.screen = screen

    def desk_header(self, clock: Callable[[], dt.datetime]) -> DeskHeader:
        app = self.app
        if isinstance(app, DeskPlace):
            # The first frame names the desk; `Shown` binds it for later changes. A
            # screen composed whole (a profile from the search) showed a bare header
            # line for a frame while `Shown` waited in the app's queue.
            self.set_reactive(DeskScreen.desk_business, app.business_name)
            self.set_reactive(DeskScreen.desk_location, app.location_name)
            self.set_reactive(DeskScreen.desk_terminal, app.terminal_name)
            self.set_reactive(DeskScreen.desk_staff, app.staff_name)
        return DeskHeader(clock, id="header").data_bind(
            business=DeskScreen.desk_business,
            location=DeskScreen.desk_location,
            terminal=DeskScreen.desk_terminal,
            staff=DeskScreen.desk_staff,
        )

    def _on_mount(self, event: events.Mount) -> None:
        # Beside Screen._on_mount, not instead of it: Textual calls each class's handler.
        self.post_message(self.Shown(self))

    def _compositor_refresh(self) -> None:
        # Under a modal, Textual 8.2.8 hands what changed here (the clock's line) to the
        # modal to repaint, and then marks this whole screen for repainting: the next
        # change repainted all of it through the modal (6.4 KB at 80x24 each minute, not
        # the 84 bytes of the clock). Back on top the screen repaints in full anyway
        # (Screen._on_screen_resume), so that mark is dropped (tests/screens/
        # test_header_clock.py counts the bytes).
        below = self in self.app._background_screens
        super()._compositor_refresh()
        if below:
            self._repaint_required = False

    def _on_unmount(self) -> None:
        # The app's reactives bound to this screen when it was shown would keep it, and
        # every widget on it, alive for as long as the app (screens/widgets/watchers.py).
        forget_closed_watchers(self.app)
        forget_closed_styles()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Back on top: the Footer rebuilds its keys each time, and every key it replaced
        # stayed bound to the footer's `compact` (36 keys per profile opened from here).
        for node in (self.app, *self.walk_children(with_self=True)):
            forget_closed_watchers(node)
