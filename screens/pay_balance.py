"""Pay Balance (docs/rules.md#account-balance, A3): take a payment onto the client's account.

`PayBalanceModal(desk, client_id, owes, money)` starts with what the client owes
(blank when nothing is owed: the payment then buys account credit), a tender (card, cash
or other) and Save. Save calls `desk.balances.pay_balance` once and dismisses with the
`BalanceChange`; Esc writes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path, PurePath
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

import styles
from frontdesk.domain.errors import DomainError, ValidationError, describe
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.write_keys import new_key
from frontdesk.services.desk import Desk
from frontdesk.views.balances import BalanceChange
from frontdesk.views.changes import BALANCES, Change
from frontdesk.views.till import Tender
from screens.widgets.form import TickRadio
from screens.widgets.live import DataChanged, LiveRefresh

STYLES_DIR = Path(styles.__file__).parent
TENDERS: tuple[tuple[Tender, str], ...] = (("card", "Card"), ("cash", "Cash"), ("other", "Other"))


class PayBalanceModal(ModalScreen[BalanceChange | None]):
    """Pay what is owed (or buy account credit) with card, cash or other."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "adjust_balance.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="pay.cancel"),
        Binding("ctrl+s", "save", "Save", id="pay.save"),
    ]

    def __init__(self, desk: Desk, client_id: int, owes: Decimal, money: MoneyContext) -> None:
        super().__init__(classes="pay-balance")
        self.desk = desk
        self.client_id = client_id
        self.owes = owes
        self.money = money  # the store's: what the box pre-fills, its parser reads back
        self._saving = False
        # One key per opening: a retry from this modal replays, never pays twice.
        self.key = new_key()
        self.live = LiveRefresh(self, self.reread_owed, BALANCES, lambda: self.client_id)

    def compose(self) -> ComposeResult:
        with Vertical(id="adjust-dialog"):
            yield Static(Content("Pay Balance"), id="adjust-title")
            yield Static(Content(self._now_text()), id="adjust-now")
            with Horizontal(classes="adjust-row"):
                yield Static(Content("Amount"), classes="adjust-label")
                yield Input(
                    self.money.for_input(self.owes) if self.owes > 0 else "",
                    placeholder=f"e.g. {self.money.for_input(Decimal(30))}",
                    id="amount",
                    compact=True,
                    max_length=40,
                )
            yield Static(id="amount-error", classes="field-error")
            with RadioSet(id="tender", compact=True):
                for index, (code, label) in enumerate(TENDERS):
                    yield TickRadio(label, value=index == 0, id=f"tender-{code}")
            yield Static(id="adjust-message")
            with Horizontal(id="adjust-buttons"):
                yield Button("Save", id="pay-save", variant="primary", compact=True)
                yield Button("Cancel", id="pay-cancel", compact=True)
            yield Static(Content("Enter save · Esc cancel"), id="adjust-keys")

    def _now_text(self) -> str:
        if self.owes > 0:
            return f"Client owes {self.money.format(self.owes)}"
        return "Nothing owed: a payment becomes account credit"

    def on_data_changed(self, message: DataChanged) -> None:
        self.live.changed(message.change)

    def on_screen_resume(self) -> None:
        self.live.shown()

    @work(exclusive=True, group="pay-live", exit_on_error=False)
    async def reread_owed(self, _change: Change) -> None:
        """Another terminal charged or paid this account: the owed line follows; the
        amount typed (or pre-filled) stays as it is, for the person to check."""
        try:
            summary = await self.desk.clients.summary(self.client_id)
        except Exception:  # the save reports any real fault; this line just stays as is
            return
        if summary.owes != self.owes and not self._saving:
            self.owes = summary.owes
            self.query_one("#adjust-now", Static).update(Content(self._now_text()))

    def on_mount(self) -> None:
        box = self.query_one("#amount", Input)
        box.focus()

    @property
    def tender(self) -> Tender:
        for code, _label in TENDERS:
            if self.query_one(f"#tender-{code}", RadioButton).value:
                return code
        return "card"

    def set_error(self, message: str) -> None:
        box = self.query_one("#amount-error", Static)
        box.update(Content(message))
        box.display = bool(message)

    def set_message(self, message: str) -> None:
        box = self.query_one("#adjust-message", Static)
        box.update(Content(message))
        box.display = bool(message)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.set_error("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "pay-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if self._saving:
            return
        try:
            amount = self.money.parse(self.query_one("#amount", Input).value, field="amount")
        except ValidationError as exc:
            self.set_error(str(exc))
            self.query_one("#amount", Input).focus()
            return
        self._saving = True
        self.save(amount, self.tender)

    @work(exclusive=True, group="pay-save", exit_on_error=False)
    async def save(self, amount: Decimal, tender: Tender) -> None:
        try:
            change = await self.desk.balances.pay_balance(
                self.client_id, amount, tender, key=self.key
            )
        except ValidationError as exc:
            self._saving = False
            if exc.field == "amount":
                self.set_error(str(exc))
            else:
                self.set_message(str(exc))
            return
        except DomainError as exc:
            self._saving = False
            self.set_message(str(exc))
            return
        except Exception as exc:
            self.log.error("pay balance failed", exc)
            self._saving = False
            self.set_message(f"Could not save: {describe(exc)}")
            return
        self.dismiss(change)
