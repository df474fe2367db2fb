"""A money account's balance line and its paged ledger history (Account balance and
Beauty Bank on the Account tab): credits and debits with a sign and an arrow, never
colour alone, and `r` to reverse the selected entry.

The paging, status line and keys are the same for every ledger history; a subclass says
where its pages come from (`fetch`), its columns (`COLUMNS`, `cells`) and whether its
entries may be reversed here (`reversible`) — Service Add-ons' unit history is one."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Static

from frontdesk.domain.errors import describe
from frontdesk.domain.ledger import StoredValueKind, reversal_refusal
from frontdesk.domain.money_context import MoneyContext
from frontdesk.services.desk import Desk
from frontdesk.views.balances import EntryView, HistoryPage
from screens.adjust_balance import MINUS, signed_money
from screens.profile_tabs.base import ProfileTab
from screens.widgets.live import kept_cursor

PAGE_SIZE = 50


def change_text(amount: Decimal, money: MoneyContext | None) -> Text:
    """ "↑ +£25.00" green for a credit, "↓ −£10.00" red for a debit (units without £)."""
    value = money.format(abs(amount)) if money else f"{abs(amount):,}"
    if amount > 0:
        return Text(f"↑ +{value}", style="green")
    return Text(f"↓ {MINUS}{value}", style="red")


def entry_note(entry: EntryView) -> str:
    if entry.reversed_by_id is not None:
        return "reversed"
    if entry.reverses_entry_id is not None:
        return "reversal"
    return ""


def entry_refusal(entry: EntryView) -> str | None:
    """Why `r` does not reverse this entry here, in the service's own words (None: it
    may): already reversed, itself a reversal, or owned by a ticket or an appointment."""
    if entry.reversed_by_id is not None:
        return f"Entry {entry.id} has already been reversed (by entry {entry.reversed_by_id})."
    refusal = reversal_refusal(
        entry.id,
        reverses_entry_id=entry.reverses_entry_id,
        ticket_id=entry.ticket_id,
        appointment_id=entry.appointment_id,
    )
    return None if refusal is None else str(refusal)


def reverse_hint(entry: EntryView | None) -> str:
    """The status line's word for `r` on the selected entry: where it is undone instead."""
    if entry is None or entry_refusal(entry) is None:
        return "r reverse"
    if entry.reversed_by_id is not None or entry.reverses_entry_id is not None:
        return "r: not reversible"
    if entry.ticket_id is not None:
        return f"undo: refund ticket #{entry.ticket_id}"
    return "undo: remove the add-on on its appointment"


def entry_date(entry: EntryView) -> str:
    return f"{entry.created_at:%d %b %y}"


