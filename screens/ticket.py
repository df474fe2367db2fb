"""The ticket: everything a visit or a sale costs, paid and completed in one call.

`TicketScreen(desk, client_id, location_id=..., appointment_id=..., clock=...)` shows the
lines (for an appointment: its service, Use lines at 0.00, priced Buy lines, then anything
added), the totals in the checkout order (subtotal, membership discount, promotion, Beauty
Bank and account credit, each only when toggled, total due) and the tenders (card filled
with what is left to pay, cash with its change, other; split as staff like). Every change
re-reads `desk.till.quote` in an exclusive worker; the screen never waits on it.

`ctrl+s` makes ONE `desk.till.complete` call with the idempotency key made when the ticket
opened, so a double press or a retry after an error never charges twice. A plain receipt
follows; Enter or Esc dismisses with the `CheckoutResult`. Names are shown literally.
`l` leaves it open (`desk.till.park`); `from_parked` resumes one, read-only when another
terminal holds it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path, PurePath
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

import styles
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import DomainError, StaleVersion, describe
from frontdesk.services.desk import Desk
from frontdesk.views.changes import ADDONS, APPOINTMENTS, BALANCES, MEMBERSHIPS, Change
from frontdesk.views.open_tickets import OpenTicketView
from frontdesk.views.till import (
    CheckoutInput,
    CheckoutResult,
    SellCatalog,
    TicketQuote,
)
from screens import ticket_lines as tl
from screens.ticket_code import Chosen, code_form
from screens.ticket_lines import TicketLines, item_label, line_note, row_cells
from screens.ticket_receipt import receipt_text, unread_receipt_text
from screens.ticket_resume import reload_parked, resumed_lines
from screens.ticket_tenders import TenderPanel, Tenders
from screens.ticket_totals import totals_text
from screens.widgets.footer import SteadyFooter
from screens.widgets.live import DataChanged, LiveRefresh
from screens.widgets.picker import PickerModal

STYLES_DIR = Path(styles.__file__).parent
COLUMNS = (("Item", 27), ("Qty", 4), ("Used", 4), ("Gross", 10), ("Disc", 9), ("Net", 10))
# An ISO code is three cells wider than "£" (screens/terminal_caps.py): the item gives way.
LOW_SPEC_COLUMNS = (("Item", 21), ("Qty", 4), ("Used", 4), ("Gross", 12), ("Disc", 11), ("Net", 12))
# One footer entry for both quantity keys: at 80 columns every key of the ticket must fit.
QTY_KEYS = Binding.Group("Qty", compact=True)
LIVE_TABLES = BALANCES | {MEMBERSHIPS, APPOINTMENTS, ADDONS}


class TicketScreen(Screen[CheckoutResult | None]):
    """One client's ticket, from lines to receipt."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "ticket.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="ticket.add", tooltip="Add an item"),
        Binding("r", "redeem", "Redeem", id="ticket.redeem", tooltip="Redeem a prepaid visit"),
        Binding("plus", "quantity(1)", "More", id="ticket.more", group=QTY_KEYS),
        Binding("minus", "quantity(-1)", "Fewer", id="ticket.fewer", group=QTY_KEYS),
        Binding("u", "used", "Used", id="ticket.used", show=False, tooltip="Visits used today"),
        Binding("delete", "remove", "Remove", id="ticket.remove"),
        Binding("w", "wallet", "Bank", id="ticket.wallet", tooltip="Pay from Beauty Bank"),
        Binding("o", "credit", "Credit", id="ticket.credit", tooltip="Pay from credit"),
        Binding("p", "promotion", "Code", id="ticket.promotion", tooltip="Promotion code"),
        Binding(
            "ctrl+s", "complete", "Complete", id="ticket.complete", tooltip="Complete checkout"
        ),
        Binding("l", "park", "Leave open", id="ticket.park", show=False),
        Binding("enter", "done", "Done", id="ticket.done", tooltip="Done: back to the desk"),
        Binding("escape", "close", "Close", id="ticket.close"),
    ]

    def __init__(
        self,
        desk: Desk,
        client_id: int,
        *,
        location_id: int | None,
        appointment_id: int | None = None,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        super().__init__(classes="ticket")
        self.desk = desk
        self.client_id = client_id
        self.location_id = location_id
        self.clock = clock
        # One key for this ticket, made once: every Complete sends the same key.
        self.idempotency_key = uuid.uuid4().hex
        self.lines = TicketLines(appointment_id=appointment_id)
        self.use_wallet = False
        self.use_credit = False
        self.quote: TicketQuote | None = None
        self.catalog: SellCatalog | None = None
        self.result: CheckoutResult | None = None
        self.stale = True
        self.completing = False
        self._complete_when_quoted = False
        self._select_last = False
        self.calls = 0  # complete calls made
        self.promotion_code: str | None = None
        self.resumed = False  # from a parked ticket: Esc releases it
        self.held_by: str | None = None  # another terminal holds it: read-only here
        self.parked_at_lock = False  # left open when the terminal locked; taken back on return
        self.open_version: int | None = None  # the parked version these lines came from
        # Another terminal spent the Beauty Bank, used units, changed the membership or
        # the appointment's add-ons: the ticket is priced again (typed tenders stay).
        self.live = LiveRefresh(self, self._changed, LIVE_TABLES, lambda: self.client_id)

    @classmethod
    def from_parked(
        cls, desk: Desk, parked: OpenTicketView, *, clock: Callable[[], dt.datetime]
    ) -> TicketScreen:
        """A ticket left open, resumed: same key, same lines, same toggles."""
        data = parked.ticket
        screen = cls(desk, data.client_id, location_id=data.location_id, clock=clock)
        screen.idempotency_key, screen.resumed = data.idempotency_key, True
        screen.show_parked(parked)
        return screen

    def show_parked(self, parked: OpenTicketView) -> None:
        """Take on the open ticket as it is saved: its lines, toggles and version."""
        data = parked.ticket
        self.lines, self.promotion_code = resumed_lines(data), data.promotion_code
        self.use_wallet, self.use_credit = data.use_wallet, data.use_account_credit
        self.held_by = parked.held_by if parked.held_elsewhere(self.desk.terminal) else None
        self.open_version = parked.version

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Content("Ticket"), id="ticket-title")
        with Vertical(id="ticket-body"):
            yield DataTable(id="ticket-lines", cursor_type="row", zebra_stripes=False)
            yield Static(id="ticket-note")
            with Horizontal(id="ticket-panels"):
                with Vertical(id="ticket-totals") as totals:
                    totals.border_title = "Totals"
                    yield Static(id="totals-text")
                yield TenderPanel()
        with VerticalScroll(id="ticket-receipt"):
            yield Static(id="receipt-text")
        yield Static(id="ticket-message")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        low_spec = getattr(self.app, "terminal_caps", None)  # "GBP 25.00" needs room
        for label, width in LOW_SPEC_COLUMNS if low_spec and low_spec.low_spec else COLUMNS:
            table.add_column(label, width=width, key=label)
        self.query_one("#ticket-receipt").display = False
        self.query_one("#ticket-body").loading = True
        table.focus()
        if self.held_by:
            self.show_message(f"Held by {self.held_by}: read-only here, Esc closes")
        self.requote()

    # -- quoting -------------------------------------------------------------------

    def money(self, amount: Decimal) -> str:
        q = self.quote
        assert q is not None
        return q.money.format(amount)

    def _input(self, tenders: Tenders | None = None) -> CheckoutInput:
        data = self.lines.checkout_input(self.idempotency_key, self.client_id, self.location_id)
        return data.model_copy(
            update={
                "use_wallet": self.use_wallet,
                "use_account_credit": self.use_credit,
                "promotion_code": self.promotion_code,
                "tenders": tenders.inputs() if tenders else (),
            }
        )

    def requote(self) -> None:
        self.stale = True
        self.query_one("#ticket-totals").border_title = "Totals · updating…"
        self._quote(self._input())

    @work(exclusive=True, group="ticket-quote", exit_on_error=False)
    async def _quote(self, data: CheckoutInput) -> None:
        try:
            quote = await self.desk.till.quote(data)
        except Exception as exc:
            self.query_one("#ticket-body").loading = False
            self.query_one("#ticket-totals").border_title = "Totals"
            self._complete_when_quoted = False
            if self._select_last:  # the line just added is refused (a member already): drop it
                self.lines, self._select_last = self.lines.remove(len(self.lines.added) - 1), False
                self.show_message(f"Not added: {describe(exc)}")
                return
            self.show_message(f"Could not price the ticket: {describe(exc)}")
            return
        self.quote = quote
        self.stale = False
        self.query_one("#ticket-body").loading = False
        self.query_one("#ticket-totals").border_title = "Totals"
        self._show_quote(quote)
        if self._complete_when_quoted:
            self._complete_when_quoted = False
            self.action_complete()

    def on_data_changed(self, message: DataChanged) -> None:
        self.live.changed(message.change)

    def on_screen_resume(self) -> None:
        self.live.shown()

    def _changed(self, _change: Change) -> None:
        # Not while it completes or once done: the receipt says what was charged.
        if self.quote is not None and not self.completing and self.result is None:
            self.requote()

    # -- rendering -----------------------------------------------------------------

    def _show_quote(self, q: TicketQuote) -> None:
        when = self.clock()
        self.query_one("#ticket-title", Static).update(
            Content(
                f"Ticket · {q.client_name} · {when:%a} {when.day} {when:%b %Y}"
                + (f" · held by {self.held_by}" if self.held_by else "")
            )
        )
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for i, line in enumerate(q.lines):
            table.add_row(*row_cells(line, self.money), key=str(i))
        if self._select_last:  # the line just added
            row, self._select_last = len(q.lines) - 1, False
        if q.lines:
            table.move_cursor(row=min(max(row, 0), len(q.lines) - 1))
        self._show_note()
        self._show_totals(q)
        self.query_one(TenderPanel).show_due(q)

    def _show_totals(self, q: TicketQuote) -> None:
        self.query_one("#totals-text", Static).update(
            totals_text(
                q,
                self.money,
                promotion_code=self.promotion_code,
                use_wallet=self.use_wallet,
                use_credit=self.use_credit,
            )
        )

    def _show_note(self) -> None:
        q = self.quote
        note = ""
        if q is not None:
            index = self.query_one(DataTable).cursor_row
            if 0 <= index < len(q.lines):
                visit = index < TicketLines.fixed_count(q.lines)
                note = line_note(q.lines[index], visit=visit, money=q.money)
            elif q.prepaid:
                note = "a adds an item · r redeems one of the client's prepaid visits"
            else:
                note = "a adds a product, package, prepaid service or membership"
        self.query_one("#ticket-note", Static).update(Content(note))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_note()

    def show_message(self, message: str) -> None:
        note = self.query_one("#ticket-message", Static)
        note.update(Content(message))
        note.set_class(bool(message), "-shown")

    # -- line actions --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.held_by and action not in ("close", "complete"):
            return False
        if action == "done":
            return self.result is not None
        if action == "close":
            return True
        return self.result is None and not self.completing

    def _change(self, lines: TicketLines) -> None:
        self.lines = lines
        self.show_message("")
        self.requote()

    def _added_index(self) -> int | None:
        """The highlighted line's place among the added lines, or None (a visit line)."""
        q = self.quote
        if q is None or not q.lines:
            return None
        at = self.query_one(DataTable).cursor_row - TicketLines.fixed_count(q.lines)
        return at if 0 <= at < len(self.lines.added) else None

    def action_quantity(self, delta: int) -> None:
        at = self._added_index()
        if at is None or self.quote is None:
            self.show_message("The visit's lines change on the appointment (a: add-ons)")
            return
        q = self.quote.lines[TicketLines.fixed_count(self.quote.lines) + at]
        most = q.quantity + (q.prepaid_left or 0) if q.kind is LineKind.PREPAID_REDEEM else 9999
        if q.kind in (LineKind.MEMBERSHIP_FIRST, LineKind.MEMBERSHIP_RENEWAL):
            most = 1  # one membership a client, one cycle a renewal line
        self._change(self.lines.change_quantity(at, delta, most))

    def action_used(self) -> None:
        at = self._added_index()
        if at is not None and self.lines.added[at].kind is LineKind.PREPAID_SALE:
            self._change(self.lines.cycle_used(at))

    def action_remove(self) -> None:
        at = self._added_index()
        if at is None:
            self.show_message("The appointment's own lines stay on its ticket")
            return
        self._change(self.lines.remove(at))

    def action_wallet(self) -> None:
        self.use_wallet = not self.use_wallet
        self.requote()

    def action_credit(self) -> None:
        if self.quote is not None and tl.credit_refused(self.quote.lines):
            self.show_message(tl.NO_CREDIT_ON_FIRST_PLAN)
            return
        self.use_credit = not self.use_credit
        self.requote()

    def action_promotion(self) -> None:
        if self.result is not None:
            return

        def chosen(answer: Chosen) -> None:
            if answer is None:  # Esc: the ticket keeps what it had
                return
            code, description = answer
            self.promotion_code = code or None
            self.show_message(f"{code}: {description}" if code else "Code removed.")
            self.requote()

        current = self.promotion_code or ""
        form = code_form(self.desk, self.client_id, lambda: self.clock().date(), current)
        self.app.push_screen(form, chosen)

    def action_redeem(self) -> None:
        q = self.quote
        if q is None:
            return
        index = self.query_one(DataTable).cursor_row
        fixed = TicketLines.fixed_count(q.lines)
        if 0 <= index < fixed:
            line = q.lines[index]
            if line.kind is LineKind.PREPAID_REDEEM or (
                line.kind is LineKind.SERVICE and line.prepaid_left
            ):
                self._change(self.lines.redeem_visit(q.lines, index))
                return
        choices = [
            (str(p.service_id), f"{p.service_name} · {p.remaining} visits left") for p in q.prepaid
        ]
        if not choices:
            self.show_message("The client has no prepaid visits to redeem")
            return

        def picked(service: str | None) -> None:
            if service is not None:
                self._change(self.lines.add_redeem(int(service), self.desk.staff_id))

        self.app.push_screen(PickerModal("Redeem a prepaid visit", choices), picked)

    def action_add(self) -> None:
        async def load() -> list[tuple[str, str]]:
            try:
                self.catalog = self.catalog or await self.desk.till.sell_catalog(self.client_id)
            except Exception as exc:
                self.show_message(f"Could not load what can be sold: {describe(exc)}")
                return []
            return [(i.key, item_label(i, self.money)) for i in self.catalog.items]

        def picked(key: str | None) -> None:
            item = (
                next((i for i in self.catalog.items if i.key == key), None)
                if self.catalog
                else None
            )
            if item is not None:
                self._select_last = True
                self._change(self.lines.add_item(item, self.desk.staff_id))

        if self.quote is not None:
            self.app.push_screen(PickerModal("Add to the ticket", loader=load), picked)

    # -- completing ----------------------------------------------------------------

    def action_complete(self) -> None:
        if self.held_by:
            self.show_message(f"Held by {self.held_by}: it cannot be completed here")
            return
        if self.completing or self.result is not None:
            return
        if self.stale or self.quote is None:
            self._complete_when_quoted = True
            self.show_message("Completing once the total is up to date…")
            self.requote()  # a quote that failed is tried again; a running one restarts
            return
        tenders, ok, why = self.query_one(TenderPanel).check(show_errors=True)
        if tenders is None:
            return
        if not ok:
            self.show_message(why)
            return
        self.completing = True
        self.show_message("Completing…")
        self.complete(self._input(tenders), tenders)

    @work(exclusive=True, group="ticket-complete", exit_on_error=False)
    async def complete(self, data: CheckoutInput, tenders: Tenders) -> None:
        self.calls += 1
        try:
            result = await self.desk.till.complete(data)
        except Exception as exc:
            self.completing = False
            if not isinstance(exc, DomainError):
                self.log.error("checkout failed", exc)
            self.show_message(f"Not completed: {describe(exc)}")
            self.refresh_bindings()
            return
        try:
            text = receipt_text(
                await self.desk.till.receipt(result.ticket_id), replayed=result.replayed
            )
        except Exception as exc:  # the sale stands; only its receipt is missing
            text = unread_receipt_text(result, describe(exc))
        self.result = result
        self.completing = False
        self._show_receipt(result, text)

    def _show_receipt(self, result: CheckoutResult, text: str) -> None:
        self.query_one("#receipt-text", Static).update(Content(text))
        self.query_one("#ticket-body").display = False
        receipt = self.query_one("#ticket-receipt")
        receipt.display = True
        receipt.border_title = "Receipt"
        receipt.focus()
        self.show_message(f"Ticket #{result.ticket_id} complete · Enter to close")
        self.refresh_bindings()

    def action_done(self) -> None:
        if self.result is not None:
            self.dismiss(self.result)

    def action_close(self) -> None:
        if self.completing:
            self.show_message("Completing… Esc works again once it is done.")
            return
        if self.resumed and self.result is None and not self.held_by:
            self.leave(park=False)  # still open, for any terminal
            return
        self.dismiss(self.result)

    def action_park(self) -> None:
        self.leave(park=True)

    @work(exclusive=True, group="ticket-leave", exit_on_error=False)
    async def leave(self, *, park: bool) -> None:
        """Leave the ticket open (park) or stop holding a resumed one, then close."""
        try:
            if park:
                await self.desk.till.park(self._input(), expected_version=self.open_version)
                self.notify("Ticket left open: resume it from the schedule", title="Ticket")
            else:
                await self.desk.till.release(self.idempotency_key)
        except StaleVersion as exc:
            await reload_parked(self, exc)
            return
        except Exception as exc:
            if park:
                self.show_message(f"Not left open: {describe(exc)}")
                return
            self.log.error("release failed", exc)  # still held here; this terminal may resume
        self.dismiss(None)
