"""Notifications: email and SMS, each for schedule, account management and news.

Six checkboxes; toggling one saves it at once. A client with all six off shows an
"Opted out" badge (in words, not only colour).
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Checkbox, Static

from frontdesk.domain.errors import describe
from frontdesk.views.profile import CATEGORIES, CHANNELS, Category, Channel, NotificationPrefs
from screens.profile_tabs.base import ProfileTab
from screens.widgets.form import TickBox, show_line

CHANNEL_WORDS: dict[Channel, str] = {"email": "Email", "sms": "SMS"}
CATEGORY_WORDS: dict[Category, str] = {
    "schedule": "Upcoming schedule and services",
    "account": "Account management",
    "news": "News and updates",
}
OPTED_OUT = "Opted out"


def box_id(channel: Channel, category: Category) -> str:
    return f"notify-{channel}-{category}"


class NotificationsTab(ProfileTab):
    """Opt the client in or out of each kind of automated message."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Next", show=False, id="profile.notify.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="profile.notify.prev"),
    ]

    prefs: NotificationPrefs | None = None
    _write_lock: asyncio.Lock

    def compose(self) -> ComposeResult:
        yield Static(Content(OPTED_OUT), id="notify-badge")
        yield Static(id="notify-status", classes="tab-status")
        for channel in CHANNELS:
            yield Static(Content(CHANNEL_WORDS[channel]), classes="notify-group")
            for category in CATEGORIES:
                box = TickBox(
                    Content(CATEGORY_WORDS[category]),
                    True,
                    id=box_id(channel, category),
                    disabled=True,
                )
                box.tooltip = f"{CHANNEL_WORDS[channel]}: {CATEGORY_WORDS[category]}"
                yield box
        yield Static(id="notify-message", classes="tab-message")
        yield Static(Content("↑↓ move · Space toggle (saves at once)"), classes="tab-help")

    def on_mount(self) -> None:
        self._write_lock = asyncio.Lock()

    def boxes(self) -> list[Checkbox]:
        return list(self.query(Checkbox).results(Checkbox))

    async def load(self) -> None:
        try:
            prefs = await self.desk.profile.notification_prefs(self.client_id)
        except Exception as exc:
            self._message(f"Could not load the notification settings: {describe(exc)}")
            return
        self._message("")
        self._apply(prefs)

    def _message(self, text: str, *, error: bool = True) -> None:
        show_line(self.query_one("#notify-message", Static), text, error=error)

    def _apply(self, prefs: NotificationPrefs) -> None:
        self.prefs = prefs
        for setting in prefs.settings:
            box = self.query_one(f"#{box_id(setting.channel, setting.category)}", Checkbox)
            with box.prevent(Checkbox.Changed):
                box.value = setting.opted_in
            box.disabled = False
        self._show_badge(prefs.opted_out)

    def _show_badge(self, opted_out: bool) -> None:
        self.query_one("#notify-badge", Static).set_class(opted_out, "-shown")
        on_count = sum(1 for s in self.prefs.settings if s.opted_in) if self.prefs else 0
        status = (
            "Opted out of every email and SMS notification"
            if opted_out
            else f"Opted in to {on_count} of 6 notifications"
        )
        self.query_one("#notify-status", Static).update(Content(status))

    def action_move(self, step: int) -> None:
        boxes = self.boxes()
        focused = self.screen.focused
        if focused in boxes:
            assert isinstance(focused, Checkbox)
            index = (boxes.index(focused) + step) % len(boxes)
        else:
            index = 0
        boxes[index].focus()

    @on(Checkbox.Changed)
    def _toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        box_name = event.checkbox.id or ""
        for channel in CHANNELS:
            for category in CATEGORIES:
                if box_name == box_id(channel, category):
                    self._save(channel, category, event.value)

    @work(group="profile-notify-save", exit_on_error=False)
    async def _save(self, channel: Channel, category: Category, opted_in: bool) -> None:
        # Not exclusive: cancelling a write half-way would leave the box saying something
        # the database does not. Writes go one at a time, in the order they were made.
        async with self._write_lock:
            try:
                prefs = await self.desk.profile.set_notification(
                    self.client_id, channel, category, opted_in
                )
            except Exception as exc:
                box = self.query_one(f"#{box_id(channel, category)}", Checkbox)
                with box.prevent(Checkbox.Changed):
                    box.value = not opted_in
                self._message(f"Not saved: {describe(exc)}")
                return
            self._message("")
            self.prefs = prefs
            self._show_badge(prefs.opted_out)
            self.post_changed()