class LedgerTable(DataTable[Text]):
    """One page of ledger entries; its keys page and reverse."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # The status line above the table names the paging keys; the footer has no room.
        Binding("n,pagedown", "page(1)", "Next page", id="account.next_page", show=False),
        Binding("p,pageup", "page(-1)", "Previous page", id="account.prev_page", show=False),
        Binding(
            "r",
            "reverse",
            "Reverse",
            id="account.reverse",
            tooltip="Reverse entry",
        ),
    ]

    def __init__(self, history: LedgerHistory, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.history = history

    def _tab_refusal(self) -> str | None:
        # Reversing is the tab's to offer (read-only for a travel member, a permission).
        tab = next((node for node in self.ancestors if isinstance(node, ProfileTab)), None)
        return None if tab is None else tab.refusal_of("reverse_selected")

    def refusal_of(self, action: str) -> str | None:
        if action != "reverse":
            return None
        entry = self.history.selected_entry()
        return self._tab_refusal() or (entry_refusal(entry) if entry is not None else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "reverse":
            return True
        if not self.history.reversible or self._tab_refusal() is not None:
            return False  # units are undone on their appointment; a permission; read-only
        entry = self.history.selected_entry()
        # Greyed, not hidden, on an entry undone elsewhere: pressed, it says where.
        return None if entry is not None and entry_refusal(entry) is not None else True

    def action_page(self, step: int) -> None:
        self.history.turn_page(step)

    def action_reverse(self) -> None:
        self.history.request_reverse()


class LedgerHistory(Vertical):
    """A money account's balance line and its paged ledger history."""

    reversible: ClassVar[bool] = True
    # (title, key, width) of each column.
    COLUMNS: ClassVar[tuple[tuple[str, str, int], ...]] = (
        ("Date", "date", 9),
        ("Change", "change", 11),
        ("Description", "description", 26),
        ("Balance", "balance", 10),
        ("Note", "note", 8),
    )

    class ReverseRequested(Message):
        def __init__(self, history: LedgerHistory, entry: EntryView) -> None:
            super().__init__()
            self.history = history
            self.entry = entry

    def __init__(
        self,
        desk: Desk,
        client_id: int,
        kind: StoredValueKind,
        *,
        empty_text: str,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="ledger-history")
        self.desk = desk
        self.client_id = client_id
        self.kind = kind
        self.empty_text = empty_text
        # The store's, set by the Account tab (from its summary) before a page is loaded.
        self.money: MoneyContext | None = None
        self.page: HistoryPage | None = None
        self.page_offset = 0

    def compose(self) -> ComposeResult:
        yield Static(classes="ledger-balance")
        yield Static(classes="ledger-status")
        yield LedgerTable(self, id=f"{self.id}-table")
        yield Static(Content(self.empty_text), classes="ledger-empty")

    def on_mount(self) -> None:
        table = self.table
        for title, key, width in self.COLUMNS:
            table.add_column(Text(title), key=key, width=width)

    @property
    def table(self) -> LedgerTable:
        return self.query_one(LedgerTable)

    def set_balance(self, text: str) -> None:
        self.query_one(".ledger-balance", Static).update(Content(text))

    async def fetch(self, offset: int) -> HistoryPage:
        return await self.desk.balances.history(
            self.client_id, self.kind, offset=offset, limit=PAGE_SIZE
        )

    def cells(self, entry: EntryView) -> tuple[Text, ...]:
        assert self.money is not None, "the Account tab sets the money context first"
        return (
            Text(entry_date(entry)),
            change_text(entry.amount, self.money),
            Text(entry.description),
            Text(signed_money(entry.balance_after, self.money)),
            Text(entry_note(entry)),
        )

    async def load_page(self, offset: int = 0, *, keep: bool = False) -> None:
        """Show the page at `offset`; `keep` (the same page read again after someone's
        change) leaves the cursor on its entry."""
        self.show_page(await self.fetch(max(0, offset)), keep=keep)

    def show_page(self, page: HistoryPage, *, keep: bool = False) -> None:
        """Show `page`, read already (the Account tab's first look reads it with the
        balances); `keep` as in `load_page`."""
        keep = keep and self.page is not None and self.page.offset == page.offset
        self.page = page
        self.page_offset = page.offset
        with kept_cursor(self.table, keep):
            self._fill(page)

    def _fill(self, page: HistoryPage) -> None:
        table = self.table
        table.clear()
        for entry in page.entries:
            table.add_row(*self.cells(entry), key=str(entry.id))
        empty = page.total == 0
        table.display = not empty
        self.query_one(".ledger-empty", Static).display = empty
        self.show_status()

    def show_status(self) -> None:
        """Which entries are shown and the keys that work on them (`r` as it applies to
        the selected entry)."""
        page = self.page
        status = self.query_one(".ledger-status", Static)
        if page is None or page.total == 0:
            status.update("")
            status.display = False
            return
        first = page.offset + 1
        last = page.offset + len(page.entries)
        keys = []
        if last < page.total:
            keys.append("n next page")
        if page.offset > 0:
            keys.append("p previous")
        if self.reversible:
            keys.append(reverse_hint(self.selected_entry()))
        status.update(Content(" · ".join([f"Entries {first:,}–{last:,} of {page.total:,}", *keys])))
        status.display = True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self.table:
            self.show_status()
            self.table.refresh_bindings()

    def turn_page(self, step: int) -> None:
        page = self.page
        if page is None:
            return
        offset = page.offset + step * PAGE_SIZE
        if offset < 0 or offset >= page.total:
            return
        self.run_worker(
            self._turn(offset), group=f"page-{self.id}", exclusive=True, exit_on_error=False
        )

    async def _turn(self, offset: int) -> None:
        self.loading = True
        try:
            await self.load_page(offset)
        except Exception as exc:
            self.app.notify(describe(exc), title="Could not load history", severity="error")
        finally:
            self.loading = False
        self.table.focus()

    def selected_entry(self) -> EntryView | None:
        page = self.page
        table = self.table
        if page is None or not page.entries or not table.row_count:
            return None
        return page.entries[max(0, min(table.cursor_row, len(page.entries) - 1))]

    def request_reverse(self) -> None:
        entry = self.selected_entry()
        if entry is not None and self.reversible:
            self.post_message(self.ReverseRequested(self, entry))
