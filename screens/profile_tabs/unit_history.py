"""Account › Service Add-ons: the products a client banks, and the selected one's unit
history — bought on a ticket, banked, used on which appointment, returned, adjusted,
reversed — with the units after each entry and who, paged like the money histories
(`LedgerHistory`: `n`/PgDn next page, `p`/PgUp previous). Units are undone where they
were used (the appointment's add-on line), so there is no `r` here."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static

from frontdesk.domain.ledger import StoredValueKind
from frontdesk.services.desk import Desk
from frontdesk.views.balances import EntryView, HistoryPage
from frontdesk.views.profile import BankedProductView, UnitEntryView, UnitHistoryPage
from screens.profile_tabs.ledger_history import PAGE_SIZE, LedgerHistory, change_text

CHOOSE = "Choose a product above to see its entries."
KEYS = "↑↓ product · Enter its entries"


def units(count: int, unit_name: str) -> str:
    """ "1 unit", "5 units"; plural unit names ("ml") stay as they are."""
    if abs(count) == 1 or unit_name.endswith("s"):
        return f"{count:,} {unit_name}"
    return f"{count:,} {unit_name}s"


def cell(text: str) -> Text:
    return Text(text, no_wrap=True, overflow="ellipsis")


class UnitHistory(LedgerHistory):
    """One banked product's entries, newest first, a page at a time."""

    reversible: ClassVar[bool] = False
    COLUMNS: ClassVar[tuple[tuple[str, str, int], ...]] = (
        ("Date", "date", 9),
        ("Units", "change", 7),
        ("What happened", "what", 31),
        ("Left", "left", 6),
        ("Who", "who", 12),
    )

    def __init__(self, desk: Desk, client_id: int, *, empty_text: str, id: str) -> None:
        super().__init__(
            desk, client_id, StoredValueKind.PRODUCT_UNITS, empty_text=empty_text, id=id
        )
        self.product: BankedProductView | None = None

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static(classes="unit-detail")

    async def show_product(self, product: BankedProductView | None, *, keep: bool = False) -> None:
        """Show `product`'s first page (its last-shown page when it is the same one)."""
        same = (
            self.product is not None
            and product is not None
            and (self.product.product_id == product.product_id)
        )
        self.product = product
        await self.load_page(self.page_offset if same else 0, keep=same and keep)

    async def fetch(self, offset: int) -> HistoryPage:
        product = self.product
        if product is None:
            return HistoryPage(entries=(), total=0, offset=0, limit=PAGE_SIZE)
        page = await self.desk.profile.unit_history(
            self.client_id, product.product_id, offset=offset, limit=PAGE_SIZE
        )
        if not page.entries and page.total and offset:
            # The list shrank under us: show its last page instead.
            last = (page.total - 1) // PAGE_SIZE * PAGE_SIZE
            page = await self.desk.profile.unit_history(
                self.client_id, product.product_id, offset=last, limit=PAGE_SIZE
            )
        self._show_balance(page)
        return page

    def _show_balance(self, page: UnitHistoryPage) -> None:
        self.set_balance(f"{page.product_name}: {units(page.units, page.unit_name)} left · {KEYS}")

    def cells(self, entry: EntryView) -> tuple[Text, ...]:
        text = entry.text if isinstance(entry, UnitEntryView) else entry.description
        return (
            cell(f"{entry.created_at.astimezone():%d %b %y}"),
            change_text(entry.amount, None),
            cell(text),
            cell(f"{entry.balance_after:,}"),
            cell(entry.staff_name),
        )

    def _fill(self, page: HistoryPage) -> None:
        super()._fill(page)
        if self.product is None:
            self.set_balance("")
            self.query_one(".ledger-empty", Static).update(Content(CHOOSE))
        else:
            self.query_one(".ledger-empty", Static).update(Content(self.empty_text))
        self.show_detail(page.entries[0] if page.entries else None)

    def show_detail(self, entry: EntryView | None) -> None:
        """The highlighted entry in full: the table cuts long appointment names."""
        line = self.query_one(".unit-detail", Static)
        if entry is None or not isinstance(entry, UnitEntryView):
            line.update("")
            line.display = False
            return
        sign = "+" if entry.amount > 0 else "−"
        parts = [
            f"{entry.created_at.astimezone():%d %b %Y %H:%M}",
            entry.text,
            f"{sign}{abs(entry.amount):,} → {entry.balance_after:,} left",
            entry.staff_name,
        ]
        line.update(Content(" · ".join(p for p in parts if p)))
        line.display = True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is not self.table:
            return
        event.stop()
        page = self.page
        key = event.row_key.value
        if page is not None and key is not None:
            self.show_detail(next((e for e in page.entries if str(e.id) == key), None))
