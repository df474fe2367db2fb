"""Adjust a client's Beauty Bank or account balance: one modal, one ledger entry.

`AdjustBalanceModal(desk, client_id, kind, balance, money, may_go_negative)`:

* ``kind="wallet"`` — "Adjust Beauty Bank Balance" (docs/rules.md#beauty-bank): a signed
  Amount ("Positive = credit · Negative = deduct."), a Description, Confirm.
* ``kind="account"`` — "Adjust Account Balance" (docs/rules.md#account-balance): "Issue a
  credit to client account" or "Charge an amount to client account", a positive Amount, a
  Reason, Save.

The before→after line spells the sign out in words while you type. Fields are checked
with the one parser (the store's `MoneyContext.parse`, `clean_description`) before
anything is written;
a Beauty Bank result below zero needs the "deduct below zero" permission *and* a second
Confirm: with the permission (`may_go_negative`) the first Confirm asks for the second;
without it the service's refusal, naming the permission, is shown at the Amount. The
confirm step calls the service once (one ledger entry) and dismisses with its
`BalanceChange`; Esc dismisses with None and writes nothing. The modal's write key is
made when it opens and sent with every save, so a retry never writes twice.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path, PurePath
from typing import ClassVar, Literal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

import styles
from frontdesk.domain.errors import (
    DomainError,
    InsufficientBalance,
    PermissionDenied,
    ValidationError,
    describe,
)
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.parsing import clean_description
from frontdesk.domain.permissions import Perm
from frontdesk.domain.wallet import describe_adjustment
from frontdesk.domain.write_keys import new_key
from frontdesk.services.desk import Desk
from frontdesk.views.balances import BalanceChange
from frontdesk.views.changes import BALANCES, Change
from frontdesk.views.staff import Approval
from screens.approval import with_approval
from screens.widgets.form import TickRadio
from screens.widgets.live import DataChanged, LiveRefresh

STYLES_DIR = Path(styles.__file__).parent
AdjustKind = Literal["wallet", "account"]

WALLET_TITLE = "Adjust Beauty Bank Balance"
ACCOUNT_TITLE = "Adjust Account Balance"
WALLET_HELP = "Positive = credit · Negative = deduct."
CREDIT_LABEL = "Issue a credit to client account"
CHARGE_LABEL = "Charge an amount to client account"
MINUS = "−"  # U+2212: a minus sign nobody misreads as a dash


def signed_money(amount: Decimal, money: MoneyContext) -> str:
    """ "£5.00" / "−£5.00": the sign before the symbol, as a real minus sign."""
    text = money.format(abs(amount))
    return f"{MINUS}{text}" if amount < 0 else text


def account_words(balance: Decimal, money: MoneyContext) -> str:
    """An account balance as staff say it: "Credit £20.00", "Owes £30.00" or "£0.00"."""
    if balance > 0:
        return f"Credit {money.format(balance)}"
    if balance < 0:
        return f"Owes {money.format(-balance)}"
    return money.format(balance)


def describe_account_change(
    balance: Decimal, amount: Decimal, *, credit: bool, money: MoneyContext
) -> str:
    """ "Credit £20.00 → new balance £45.00" / "Charge £50.00 → client owes £5.00"."""
    after = balance + amount if credit else balance - amount
    verb = "Credit" if credit else "Charge"
    if after < 0:
        outcome = f"client owes {money.format(-after)}"
    else:
        outcome = f"new balance {money.format(after)}"
    return f"{verb} {money.format(amount)} → {outcome}"


class AdjustBalanceModal(ModalScreen[BalanceChange | None]):
    """One manual adjustment of the Beauty Bank (``wallet``) or the account balance."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "adjust_balance.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="adjust.cancel"),
        Binding("ctrl+s", "confirm", "Confirm", id="adjust.confirm"),
    ]

    def __init__(
        self,
        desk: Desk,
        client_id: int,
        kind: AdjustKind,
        balance: Decimal,
        money: MoneyContext,
        may_go_negative: bool,
    ) -> None:
        super().__init__(classes=f"adjust-balance -{kind}")
        self.desk = desk
        self.client_id = client_id
        self.kind: AdjustKind = kind
        self.balance = balance
        self.money = money
        self.may_go_negative = may_go_negative
        # The (delta, description) the staff member was warned would go below zero.
        self._below_zero_warned: Decimal | None = None
        self._saving = False
        self.calls = 0  # service calls made (one per confirmed adjustment)
        # Made when the modal opens, sent with every save from it: a retry after a lost
        # answer, or a second Enter, replays the first adjustment instead of writing two.
        self.key = new_key()
        self.live = LiveRefresh(self, self.reread_balance, BALANCES, lambda: self.client_id)

    @property
    def text_field(self) -> str:
        return "description" if self.kind == "wallet" else "reason"

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        wallet = self.kind == "wallet"
        with Vertical(id="adjust-dialog"):
            yield Static(Content(WALLET_TITLE if wallet else ACCOUNT_TITLE), id="adjust-title")
            yield Static(Content(self._now_text()), id="adjust-now")
            if not wallet:
                with RadioSet(id="direction", compact=True):
                    yield TickRadio(CREDIT_LABEL, value=True, id="direction-credit")
                    yield TickRadio(CHARGE_LABEL, id="direction-charge")
            with Horizontal(classes="adjust-row"):
                yield Static(Content("Amount"), classes="adjust-label")
                yield Input(
                    placeholder="e.g. 25 or -10"
                    if wallet
                    else f"e.g. {self.money.for_input(Decimal(20))}",
                    id="amount",
                    compact=True,
                    max_length=40,
                )
            if wallet:
                yield Static(Content(WALLET_HELP), id="amount-help", classes="adjust-help")
            yield Static(id="amount-error", classes="field-error")
            with Horizontal(classes="adjust-row"):
                yield Static(Content("Description" if wallet else "Reason"), classes="adjust-label")
                yield Input(
                    placeholder="e.g. Goodwill credit — appointment issue",
                    id=self.text_field,
                    compact=True,
                    max_length=200,
                )
            yield Static(id=f"{self.text_field}-error", classes="field-error")
            yield Static(id="adjust-preview")
            yield Static(id="adjust-message")
            with Horizontal(id="adjust-buttons"):
                yield Button(
                    "Confirm" if wallet else "Save",
                    id="adjust-confirm",
                    variant="primary",
                    compact=True,
                )
                yield Button("Cancel", id="adjust-cancel", compact=True)
            yield Static(Content("Enter next/confirm · Esc cancel"), id="adjust-keys")

    def _now_text(self) -> str:
        if self.kind == "wallet":
            return f"Available Balance {signed_money(self.balance, self.money)}"
        return f"Account balance: {account_words(self.balance, self.money)}"

    # -- live: another terminal moved this balance ----------------------------------

    def on_data_changed(self, message: DataChanged) -> None:
        self.live.changed(message.change)

    def on_screen_resume(self) -> None:
        self.live.shown()

    @work(exclusive=True, group="adjust-live", exit_on_error=False)
    async def reread_balance(self, _change: Change) -> None:
        """The balance as it is now, under what is typed (which stays): the line above
        the Amount and the before → after preview follow it."""
        try:
            summary = await self.desk.clients.summary(self.client_id)
        except Exception:  # the save reports any real fault; this line just stays as is
            return
        balance = summary.wallet_balance if self.kind == "wallet" else summary.account_balance
        if balance == self.balance or self._saving:
            return
        self.balance = balance
        self._below_zero_warned = None  # the warning was about the old balance
        self.query_one("#adjust-now", Static).update(Content(self._now_text()))
        self._refresh_preview()

    def on_mount(self) -> None:
        self.query_one("#amount", Input).focus()

    # -- helpers -----------------------------------------------------------------

    @property
    def credit(self) -> bool:
        """Account kind: Issue a credit (True) or Charge an amount (False)."""
        if self.kind == "wallet":
            return True
        return self.query_one("#direction-credit", RadioButton).value

    def set_error(self, field: str, message: str) -> None:
        target = field if field in ("amount", self.text_field) else None
        if target is None:
            self.set_message(message)
            return
        box = self.query_one(f"#{target}-error", Static)
        box.update(Content(message))
        box.display = bool(message)
        self.query_one(f"#{target}", Input).set_class(bool(message), "-invalid")

    def error_of(self, field: str) -> str:
        box = self.query_one(f"#{field}-error", Static)
        return str(box.render()) if box.display else ""

    def set_message(self, message: str) -> None:
        box = self.query_one("#adjust-message", Static)
        box.update(Content(message))
        box.display = bool(message)

    def _parse_amount(self) -> Decimal:
        text = self.query_one("#amount", Input).value
        return self.money.parse(text, field="amount", allow_negative=self.kind == "wallet")

    def _preview(self) -> str:
        try:
            amount = self._parse_amount()
        except ValidationError:
            return ""
        if self.kind == "wallet":
            line = describe_adjustment(self.balance, amount, self.money)
            return line.replace(
                self.money.format(self.balance + amount),
                signed_money(self.balance + amount, self.money),
            )
        return describe_account_change(self.balance, amount, credit=self.credit, money=self.money)

    def _refresh_preview(self) -> None:
        self.query_one("#adjust-preview", Static).update(Content(self._preview()))

    # -- events ------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        field = event.input.id or ""
        self.set_error(field, "")
        if field == "amount":
            self._below_zero_warned = None
            self.set_message("")
        self._refresh_preview()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._refresh_preview()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "amount":
            self.query_one(f"#{self.text_field}", Input).focus()
        else:
            self.action_confirm()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "adjust-confirm":
            self.action_confirm()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    # -- confirm -----------------------------------------------------------------

    def action_confirm(self) -> None:
        if self._saving:
            return
        amount: Decimal | None = None
        text: str | None = None
        try:
            amount = self._parse_amount()
        except ValidationError as exc:
            self.set_error("amount", str(exc))
        try:
            text = clean_description(
                self.query_one(f"#{self.text_field}", Input).value, field=self.text_field
            )
        except ValidationError as exc:
            self.set_error(self.text_field, str(exc))
        if amount is None or text is None:
            self._focus_first_error()
            return
        after = self.balance + amount
        below_zero = self.kind == "wallet" and amount < 0 and after < 0
        # Without the permission there is nothing to confirm: the service refuses it.
        if below_zero and self.may_go_negative and self._below_zero_warned != amount:
            self._below_zero_warned = amount
            self.set_message(
                f"This takes the Beauty Bank to {signed_money(after, self.money)}. "
                "Press Confirm again to go below zero."
            )
            self.query_one("#adjust-confirm", Button).focus()
            return
        self._saving = True
        self.save(amount, text, below_zero and self.may_go_negative)

    def _focus_first_error(self) -> None:
        for field in ("amount", self.text_field):
            if self.error_of(field):
                self.query_one(f"#{field}", Input).focus()
                return

    @work(exclusive=True, group="adjust-save", exit_on_error=False)
    async def save(self, amount: Decimal, text: str, allow_negative: bool) -> None:
        self.query_one("#adjust-confirm", Button).disabled = True
        self.calls += 1
        balances = self.desk.balances

        async def write(approval: Approval | None) -> BalanceChange:
            if self.kind == "wallet":
                return await balances.adjust_wallet(
                    self.client_id,
                    amount,
                    text,
                    key=self.key,
                    allow_negative=allow_negative,
                    approval=approval,
                )
            if self.credit:
                return await balances.issue_account_credit(
                    self.client_id, amount, text, key=self.key, approval=approval
                )
            return await balances.charge_account(
                self.client_id, amount, text, key=self.key, approval=approval
            )

        try:
            change = await with_approval(self.app, write)  # a manager's PIN above the limit
        except (ValidationError, InsufficientBalance) as exc:
            self._failed(exc.field or "", str(exc))
            return
        except PermissionDenied as exc:  # below zero: said where the amount was typed
            below_zero = exc.permission == Perm.DEDUCT_BELOW_ZERO.value
            self._failed("amount" if below_zero else "", str(exc))
            return
        except DomainError as exc:
            self._failed("", str(exc))
            return
        except Exception as exc:  # shown, never a traceback on screen
            self.log.error("adjust balance failed", exc)
            self._failed("", f"Could not save: {describe(exc)}")
            return
        self.dismiss(change)

    def _failed(self, field: str, message: str) -> None:
        self._saving = False
        self._below_zero_warned = None
        self.query_one("#adjust-confirm", Button).disabled = False
        self.set_error(field, message)
