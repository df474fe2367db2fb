"""Rewards: the points balance, the prizes with their cost, and the points ledger.

Enter on a prize redeems it (after a yes/no when the balance covers it; when it does not,
the service's "Not enough points" is shown). `j` adjusts the points by hand (a signed
number and a reason: a correction, a goodwill gesture). pgdn/pgup page the ledger 50 at
a time.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Static

from frontdesk.domain.errors import InsufficientBalance, describe
from frontdesk.domain.parsing import parse_signed_quantity
from frontdesk.views.profile import PrizeView, RewardEntryView, RewardsPage
from screens.profile_tabs.activity import (
    PAGE_SIZE,
    cell,
    signed_count,
    when,
)
from screens.profile_tabs.paging import PagedTab, next_offset, page_label, prev_offset
from screens.reason import ConfirmModal
from screens.widgets.form import FormField, FormModal, Values, show_line

REASON_WORDS = {"visit": "Visit", "spend": "Spend", "redeem": "Redeemed", "adjust": "Adjusted"}


def points(n: int) -> str:
    return f"{n:,} point{'' if n == 1 else 's'}"


class RewardsTab(PagedTab):
    """Points in and out, and what they buy."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "adjust_points", "Adjust points", id="profile.rewards.adjust"),
        Binding("pagedown", "next_page", "Next 50", id="profile.rewards.next", priority=True),
        Binding("pageup", "prev_page", "Previous 50", id="profile.rewards.prev", priority=True),
    ]

    page: RewardsPage | None = None
    prizes: tuple[PrizeView, ...] = ()
    page_offset = 0

    def compose(self) -> ComposeResult:
        yield Static(id="rewards-balance", classes="tab-title")
        yield Static(id="rewards-prizes-title", classes="tab-status")
        yield DataTable(id="rewards-prizes", cursor_type="row")
        yield Static(id="rewards-ledger-title", classes="tab-status")
        yield DataTable(id="rewards-ledger", cursor_type="row", zebra_stripes=True)
        yield Static(id="rewards-message", classes="tab-message")

    def on_mount(self) -> None:
        prizes = self.query_one("#rewards-prizes", DataTable)
        prizes.add_column("Prize", width=36, key="prize")
        prizes.add_column("Cost", width=14, key="cost")
        prizes.add_column("", width=20, key="can")
        ledger = self.query_one("#rewards-ledger", DataTable)
        ledger.add_column("When", width=17, key="when")
        ledger.add_column("Points", width=8, key="points")
        ledger.add_column("Balance", width=8, key="balance")
        ledger.add_column("What", width=24, key="what")
        ledger.add_column("Staff", width=8, key="staff")

    @property
    def balance(self) -> int:
        return self.page.balance if self.page else 0

    def message(self, text: str, *, error: bool = False) -> None:
        show_line(self.query_one("#rewards-message", Static), text, error=error)

    async def load(self) -> None:
        try:
            self.prizes = await self.desk.profile.prizes()
        except Exception as exc:
            self.message(f"Could not load the prizes: {describe(exc)}", error=True)
            return
        await self._fetch(self.page_offset)

    async def _fetch(self, offset: int) -> None:
        try:
            page = await self.desk.profile.rewards(self.client_id, offset, PAGE_SIZE)
            if not page.entries and page.total and offset:
                last = max((page.total - 1) // PAGE_SIZE * PAGE_SIZE, 0)
                page = await self.desk.profile.rewards(self.client_id, last, PAGE_SIZE)
        except Exception as exc:
            self.message(f"Could not load the points: {describe(exc)}", error=True)
            return
        self.page = page
        self.page_offset = page.offset
        self._show_prizes()
        self._show_ledger(page)
        self.refresh_bindings()

    def _show_prizes(self) -> None:
        balance = self.balance
        self.query_one("#rewards-balance", Static).update(
            Content(f"Points balance: {points(balance)}")
        )
        table = self.query_one("#rewards-prizes", DataTable)
        row = table.cursor_row
        table.clear()
        for prize in self.prizes:
            short = prize.points_cost - balance
            table.add_row(
                cell(prize.name),
                cell(points(prize.points_cost), justify="right"),
                cell("can redeem" if short <= 0 else f"needs {short:,} more"),
                key=str(prize.id),
            )
        if self.prizes:
            table.move_cursor(row=min(max(row, 0), len(self.prizes) - 1))
        table.display = bool(self.prizes)
        self.query_one("#rewards-prizes-title", Static).update(
            Content("Prizes · Enter redeems the selected prize" if self.prizes else "No prizes.")
        )

    def _show_ledger(self, page: RewardsPage) -> None:
        table = self.query_one("#rewards-ledger", DataTable)
        table.clear()
        for entry in page.entries:
            table.add_row(
                cell(when(entry.created_at)),
                cell(signed_count(entry.points), justify="right"),
                cell(f"{entry.balance_after:,}", justify="right"),
                cell(entry.description or REASON_WORDS.get(entry.reason, entry.reason)),
                cell(entry.staff_name),
                key=str(entry.id),
            )
        table.display = bool(page.entries)
        if page.total:
            hints = []
            if next_offset(page.offset, page.limit, page.total) is not None:
                hints.append("PgDn next")
            if prev_offset(page.offset, page.limit) is not None:
                hints.append("PgUp previous")
            label = page_label(page.offset, len(page.entries), page.total)
            title = f"Points ledger · {label}" + "".join(f" · {h}" for h in hints)
        else:
            title = "Points ledger · no points earned or redeemed yet"
        self.query_one("#rewards-ledger-title", Static).update(Content(title))

    # -- paging --------------------------------------------------------------------

    # -- redeeming -----------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id != "rewards-prizes":
            return
        key = event.row_key.value
        prize = next((p for p in self.prizes if str(p.id) == key), None)
        if prize is None:
            return
        self.message("")
        balance = self.balance
        if balance < prize.points_cost:
            # Looks short: the service still decides (and says so, with the numbers).
            self._redeem(prize)
            return

        def answered(sure: bool | None) -> None:
            if sure:
                self._redeem(prize)

        self.app.push_screen(
            ConfirmModal(
                "Redeem a prize",
                f"Redeem {prize.name} for {points(prize.points_cost)}? "
                f"Balance after: {points(balance - prize.points_cost)}.",
            ),
            answered,
        )

    @work(exclusive=True, group="profile-rewards-redeem", exit_on_error=False)
    async def _redeem(self, prize: PrizeView) -> None:
        try:
            entry = await self.desk.profile.redeem_prize(self.client_id, prize.id)
        except InsufficientBalance as exc:
            self.message(str(exc), error=True)
            return
        except Exception as exc:
            self.message(f"Not redeemed: {describe(exc)}", error=True)
            return
        self.message(f"Redeemed {prize.name}: {points(entry.balance_after)} left.")
        await self._fetch(0)
        self.query_one("#rewards-prizes", DataTable).focus()
        self.post_changed()

    # -- adjusting -----------------------------------------------------------------

    def action_adjust_points(self) -> None:
        form = FormModal(
            "Adjust points",
            [
                FormField("points", "Points (+ to add, - to take away)", placeholder="e.g. -20"),
                FormField("description", "Reason", placeholder="e.g. points for a late visit"),
            ],
            self._adjust,
            id="rewards-form",
        )

        def done(entry: RewardEntryView | None) -> None:
            if entry is not None:
                self._adjusted(entry)

        self.app.push_screen(form, done)

    async def _adjust(self, values: Values) -> RewardEntryView:
        change = parse_signed_quantity(str(values["points"]), field="points", maximum=1_000_000)
        return await self.desk.profile.earn_points(
            self.client_id, change, "adjust", str(values["description"])
        )

    @work(exclusive=True, group="profile-rewards-adjust", exit_on_error=False)
    async def _adjusted(self, entry: RewardEntryView) -> None:
        self.message(
            f"Adjusted by {signed_count(entry.points)}: {points(entry.balance_after)} now."
        )
        await self._fetch(0)
        self.post_changed()
