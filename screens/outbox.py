"""The notifications outbox: what was queued for clients, newest first, sent or pending.

`OutboxScreen(desk)` reads a page of `desk.outbox.list` in a worker (the table shows its
loading state meanwhile); `]` and `[` page through, `s` sends what is pending
(`desk.outbox.send_pending`, the log-file sender) and reads the page again, Esc closes.
The highlighted message's whole text (and why its last send failed) shows under the
table. Reading and sending need the "reports" permission; without it the screen says so
in the service's words.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePath
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

import styles
from frontdesk.domain.errors import DomainError, describe
from frontdesk.services.desk import Desk
from frontdesk.views.outbox import OutboxMessage, OutboxPage
from screens.widgets.cells import cell, fit
from screens.widgets.footer import SteadyFooter

STYLES_DIR = Path(styles.__file__).parent
PAGE = 50
EMPTY = "Nothing in the outbox yet: messages to clients show here when they are queued."

COLUMNS = {
    "when": "When",
    "client": "Client",
    "channel": "Via",
    "category": "Kind",
    "text": "Text",
    "status": "Status",
}
# 66 cells of text at 80 columns: one cell of padding either side of each of the six
# columns and two for the scrollbar.
WIDTHS = {"when": 12, "client": 14, "channel": 5, "category": 8, "text": 20, "status": 7}


def when(created: dt.datetime) -> str:
    """Local time, day and minute: "23 Nov 09:41"."""
    return created.astimezone().strftime("%d %b %H:%M")


def row_cells(message: OutboxMessage) -> tuple[Text, ...]:
    values = {
        "when": when(message.created_at),
        "client": message.client_name,
        "channel": message.channel,
        "category": message.category,
        "text": message.text,
        "status": "Sent" if message.sent else "Pending",
    }
    return tuple(cell(values[key], WIDTHS[key]) for key in COLUMNS)


def detail(message: OutboxMessage) -> str:
    """The whole text, and why the last send failed if it did."""
    text = fit(message.text, 300)
    if message.sent or not message.attempts:
        return text
    return f"{text}\nNot sent after {message.attempts} tries: {fit(message.last_error, 120)}"


class OutboxScreen(Screen[None]):
    """Newest first; `s` sends what is pending."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "outbox.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "send", "Send pending", id="outbox.send"),
        Binding("right_square_bracket", "page(1)", "Older", id="outbox.older", key_display="]"),
        Binding("left_square_bracket", "page(-1)", "Newer", id="outbox.newer", key_display="["),
        Binding("escape", "close", "Close", id="outbox.close"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.start = 0
        self.page: OutboxPage | None = None
        self.sending = False

    def compose(self) -> ComposeResult:
        yield Static(Content("Notifications outbox"), id="outbox-title")
        yield DataTable[Text](id="outbox-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="outbox-empty")
        yield Static(id="outbox-detail")
        yield Static(id="outbox-message")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#outbox-table", DataTable)
        for key, label in COLUMNS.items():
            table.add_column(Text(label), key=key, width=WIDTHS[key])
        self.query_one("#outbox-empty").display = False
        table.focus()
        self.load()

    def show_message(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#outbox-message", Static)
        message.update(Content(text))
        message.set_class(error, "-error")

    @work(exclusive=True, group="outbox-load", exit_on_error=False)
    async def load(self) -> None:
        table = self.query_one("#outbox-table", DataTable)
        table.loading = True
        try:
            page = await self.desk.outbox.list(self.start, PAGE)
        except Exception as exc:
            if not isinstance(exc, DomainError):
                self.log.error("outbox failed", exc)
            self._empty(f"Could not read the outbox: {describe(exc)}")
            return
        finally:
            table.loading = False
        self._show(page)

    def _empty(self, text: str) -> None:
        self.query_one("#outbox-table").display = False
        self.query_one("#outbox-detail", Static).update("")
        empty = self.query_one("#outbox-empty", Static)
        empty.update(Content(text))
        empty.display = True

    def _show(self, page: OutboxPage) -> None:
        self.page = page
        table: DataTable[Text] = self.query_one("#outbox-table", DataTable)
        table.clear()
        shown = (
            f"{page.offset + 1}–{page.offset + len(page.messages)} of {page.total}"
            if page.messages
            else "none"
        )
        self.query_one("#outbox-title", Static).update(
            Content(f"Notifications outbox · {shown} · {page.pending} pending")
        )
        if not page.messages:
            self._empty(EMPTY)
            return
        for message in page.messages:
            table.add_row(*row_cells(message), key=str(message.id))
        self.query_one("#outbox-empty").display = False
        table.display = True
        table.move_cursor(row=0)
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.page is None or event.cursor_row >= len(self.page.messages):
            return
        message = self.page.messages[event.cursor_row]
        self.query_one("#outbox-detail", Static).update(Content(detail(message)))

    def action_page(self, step: int) -> None:
        if self.page is None:
            return
        offset = self.start + step * PAGE
        if offset < 0 or offset >= max(self.page.total, 1):
            self.show_message("No older messages." if step > 0 else "This is the newest page.")
            return
        self.start = offset
        self.show_message("")
        self.load()

    def action_send(self) -> None:
        if not self.sending:
            self.send()

    @work(exclusive=True, group="outbox-send", exit_on_error=False)
    async def send(self) -> None:
        self.sending = True
        self.show_message("Sending…")
        try:
            report = await self.desk.outbox.send_pending()
        except Exception as exc:
            if not isinstance(exc, DomainError):
                self.log.error("outbox send failed", exc)
            self.show_message(f"Not sent: {describe(exc)}", error=True)
            return
        finally:
            self.sending = False
        self.show_message(str(report).capitalize(), error=report.failed > 0)
        self.load()

    def action_close(self) -> None:
        self.dismiss(None)
