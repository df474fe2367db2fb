"""Account: balances, their ledger histories, add-ons, prepaid, memberships.

Rules: docs/rules.md#account-balance, #beauty-bank, #banked-products, #prepaid-services.

Five sections in their own tabs: Account balance and Beauty Bank (each a paged ledger
history, newest first, 50 a page: `n`/PgDn next page, `p`/PgUp previous), Service
Add-ons (the banked products; ↑↓ picks one and its unit history shows below, paged the
same way, Enter goes into it), Prepaid services (`f` active only, Enter shows an item's
history, `j` sets the visits left after a count discrepancy, with a reason) and
Memberships (screens/profile_tabs/memberships.py: pause, resume, change plan, cancel).
Credits read "↑ +£25.00" (green) and debits "↓ −£10.00" (red): the sign and arrow carry
the meaning, colour only repeats it.

`r` on a history entry reverses it: a reason is asked for and one new, opposite entry
is written. Nothing is ever edited; an entry already reversed says so, and so does a
reversal, or an entry a ticket or an appointment owns (the key is greyed on it and the
status line says where it is undone: the ticket's refund, the appointment's add-ons). `r` needs
"reverse entries" and `j` "adjust balances": without them the key says so.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from frontdesk.domain.errors import DomainError, describe
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.permissions import Perm
from frontdesk.domain.write_keys import new_key
from frontdesk.views import ClientSummary
from frontdesk.views.balances import EntryView, PrepaidItem
from frontdesk.views.changes import ADDONS, BALANCES, MEMBERSHIPS
from frontdesk.views.profile import BankedProductView
from screens.adjust_balance import account_words, signed_money
from screens.approval import with_approval
from screens.profile_permissions import refused
from screens.profile_tabs.base import ProfileTab
from screens.profile_tabs.ledger_history import (
    LedgerHistory,
    change_text,
    entry_date,
    entry_refusal,
)
from screens.profile_tabs.memberships import MembershipsPane
from screens.profile_tabs.unit_history import UnitHistory, units
from screens.reason import QuantityModal, ReasonModal
from screens.widgets.live import kept_cursor

WALLET_EMPTY = "No Beauty Bank activity yet."
ACCOUNT_EMPTY = "No account balance activity yet."
ADDONS_EMPTY = "No banked products — Buy add-ons (sell them on a ticket at checkout)."
UNITS_EMPTY = "No entries for this product yet."
PREPAID_EMPTY = "No prepaid services."
PREPAID_ACTIVE_EMPTY = "No active prepaid services (f shows all)."


class AccountTab(ProfileTab):
    """The client's stored value: everything here is a ledger entry or read from one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "toggle_active", "Active only", id="account.active_only"),
        Binding("j", "adjust_prepaid", "Adjust visits", id="account.adjust_prepaid"),
        # `r` works before the history table has focus (the line above it says "r reverse").
        Binding("r", "reverse_selected", "Reverse entry", id="account.reverse_section", show=False),
    ]
    WRITES: ClassVar[frozenset[str]] = frozenset({"adjust_prepaid", "reverse_selected"})
    HISTORIES: ClassVar[dict[str, str]] = {
        "acct-balance": "#account-history",
        "acct-wallet": "#wallet-history",
    }

    @property
    def active_section(self) -> str:
        return self.query_one("#account-sections", TabbedContent).active

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Each key only where it means something (and only then in the footer).
        if not super().check_action(action, parameters):
            return False
        if action in ("toggle_active", "adjust_prepaid"):
            return self.active_section == "acct-prepaid"
        if action == "reverse_selected":
            return self.active_section in self.HISTORIES
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.tabbed_content.id == "account-sections":
            self.refresh_bindings()

    def action_reverse_selected(self) -> None:
        selector = self.HISTORIES.get(self.active_section)
        if selector is not None:
            self.query_one(selector, LedgerHistory).request_reverse()

    LIVE_TABLES = BALANCES | {ADDONS, MEMBERSHIPS}
    summary: ClientSummary | None = None
    prepaid: tuple[PrepaidItem, ...] = ()
    banked: tuple[BankedProductView, ...] = ()
    active_only = True

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(
            Content(f"Read-only: {self.read_only_reason}" if self.read_only_reason else ""),
            id="account-readonly",
        )
        with TabbedContent(id="account-sections"):
            with TabPane("Account balance", id="acct-balance"):
                yield LedgerHistory(
                    self.desk,
                    self.client_id,
                    StoredValueKind.ACCOUNT_MONEY,
                    empty_text=ACCOUNT_EMPTY,
                    id="account-history",
                )
            with TabPane("Beauty Bank", id="acct-wallet"):
                yield LedgerHistory(
                    self.desk,
                    self.client_id,
                    StoredValueKind.WALLET_MONEY,
                    empty_text=WALLET_EMPTY,
                    id="wallet-history",
                )
            with TabPane("Service Add-ons", id="acct-addons"), Vertical():
                yield Static(id="addons-body")
                yield DataTable[Text](id="addons-products", cursor_type="row")
                yield UnitHistory(
                    self.desk, self.client_id, empty_text=UNITS_EMPTY, id="addons-history"
                )
            with TabPane("Prepaid", id="acct-prepaid"), Vertical():
                yield Static(id="prepaid-filter")
                yield DataTable[Text](id="prepaid-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="prepaid-empty")
                yield Static(id="prepaid-history-title")
                yield DataTable[Text](id="prepaid-history", cursor_type="row")
            with TabPane("Memberships", id="acct-memberships"):
                yield MembershipsPane(self, id="memberships-pane")

    def on_mount(self) -> None:
        self.query_one("#account-readonly").display = self.read_only
        prepaid: DataTable[Text] = self.query_one("#prepaid-table", DataTable)
        prepaid.add_column(Text("Service"), key="service", width=30)
        prepaid.add_column(Text("Left"), key="left", width=6)
        prepaid.add_column(Text("Bought"), key="bought", width=7)
        prepaid.add_column(Text("Used"), key="used", width=6)
        history: DataTable[Text] = self.query_one("#prepaid-history", DataTable)
        history.add_column(Text("Date"), key="date", width=9)
        history.add_column(Text("Change"), key="change", width=8)
        history.add_column(Text("Description"), key="description", width=30)
        history.add_column(Text("Left"), key="left", width=6)
        history.display = False
        products: DataTable[Text] = self.query_one("#addons-products", DataTable)
        products.add_column(Text("Product"), key="product", width=30)
        products.add_column(Text("Left"), key="left", width=12)
        products.add_column(Text("Entries"), key="entries", width=8)

    # -- loading -----------------------------------------------------------------

    async def load(self) -> None:
        summary = await self.desk.clients.summary(self.client_id)
        self.summary = summary
        account = self.query_one("#account-history", LedgerHistory)
        wallet = self.query_one("#wallet-history", LedgerHistory)
        for history in (account, wallet):
            history.money = summary.money
        account.set_balance(
            f"Account balance: {account_words(summary.account_balance, summary.money)}"
            + ("" if self.read_only else " · a Adjust Balance · y Pay Balance")
        )
        wallet.set_balance(
            f"Available Balance {signed_money(summary.wallet_balance, summary.money)}"
            + ("" if self.read_only else " · b Adjust Balance")
        )
        keep = self.refreshing  # someone's change: cursors stay on their rows
        await account.load_page(account.page_offset, keep=keep)
        await wallet.load_page(wallet.page_offset, keep=keep)
        await self._load_addons()
        wallet_line = f"Beauty Bank {signed_money(summary.wallet_balance, summary.money)}"
        await self.query_one(MembershipsPane).load(wallet_line, keep=keep)
        await self.load_prepaid()

    async def _load_addons(self) -> None:
        """The banked products (even those at 0: their history stays), and the history of
        the one chosen before (the first at first)."""
        banked = await self.desk.profile.banked_products(self.client_id)
        history = self.query_one("#addons-history", UnitHistory)
        chosen = history.product.product_id if history.product else None
        self.banked = banked
        table: DataTable[Text] = self.query_one("#addons-products", DataTable)
        table.clear()
        for b in banked:
            table.add_row(
                Text(b.product_name, no_wrap=True, overflow="ellipsis"),
                Text(units(b.units, b.unit_name), no_wrap=True),
                Text(f"{b.entries:,}"),
                key=str(b.product_id),
            )
        body = self.query_one("#addons-body", Static)
        body.update(Content(ADDONS_EMPTY))
        body.display = not banked  # the balance line under the table names the keys
        table.display = bool(banked)
        history.display = bool(banked)
        row = next((i for i, b in enumerate(banked) if b.product_id == chosen), 0)
        if banked:
            table.move_cursor(row=row)
        await history.show_product(banked[row] if banked else None, keep=self.refreshing)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "addons-products" or event.row_key.value is None:
            return
        event.stop()
        product_id = int(event.row_key.value)
        product = next((b for b in self.banked if b.product_id == product_id), None)
        history = self.query_one("#addons-history", UnitHistory)
        if product is None or (history.product and history.product.product_id == product_id):
            return
        self.run_worker(
            self._show_units(product), group="addons-history", exclusive=True, exit_on_error=False
        )

    async def _show_units(self, product: BankedProductView) -> None:
        history = self.query_one("#addons-history", UnitHistory)
        try:
            await history.show_product(product)
        except Exception as exc:
            self.app.notify(describe(exc), title="Could not load history", severity="error")

    async def load_prepaid(self) -> None:
        items = await self.desk.prepaid.items(self.client_id, active_only=self.active_only)
        self.prepaid = items
        shown = "active only (f: show all)" if self.active_only else "all (f: active only)"
        self.query_one("#prepaid-filter", Static).update(
            Content(f"Showing {shown} · Enter: item history")
        )
        table: DataTable[Text] = self.query_one("#prepaid-table", DataTable)
        with kept_cursor(table, self.refreshing):
            table.clear()
            for item in items:
                table.add_row(
                    Text(item.service_name),
                    Text(str(item.remaining)),
                    Text(str(item.purchased)),
                    Text(str(item.used)),
                    key=str(item.account_id),
                )
        table.display = bool(items)
        empty = self.query_one("#prepaid-empty", Static)
        empty.update(Content(PREPAID_ACTIVE_EMPTY if self.active_only else PREPAID_EMPTY))
        empty.display = not items
        self.query_one("#prepaid-history-title", Static).display = False
        self.query_one("#prepaid-history", DataTable).display = False

    # -- prepaid -----------------------------------------------------------------

    def action_toggle_active(self) -> None:
        self.active_only = not self.active_only
        self.run_worker(
            self._reload_prepaid(), group="prepaid", exclusive=True, exit_on_error=False
        )

    async def _reload_prepaid(self) -> None:
        try:
            await self.load_prepaid()
        except Exception as exc:
            self.app.notify(describe(exc), title="Could not load", severity="error")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "addons-products":
            event.stop()
            self.query_one("#addons-history", UnitHistory).table.focus()
            return
        if event.data_table.id != "prepaid-table" or event.row_key.value is None:
            return
        event.stop()
        account_id = int(event.row_key.value)
        item = next((i for i in self.prepaid if i.account_id == account_id), None)
        if item is not None:
            self.run_worker(
                self._show_prepaid_history(item),
                group="prepaid-history",
                exclusive=True,
                exit_on_error=False,
            )

    async def _show_prepaid_history(self, item: PrepaidItem) -> None:
        try:
            entries = await self.desk.prepaid.history(item.account_id)
        except Exception as exc:
            self.app.notify(describe(exc), title="Could not load", severity="error")
            return
        title = self.query_one("#prepaid-history-title", Static)
        title.update(Content(f"{item.service_name}: {len(entries)} entries, newest first"))
        title.display = True
        table: DataTable[Text] = self.query_one("#prepaid-history", DataTable)
        table.clear()
        for entry in entries:
            table.add_row(
                Text(entry_date(entry)),
                change_text(entry.amount, None),
                Text(entry.description),
                Text(f"{entry.balance_after:,}"),
                key=str(entry.id),
            )
        table.display = True

    def action_adjust_prepaid(self) -> None:
        """Set the visits left after a count discrepancy (docs/rules.md#prepaid-services)."""
        if self.read_only_reason:
            self.app.notify(self.read_only_reason, title="Read-only", severity="warning")
            return
        if refused(self, self.may, Perm.ADJUST_BALANCES):
            return
        table: DataTable[Text] = self.query_one("#prepaid-table", DataTable)
        row = table.cursor_row
        if not table.display or not 0 <= row < len(self.prepaid):
            self.app.notify("Choose a prepaid service first.", severity="warning")
            return
        self.run_worker(
            self._adjust_prepaid(self.prepaid[row]),
            group="account-adjust-prepaid",
            exclusive=True,
            exit_on_error=False,
        )

    async def _adjust_prepaid(self, item: PrepaidItem) -> None:
        key = new_key()  # this adjustment's: asking again with a manager's PIN is a retry
        left = await self.app.push_screen_wait(
            QuantityModal(
                f"{item.service_name}: {item.remaining} left"[:60],
                "Visits left after the adjustment",
                value=str(item.remaining),
                minimum=0,
            )
        )
        if left is None:
            return
        reason = await self.app.push_screen_wait(
            ReasonModal(
                f"{item.service_name}: {item.remaining} → {left} left"[:60],
                "Reason for the adjustment (required)",
                placeholder="e.g. visit redeemed on paper",
            )
        )
        if reason is None:
            return
        try:
            adjusted = await with_approval(
                self.app,
                lambda approval: self.desk.prepaid.adjust(
                    item.account_id, left, reason, key=key, approval=approval
                ),
            )
        except Exception as exc:
            if not isinstance(exc, DomainError):
                self.log.error("prepaid adjustment failed", exc)
            self.app.notify(describe(exc), title="Not adjusted", severity="error")
            return
        self.app.notify(
            f"{adjusted.service_name}: {adjusted.remaining} left",
            title="Adjustment already written" if adjusted.replayed else "Adjustment written",
        )
        await self._reload_prepaid()
        self.post_changed()

    # -- reversing ---------------------------------------------------------------

    def on_ledger_history_reverse_requested(self, event: LedgerHistory.ReverseRequested) -> None:
        event.stop()
        entry = event.entry
        if self.read_only_reason:
            self.app.notify(self.read_only_reason, title="Read-only", severity="warning")
            return
        if refused(self, self.may, Perm.REVERSE_ENTRIES):
            return
        refusal = entry_refusal(entry)
        if refusal is not None:
            self.app.notify(refusal, title="Not reversed here", severity="warning")
            return
        self.run_worker(
            self._reverse(event.history, entry),
            group="account-reverse",
            exclusive=True,
            exit_on_error=False,
        )

    async def _reload_after_refusal(self, history: LedgerHistory) -> None:
        """A refusal often means another terminal got there first: show what it did."""
        try:
            await history.load_page(history.page_offset)
        except Exception as exc:
            self.app.notify(describe(exc), title="Could not load history", severity="error")

    async def _reverse(self, history: LedgerHistory, entry: EntryView) -> None:
        key = new_key()  # this reversal's: asking again with a manager's PIN is a retry
        assert history.money is not None
        money = signed_money(entry.amount, history.money)
        reason = await self.app.push_screen_wait(
            ReasonModal(
                f"Reverse {money} · {entry.description}"[:60],
                "Reason for the reversal (required)",
                placeholder="e.g. entered twice",
            )
        )
        if reason is None:
            return
        try:
            reversal = await with_approval(
                self.app,
                lambda approval: self.desk.balances.reverse_entry(
                    entry.id, reason, key=key, approval=approval
                ),
            )
        except Exception as exc:
            if not isinstance(exc, DomainError):
                self.log.error("reverse failed", exc)
            self.app.notify(describe(exc), title="Not reversed", severity="error")
            await self._reload_after_refusal(history)
            return
        self.app.notify(
            f"Reversed: {signed_money(reversal.amount, history.money)} ({reversal.item_name})",
            title="Reversal already written" if reversal.replayed else "Reversal written",
        )
        self.loading = True
        try:
            await self.load()
        finally:
            self.loading = False
        history.table.focus()
        self.post_changed()
