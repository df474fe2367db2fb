"""Beauty Bank (internally "cash wallet") rules: renewal credit and manual adjustments.

The rules are in docs/rules.md#beauty-bank. Credit is added when a membership renews, in
one of two modes per plan. *Auto* banks the plan's credit amount every cycle. *Select*
asks the patient to choose their included treatment or the cash alternative; only the
cash choice reaches the wallet, and a patient who does not choose gets neither for that
cycle.

Manual adjustments are signed amounts (positive = credit, negative = deduct) and there is
no undo, so the confirmation shows the sign in words and the resulting balance, and
taking a balance below zero needs both a permission and an explicit confirmation.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from frontdesk.domain.errors import InsufficientBalance, ValidationError
from frontdesk.domain.money import from_minor, to_minor
from frontdesk.domain.money_context import MoneyContext

RenewalMode = Literal["auto", "select"]
RenewalChoice = Literal["treatment", "cash"]


def renewal_wallet_credit(
    plan_beauty_bank: bool,
    mode: RenewalMode,
    credit_amount: Decimal,
    cash_alternative: Decimal,
    choice: RenewalChoice | None,
    currency: str,
) -> Decimal:
    """Money to add to the wallet for one successful renewal (0.00 when none is due)."""
    if credit_amount < 0 or cash_alternative < 0:
        raise ValueError("Beauty Bank amounts must not be negative")
    if mode not in ("auto", "select"):
        raise ValueError(f"Unknown Beauty Bank mode: {mode!r}")
    zero = from_minor(0, currency)
    if not plan_beauty_bank:
        return zero
    if mode == "auto":
        return from_minor(to_minor(credit_amount, currency), currency)
    # Select mode: the treatment choice is issued as a treatment credit elsewhere, and no
    # choice at all forfeits this cycle's benefit, exactly as the plan's terms say.
    if choice == "cash":
        return from_minor(to_minor(cash_alternative, currency), currency)
    return zero


def check_wallet_adjustment(
    balance: Decimal,
    delta: Decimal,
    *,
    may_go_negative: bool,
    allow_negative_confirmed: bool,
    money: MoneyContext,
) -> Decimal:
    """Validate a manual adjustment and return the new balance.

    A credit is always allowed, even one that leaves an already negative balance below
    zero (it moves the balance the right way). A deduction that ends below zero needs the
    permission (``may_go_negative``) and the staff member's explicit confirmation.
    """
    if delta == 0:
        raise ValidationError(
            "amount", "Enter a non-zero amount (positive = credit, negative = deduct)"
        )
    new_balance = balance + delta
    if delta < 0 and new_balance < 0 and not (may_go_negative and allow_negative_confirmed):
        if may_go_negative:
            message = (
                f"This takes the balance to {money.format(new_balance)}; confirm to go below zero"
            )
        else:
            message = (
                f"Only {money.format(balance)} in the Beauty Bank; "
                f"can't deduct {money.format(-delta)}"
            )
        raise InsufficientBalance(
            available=balance, requested=-delta, field="amount", message=message
        )
    return new_balance


def describe_adjustment(balance: Decimal, delta: Decimal, money: MoneyContext) -> str:
    """The confirmation line, putting the sign into words: "Deduct £10.00 → new balance £40.00"."""
    if delta == 0:
        raise ValidationError(
            "amount", "Enter a non-zero amount (positive = credit, negative = deduct)"
        )
    verb = "Credit" if delta > 0 else "Deduct"
    return f"{verb} {money.format(abs(delta))} → new balance {money.format(balance + delta)}"
