"""The Account tab's Memberships section: the client's memberships and what to do with them.

Rules: docs/rules.md#memberships. A table (plan, status, started, next renewal, price per
cycle, member discount, Beauty Bank mode) with its keys in a line above it: `p` pauses an
active membership or resumes a paused one, `g` moves it to another plan the store offers
(from the next cycle), `x` cancels it with a reason. None of these touches the Beauty
Bank: its balance, shown above the table, stays as it is.

Each change sends back the version the table was read at; if another terminal changed the
membership since, the service refuses it and the table is read again. Pausing, resuming
and changing need "take payments", cancelling "cancel memberships"; without them the key
is not offered and says why when pressed (the Account tab's key handler). A travel
member's profile is read-only here as in the rest of the tab.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from frontdesk.domain.errors import DomainError, StaleVersion, describe
from frontdesk.domain.memberships import CYCLE_WORD, MembershipStatus
from frontdesk.services.desk import Desk
from frontdesk.views.memberships import MembershipRow
from screens.profile_permissions import lacking
from screens.profile_tabs.base import ProfileTab
from screens.reason import ReasonModal
from screens.widgets.live import kept_cursor
from screens.widgets.picker import PickerModal

MEMBERSHIPS_EMPTY = "No memberships."
PAST_DUE_NOTE = (
    "{plan}: the renewal of {due} is unpaid (the card was declined). "
    "To take it now: s Sell, then the renewal in the Add list."
)
KEYS = "p pause/resume · g change plan · x cancel"
# Short cycle words keep the table inside 80 columns.
SHORT = {"month": "mo", "quarter": "qtr", "year": "yr"}
Call = Callable[[], Awaitable[MembershipRow]]  # one write, as the signed-in person
Said = Callable[[MembershipRow], str]  # what the write did, in words


def day(value: dt.date | None) -> str:
    return f"{value:%d %b %y}" if value is not None else "—"


def row_cells(m: MembershipRow) -> tuple[Text, ...]:
    """Plan, status, started, renews, price per cycle, discount, Beauty Bank; names literal."""
    per = SHORT[CYCLE_WORD[m.billing_cycle]]
    renews = day(m.next_renewal) if m.status is MembershipStatus.ACTIVE else "—"
    return (
        Text(m.plan_name, no_wrap=True, overflow="ellipsis"),
        Text("past due" if m.past_due else m.status.value),
        Text(day(m.started_on)),
        Text(renews),
        Text(f"{m.money.format(m.price)}/{per}", justify="right"),
        Text(f"{m.discount_percent.normalize():f}%", justify="right"),
        Text(m.bank_label),
    )


class MembershipsPane(Vertical):
    """The Memberships section; the Account tab calls `load` with everything else."""

    DEFAULT_CSS = """
    MembershipsPane { height: 1fr; }
    MembershipsPane DataTable { height: auto; max-height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "pause_resume", "Pause/resume", id="memberships.pause"),
        Binding("g", "change_plan", "Change plan", id="memberships.change_plan"),
        Binding("x", "cancel_membership", "Cancel membership", id="memberships.cancel"),
    ]
    WRITES: ClassVar[frozenset[str]] = frozenset(
        {"pause_resume", "change_plan", "cancel_membership"}
    )

    def __init__(self, tab: ProfileTab, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # The tab's: the profile sets what the person may do once it has read it.
        self.tab = tab
        self.desk: Desk = tab.desk
        self.client_id = tab.client_id
        self.rows: tuple[MembershipRow, ...] = ()
        self.wallet_line = ""

    def compose(self) -> ComposeResult:
        yield Static(id="memberships-hint")
        yield Static(id="memberships-body")
        yield DataTable[Text](id="memberships-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one("#memberships-table", DataTable)
        for label, key, width in (
            ("Plan", "plan", 12),
            ("Status", "status", 9),
            ("Started", "started", 9),
            ("Renews", "renews", 9),
            ("Price", "price", 11),
            ("Off", "off", 4),
            ("Bank", "bank", 6),
        ):
            table.add_column(Text(label), key=key, width=width)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#memberships-table", DataTable)

    # -- what may be done here ---------------------------------------------------

    def refusal_of(self, action: str) -> str | None:
        """Why `action` is not offered (a travel member's read-only profile, a permission)."""
        if self.tab.read_only_reason is not None and action in self.WRITES:
            return self.tab.read_only_reason
        return lacking(self, self.tab.may, action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.refusal_of(action) is None

    # -- loading -----------------------------------------------------------------

    async def load(self, wallet_line: str, *, keep: bool = False) -> None:
        """Read the memberships again and show them (`keep`: the cursor stays on its row)."""
        rows = await self.desk.memberships.list(self.client_id)
        self.rows = rows
        self.wallet_line = wallet_line
        keys = "" if self.tab.read_only_reason else f" · {KEYS}"
        self.query_one("#memberships-hint", Static).update(Content(wallet_line + keys))
        table = self.table
        with kept_cursor(table, keep):
            table.clear()
            for m in rows:
                table.add_row(*row_cells(m), key=str(m.id))
        body = self.query_one("#memberships-body", Static)
        late = next((m for m in rows if m.past_due), None)
        if late is not None:
            note = PAST_DUE_NOTE.format(plan=late.plan_name, due=day(late.next_renewal))
            body.update(Content(note))
        else:
            body.update(Content(MEMBERSHIPS_EMPTY))
        body.display = not rows or late is not None
        table.display = bool(rows)

    def chosen(self) -> MembershipRow | None:
        row = self.table.cursor_row
        if not self.rows or not 0 <= row < len(self.rows):
            self.app.notify("Choose a membership first.", severity="warning")
            return None
        return self.rows[row]

    # -- actions -----------------------------------------------------------------

    def action_pause_resume(self) -> None:
        m = self.chosen()
        if m is None:
            return
        if m.status is MembershipStatus.CANCELLED:
            self.app.notify(
                "A cancelled membership can't be paused or resumed.", severity="warning"
            )
            return
        memberships = self.desk.memberships
        if m.status is MembershipStatus.ACTIVE:
            self._write(
                lambda: memberships.pause(m.id, expected_version=m.version),
                lambda r: f"{r.plan_name} paused: no renewals, credits or discount until resumed",
            )
            return
        today = self.tab.clock().date()

        async def resume() -> MembershipRow:
            return await memberships.resume(m.id, expected_version=m.version, today=today)

        self._write(resume, lambda r: f"{r.plan_name} resumed · renews {day(r.next_renewal)}")

    def action_change_plan(self) -> None:
        m = self.chosen()
        if m is None:
            return
        if m.status is MembershipStatus.CANCELLED:
            self.app.notify("A cancelled membership can't change plan.", severity="warning")
            return
        self.run_worker(
            self._change_plan(m), group="membership-write", exclusive=True, exit_on_error=False
        )

    async def _change_plan(self, m: MembershipRow) -> None:
        async def offered() -> list[tuple[str, str]]:
            plans = await self.desk.plans.list()
            return [
                (str(p.id), f"{p.name} · {p.money.format(p.price)} / {CYCLE_WORD[p.billing_cycle]}")
                for p in plans
                if p.id != m.plan_id
            ]

        picked = await self.app.push_screen_wait(
            PickerModal(f"{m.plan_name} → (from the next cycle)"[:60], loader=offered)
        )
        if picked is None:
            return
        plan_id = int(picked)
        memberships = self.desk.memberships

        async def change() -> MembershipRow:
            return await memberships.change_plan(m.id, plan_id, expected_version=m.version)

        await self._run(
            change,
            lambda r: f"Now {r.plan_name}: applies from the next cycle ({day(r.next_renewal)})",
        )

    def action_cancel_membership(self) -> None:
        m = self.chosen()
        if m is None:
            return
        if m.status is MembershipStatus.CANCELLED:
            self.app.notify("This membership is already cancelled.", severity="warning")
            return
        self.run_worker(
            self._cancel(m), group="membership-write", exclusive=True, exit_on_error=False
        )

    async def _cancel(self, m: MembershipRow) -> None:
        reason = await self.app.push_screen_wait(
            ReasonModal(
                f"Cancel {m.plan_name}"[:60],
                "Reason for cancelling (required)",
                placeholder="e.g. moving away",
            )
        )
        if reason is None:
            return
        memberships = self.desk.memberships

        async def cancel() -> MembershipRow:
            return await memberships.cancel(m.id, reason, expected_version=m.version)

        await self._run(
            cancel, lambda r: f"{r.plan_name} cancelled · the Beauty Bank balance stays"
        )

    def _write(self, call: Call, done: Said) -> None:
        self.run_worker(
            self._run(call, done), group="membership-write", exclusive=True, exit_on_error=False
        )

    async def _run(self, call: Call, done: Said) -> None:
        try:
            row = await call()
        except Exception as exc:
            if not isinstance(exc, DomainError):
                self.log.error("membership change failed", exc)
            self.app.notify(describe(exc), title="Not changed", severity="error")
            if isinstance(exc, StaleVersion):
                await self._reload()
            return
        self.app.notify(done(row), title="Membership changed")
        await self._reload()
        self.tab.post_changed()  # the profile's header and Overview reload

    async def _reload(self) -> None:
        try:
            await self.load(self.wallet_line, keep=True)
        except Exception as exc:
            self.app.notify(describe(exc), title="Could not load memberships", severity="error")
