"""Activity: purchases, bookings, cancellations and adjustments, newest first, 50 a page.

Also the cell helpers the other paged tabs (Rewards, Contact History) share.
Cells are `rich.text.Text` (literal): a plain `str` in a DataTable cell is read as markup.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Static

from frontdesk.domain.errors import describe
from frontdesk.domain.money_context import MoneyContext
from frontdesk.views import StoreView
from frontdesk.views.changes import APPOINTMENTS, BALANCES, TICKETS
from frontdesk.views.profile import ActivityItem, ActivityPage
from screens.profile_tabs.paging import PagedTab, next_offset, page_label, prev_offset
from screens.receipt import ReceiptScreen
from screens.widgets.form import show_line
from screens.widgets.live import kept_cursor

PAGE_SIZE = 50
WALL_CLOCK_KINDS = frozenset({"cancellation", "no_show"})


def cell(text: str, *, justify: str = "left") -> Text:
    """A literal, one-line table cell (long text ends in …)."""
    return Text(
        " ".join(text.split()),
        no_wrap=True,
        overflow="ellipsis",
        justify="right" if justify == "right" else "left",
    )


def when(at: dt.datetime, *, wall_clock: bool = False) -> str:
    """A stored UTC time on the desk's clock; `wall_clock` times are shown as they are."""
    local = at if wall_clock or at.tzinfo is None else at.astimezone()
    return f"{local:%d %b %Y %H:%M}"


def day(at: dt.datetime | dt.date) -> str:
    if isinstance(at, dt.datetime) and at.tzinfo is not None:
        at = at.astimezone()
    return f"{at:%d %b %Y}"


def signed_money(amount: Decimal, money: MoneyContext) -> str:
    """Credit and debit carry a sign and an arrow, not just a colour."""
    text = money.format(abs(amount))
    if amount > 0:
        return f"+{text} ↑"
    if amount < 0:
        return f"−{text} ↓"
    return text


def signed_count(value: int | Decimal) -> str:
    if value > 0:
        return f"+{value} ↑"
    if value < 0:
        return f"−{abs(value)} ↓"
    return "0"


def item_text(item: ActivityItem) -> str:
    """The detail, and who did it when the detail doesn't already say."""
    staff = item.staff_name if item.staff_name and item.staff_name not in item.detail else ""
    return " · ".join(p for p in (item.detail, staff) if p)


class ActivityTab(PagedTab):
    """Everything the client did, newest first; pgdn/pgup move 50 at a time; Enter on a
    purchase shows its receipt again (and refunds it from there)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "next_page", "Next 50", id="profile.activity.next", priority=True),
        Binding("pageup", "prev_page", "Previous 50", id="profile.activity.prev", priority=True),
    ]

    LIVE_TABLES = BALANCES | {APPOINTMENTS, TICKETS}
    page: ActivityPage | None = None
    store: StoreView | None = None
    page_offset = 0

    def compose(self) -> ComposeResult:
        yield Static(id="activity-status", classes="tab-status")
        yield DataTable(id="activity-table", cursor_type="row", zebra_stripes=True)
        yield Static(
            Content("No activity yet: bookings, purchases and adjustments show here."),
            id="activity-empty",
            classes="tab-empty",
        )
        yield Static(id="activity-detail", classes="tab-detail")
        yield Static(id="activity-message", classes="tab-message")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("When", width=17, key="when")
        table.add_column("What", width=16, key="what")
        table.add_column("Detail", width=24, key="detail")
        table.add_column("Amount", width=11, key="amount")

    async def load(self) -> None:
        await self._fetch(self.page_offset)

    async def _fetch(self, offset: int) -> None:
        try:
            if self.store is None:
                self.store = await self.desk.catalog.store()
            page = await self.desk.profile.activity(self.client_id, offset=offset, limit=PAGE_SIZE)
            if not page.items and page.total and offset:
                # The list shrank under us: show its last page instead.
                last = max((page.total - 1) // PAGE_SIZE * PAGE_SIZE, 0)
                page = await self.desk.profile.activity(
                    self.client_id, offset=last, limit=PAGE_SIZE
                )
        except Exception as exc:
            show_line(
                self.query_one("#activity-message", Static),
                f"Could not load the activity: {describe(exc)}",
                error=True,
            )
            return
        show_line(self.query_one("#activity-message", Static), "")
        self.page = page
        self.page_offset = page.offset
        self._show(page)
        self.refresh_bindings()

    def _amount(self, item: ActivityItem) -> str:
        if item.amount is None:
            return ""
        if not item.is_money:
            return signed_count(item.amount)
        assert self.store is not None, "read with the page"
        money = self.store.money
        if item.kind == "adjustment":
            return signed_money(item.amount, money)
        return money.format(item.amount)

    def _show(self, page: ActivityPage) -> None:
        table = self.query_one(DataTable)
        with kept_cursor(table, self.refreshing):
            table.clear()
            for i, item in enumerate(page.items):
                table.add_row(
                    cell(when(item.at, wall_clock=item.kind in WALL_CLOCK_KINDS)),
                    cell(item.title),
                    cell(item_text(item)),
                    cell(self._amount(item), justify="right"),
                    key=str(i),
                )
        self._show_detail(page.items[0] if page.items else None)
        empty = page.total == 0
        table.set_class(empty, "-empty")  # stays focusable: its keys work when empty
        self.query_one("#activity-empty", Static).set_class(empty, "-shown")
        status = page_label(page.offset, len(page.items), page.total)
        hints = []
        if next_offset(page.offset, page.limit, page.total) is not None:
            hints.append("PgDn next")
        if prev_offset(page.offset, page.limit) is not None:
            hints.append("PgUp previous")
        text = f"{status} · newest first" + (f" · {' · '.join(hints)}" if hints else "")
        self.query_one("#activity-status", Static).update(Content(text))

    def _show_detail(self, item: ActivityItem | None) -> None:
        line = self.query_one("#activity-detail", Static)
        text = ""
        if item is not None:
            text = f"{item.title} · {item_text(item)}"
        line.update(Content(text))
        line.display = bool(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        page = self.page
        key = event.row_key.value
        if page is not None and key is not None and key.isdigit() and int(key) < len(page.items):
            self._show_detail(page.items[int(key)])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        page = self.page
        key = event.row_key.value
        if page is None or key is None or not key.isdigit() or int(key) >= len(page.items):
            return
        ticket_id = page.items[int(key)].ticket_id
        if ticket_id is not None:
            self.app.push_screen(ReceiptScreen(self.desk, ticket_id), self._receipt_closed)

    def _receipt_closed(self, refunded: bool | None) -> None:
        if refunded:
            self.post_changed()  # balances moved: header and Overview reload
            # A failure is reported in words by the app (never a traceback that ends it).
            self.run_worker(
                self.load(), exclusive=True, group="activity-reload", exit_on_error=False
            )

    def after_turn(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=0)
