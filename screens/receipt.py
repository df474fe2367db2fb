"""A past receipt, shown again, and refunded from there.

`ReceiptScreen(desk, ticket_id)` reads `desk.till.receipt` in a worker and shows the same
lines as the ticket's panel and the receipts file (`receipt_lines`). `r` refunds the
whole ticket: a reason (`ReasonModal`), then a confirm, then ONE `desk.till.reverse`
call; the receipt is read again and says REFUNDED. A refusal (already refunded, stored
value already used) is shown in the service's words. Refunding needs "refund tickets":
without it `r` is not offered (footer or palette) and says so when pressed. Esc closes,
with True when this screen refunded the ticket so the caller can reload.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

import styles
from frontdesk.domain.errors import DomainError, describe
from frontdesk.domain.permissions import Perm
from frontdesk.services.desk import Desk
from frontdesk.views.receipt import receipt_lines
from frontdesk.views.till import Receipt
from screens.approval import with_approval
from screens.profile_permissions import explain_key, lacking, refused
from screens.reason import ConfirmModal, ReasonModal
from screens.widgets.footer import SteadyFooter

STYLES_DIR = Path(styles.__file__).parent


class ReceiptScreen(Screen[bool]):
    """One ticket's receipt; `r` refunds it."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "receipt.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refund", "Refund", id="receipt.refund"),
        Binding("escape", "close", "Close", id="receipt.close"),
    ]

    def __init__(self, desk: Desk, ticket_id: int) -> None:
        super().__init__()
        self.desk = desk
        self.ticket_id = ticket_id
        self.receipt: Receipt | None = None
        self.may: frozenset[Perm] = frozenset()  # what the signed-in person may do
        self.refunded = False  # by this screen
        self.refunding = False

    def compose(self) -> ComposeResult:
        yield Static(Content(f"Receipt · ticket #{self.ticket_id}"), id="receipt-title")
        with VerticalScroll(id="receipt-scroll"):
            yield Static(id="receipt-text")
        yield Static(id="receipt-message")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        scroll = self.query_one("#receipt-scroll")
        scroll.loading = True
        scroll.focus()
        self.load()

    def show_message(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#receipt-message", Static)
        message.update(Content(text))
        message.set_class(error, "-error")

    @work(exclusive=True, group="receipt-load", exit_on_error=False)
    async def load(self) -> None:
        scroll = self.query_one("#receipt-scroll")
        try:
            receipt = await self.desk.till.receipt(self.ticket_id)
            self.may = await self.desk.staff.mine()
        except Exception as exc:
            if not isinstance(exc, DomainError):
                self.log.error("receipt failed", exc)
            self.show_message(f"Could not read the receipt: {describe(exc)}", error=True)
            return
        finally:
            scroll.loading = False
        self.receipt = receipt
        self.refresh_bindings()
        self.query_one("#receipt-text", Static).update(Content("\n".join(receipt_lines(receipt))))
        scroll.set_class(receipt.refund is not None, "-refunded")
        scroll.border_title = "REFUNDED" if receipt.refund is not None else "Receipt"

    def refusal_of(self, action: str) -> str | None:
        """Why `action` is not offered: refunding needs "refund tickets"."""
        return lacking(self, self.may, action) if action == "refund" else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Only what this person may do, in the footer and the palette alike.
        return self.refusal_of(action) is None

    def on_key(self, event: events.Key) -> None:
        explain_key(self, event)  # `r` pressed without the permission says why

    def action_refund(self) -> None:
        if self.receipt is None or self.refunding:
            return
        if not refused(self, self.may, Perm.REFUND_TICKETS):
            self.refund()

    @work(exclusive=True, group="receipt-refund", exit_on_error=False)
    async def refund(self) -> None:
        title = f"Refund ticket #{self.ticket_id}"
        reason = await self.app.push_screen_wait(
            ReasonModal(title, placeholder="e.g. charged the wrong client")
        )
        if reason is None:
            return
        question = "Every tender is paid back and every stored value reversed. Refund?"
        if not await self.app.push_screen_wait(ConfirmModal(title, question)):
            return
        self.refunding = True
        self.show_message("Refunding…")
        try:
            await with_approval(
                self.app,
                lambda approval: self.desk.till.reverse(self.ticket_id, reason, approval=approval),
            )
        except Exception as exc:
            if not isinstance(exc, DomainError):
                self.log.error("refund failed", exc)
            self.show_message(f"Not refunded: {describe(exc)}", error=True)
            return
        finally:
            self.refunding = False
        self.refunded = True
        self.show_message(f"Ticket #{self.ticket_id} refunded")
        self.load()

    def action_close(self) -> None:
        self.dismiss(self.refunded)
