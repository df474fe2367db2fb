"""Account: balances, their ledger histories, add-ons, prepaid, memberships
(docs/rules.md#account-balance, #beauty-bank, #banked-products, #prepaid-services).

Five sections: Account balance and Beauty Bank (paged ledger histories, newest first,
50 a page: `n`/PgDn, `p`/PgUp), Service Add-ons (↑↓ picks a banked product, its unit
history below, paged the same way), Prepaid services (`f` active only, Enter an item's
history, `j` sets the visits left after a count discrepancy, with a reason) and
Memberships (screens/profile_tabs/memberships.py). Credits "↑ +£25.00" (green), debits
"↓ −£10.00" (red): the sign and arrow carry the meaning, colour only repeats it.

`r` on a history entry reverses it with a reason: one new, opposite entry, nothing edited.
An entry already reversed, a reversal, or one a ticket or an appointment owns says where
it is undone instead (the key greyed). `r` needs "reverse entries", `j` "adjust balances".
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import ContentSwitcher, DataTable, Static

from frontdesk.domain.errors import DomainError, describe
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.permissions import Perm
from frontdesk.domain.write_keys import new_key
from frontdesk.views import ClientSummary
from frontdesk.views.balances import BalancesWithHistory, HistoryPage, PrepaidItem
from frontdesk.views.changes import ADDONS, BALANCES, MEMBERSHIPS
from frontdesk.views.profile import BankedProductView
from screens.adjust_balance import account_words, signed_money
from screens.approval import with_approval
from screens.profile_permissions import refused
from screens.profile_tabs.account_reversal import reverse_entry
from screens.profile_tabs.account_sections import section_widgets
from screens.profile_tabs.base import ProfileTab
from screens.profile_tabs.ledger_history import (
    PAGE_SIZE,
    LedgerHistory,
    change_text,
    entry_date,
    entry_refusal,
)
from screens.profile_tabs.memberships import MembershipsPane
from screens.profile_tabs.unit_history import UnitHistory, units
from screens.reason import QuantityModal, ReasonModal
from screens.widgets.live import kept_cursor
from screens.widgets.section_bar import SectionBar

ADDONS_EMPTY = "No banked products — Buy add-ons (sell them on a ticket at checkout)."
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
    KINDS: ClassVar[dict[str, StoredValueKind]] = {
        "acct-balance": StoredValueKind.ACCOUNT_MONEY,
        "acct-wallet": StoredValueKind.WALLET_MONEY,
    }

    @property
    def active_section(self) -> str:
        return self.query_one("#account-sections", SectionBar).active

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Each key only where it means something (and only then in the footer).
        if not super().check_action(action, parameters):
            return False
        if action in ("toggle_active", "adjust_prepaid"):
            return self.active_section == "acct-prepaid"
        if action == "reverse_selected":
            return self.active_section in self.HISTORIES
        return True

    async def on_section_bar_changed(self, event: SectionBar.Changed) -> None:
        event.stop()
        section = event.section
        await self._show_pane(section)
        self.refresh_bindings()
        # A section is read the first time it is shown (issue 19: `7` reads the balance
        # and one history page, not all five sections). Before the tab's own first read
        # has the summary, `load` reads whichever section is showing by then.
        if section in self.sections_loaded or self.summary is None:
            return
        self.sections_loaded.add(section)
        # Covered now, not when the worker starts: its contents are not built yet.
        self.query_one(f"#{section}", Vertical).loading = True
        self.run_worker(
            self._first_section(section),
            group=f"account-{section}",
            exclusive=True,
            exit_on_error=False,
        )

    async def _first_section(self, section: str) -> None:
        pane = self.query_one(f"#{section}", Vertical)
        try:
            await self._load_section(section, keep=False)
        except Exception as exc:
            self.sections_loaded.discard(section)  # shown again, it tries again
            self.app.notify(describe(exc), title="Could not load", severity="error")
        finally:
            pane.loading = False

    def action_reverse_selected(self) -> None:
        selector = self.HISTORIES.get(self.active_section)
        if selector is not None and self._built(selector):
            self.query_one(selector, LedgerHistory).request_reverse()

    LIVE_TABLES = BALANCES | {ADDONS, MEMBERSHIPS}
    SECTIONS: ClassVar[tuple[str, ...]] = (
        "acct-balance",
        "acct-wallet",
        "acct-addons",
        "acct-prepaid",
        "acct-memberships",
    )
    SECTION_LABELS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("acct-balance", "Account balance"),
        ("acct-wallet", "Beauty Bank"),
        ("acct-addons", "Service Add-ons"),
        ("acct-prepaid", "Prepaid"),
        ("acct-memberships", "Memberships"),
    )
    summary: ClientSummary | None = None
    first: BalancesWithHistory | None = None  # `first_read`'s, until the first `load`
    prepaid: tuple[PrepaidItem, ...] = ()
    banked: tuple[BankedProductView, ...] = ()
    active_only = True

    def compose(self) -> ComposeResult:
        self.sections_loaded: set[str] = set()  # read at least once; re-read on `load`
        self.sections_built: set[str] = set()  # contents mounted (account_sections.py)
        yield Static(
            Content(f"Read-only: {self.read_only_reason}" if self.read_only_reason else ""),
            id="account-readonly",
        )
        # One widget draws the section row (a TabbedContent mounted 17 for it), and a
        # section's pane, and its widgets, are mounted when it is first shown (issue 19);
        # the first section's come with the tab (one mount, not two).
        yield SectionBar(self.SECTION_LABELS, id="account-sections")
        first = self.SECTIONS[0]
        self.sections_built.add(first)
        yield ContentSwitcher(
            Vertical(*section_widgets(self, first), id=first, classes="account-section"),
            id="account-section-panes",
            initial=first,
        )

    def on_mount(self) -> None:
        self.query_one("#account-readonly").display = self.read_only

    async def first_read(self) -> None:
        """The balances and the first section's first page (Account balance), read
        while the tab is being built."""
        try:
            self.first = await self.desk.balances.with_history(
                self.client_id, self.KINDS[self.SECTIONS[0]], offset=0, limit=PAGE_SIZE
            )
        except Exception:  # `load` reads again, and says why it cannot
            self.first = None

    async def _pane(self, section: str) -> Vertical:
        """`section`'s pane in the switcher, mounted (empty, hidden) the first time."""
        switcher = self.query_one("#account-section-panes", ContentSwitcher)
        found = switcher.query_children(f"#{section}")
        if found:
            return found.only_one(Vertical)
        pane = Vertical(id=section, classes="account-section")
        pane.display = False
        # Registered before the await: a second caller finds it and mounts no other.
        await switcher.mount(pane)
        return pane

    async def _show_pane(self, section: str) -> None:
        await self._pane(section)
        self.query_one("#account-section-panes", ContentSwitcher).current = section

    async def _build_section(self, section: str) -> None:
        if section in self.sections_built:
            return
        # Marked before the mount: a second caller meanwhile must not mount it twice.
        self.sections_built.add(section)
        pane = await self._pane(section)
        await pane.mount_all(section_widgets(self, section))

    def _built(self, selector: str) -> bool:
        """The widget `selector` names is there (its section has been shown)."""
        return bool(self.query(selector))

    async def load(self) -> None:
        keep = self.refreshing  # someone's change: cursors stay on their rows
        # The section in view and those read before; the others when first shown.
        shown = self.active_section or self.SECTIONS[0]
        self.sections_loaded.add(shown)
        page: HistoryPage | None = None
        kind = self.KINDS.get(shown)
        if kind is None:
            self.summary = await self.desk.clients.summary(self.client_id)
        else:  # a history in view: it and the balances in one read (issue 19)
            await self._build_section(shown)
            history = self.query_one(self.HISTORIES[shown], LedgerHistory)
            both, self.first = self.first, None  # read beside the mount: used once
            if both is None or keep or shown != self.SECTIONS[0] or history.page_offset:
                both = await self.desk.balances.with_history(
                    self.client_id, kind, offset=history.page_offset, limit=PAGE_SIZE
                )
            self.summary, page = both.summary, both.page
        for section in self.SECTIONS:
            if section in self.sections_loaded:
                await self._load_section(
                    section, keep=keep, page=page if section == shown else None
                )

    async def _load_section(
        self, section: str, *, keep: bool, page: HistoryPage | None = None
    ) -> None:
        """Read and show `section` (`page`: its history page, read already)."""
        await self._build_section(section)
        summary = self.summary
        if summary is None:
            return
        money = summary.money
        if section in ("acct-balance", "acct-wallet"):
            if section == "acct-balance":
                history = self.query_one("#account-history", LedgerHistory)
                line = f"Account balance: {account_words(summary.account_balance, money)}"
                keys = " · a Adjust Balance · y Pay Balance"
            else:
                history = self.query_one("#wallet-history", LedgerHistory)
                line = f"Available Balance {signed_money(summary.wallet_balance, money)}"
                keys = " · b Adjust Balance"
            history.money = money
            history.set_balance(line + ("" if self.read_only else keys))
            if page is not None:
                history.show_page(page, keep=keep)
            else:
                await history.load_page(history.page_offset, keep=keep)
        elif section == "acct-addons":
            await self._load_addons()
        elif section == "acct-prepaid":
            await self.load_prepaid()
        elif section == "acct-memberships":
            wallet_line = f"Beauty Bank {signed_money(summary.wallet_balance, money)}"
            await self.query_one(MembershipsPane).load(wallet_line, keep=keep)

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

    def action_toggle_active(self) -> None:
        self.active_only = not self.active_only
        if not self._built("#prepaid-table"):
            return  # the section's first read, still to come, reads with the new filter
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
        if not self._built("#prepaid-table"):
            return  # pressed while the section is still being built
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
            reverse_entry(self, event.history, entry),
            group="account-reverse",
            exclusive=True,
            exit_on_error=False,
        )
