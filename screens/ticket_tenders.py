"""Tenders on the ticket (card, cash, other; split as staff like) and the receipt text.

Amounts are read with the one parser (`parse_amount`) in the store's currency and locale.
The check is the checkout order's own rule: card and other together may not exceed the
amount due; everything together must cover it; only cash can be over, and the excess is
change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from frontdesk.domain.checkout import TenderMethod
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.parsing import parse_amount
from frontdesk.views import ClientSummary
from frontdesk.views.till import CheckoutResult, TenderInput, TicketQuote

Money = Callable[[Decimal], str]
METHODS: tuple[tuple[TenderMethod, str], ...] = (
    ("card", "Card"),
    ("cash", "Cash"),
    ("other", "Other"),
)


@dataclass(frozen=True)
class Tenders:
    card: Decimal
    cash: Decimal
    other: Decimal

    @property
    def total(self) -> Decimal:
        return self.card + self.cash + self.other

    def inputs(self) -> tuple[TenderInput, ...]:
        amounts = {"card": self.card, "cash": self.cash, "other": self.other}
        return tuple(
            TenderInput(method=method, amount=amounts[method])
            for method, _label in METHODS
            if amounts[method] > 0
        )


def parse_tenders(
    typed: dict[TenderMethod, str], currency: str, locale: str
) -> tuple[Tenders | None, dict[TenderMethod, str]]:
    """The amounts typed (an empty field is 0), or the message for each bad field."""
    values: dict[TenderMethod, Decimal] = {}
    errors: dict[TenderMethod, str] = {}
    for method, label in METHODS:
        text = typed.get(method, "").strip() or "0"
        try:
            values[method] = parse_amount(
                text, field=method, currency=currency, locale=locale, allow_zero=True
            )
        except ValidationError as exc:
            errors[method] = f"{label}: {exc}"
    if errors:
        return None, errors
    return Tenders(values["card"], values["cash"], values["other"]), {}


def tender_status(t: Tenders, due: Decimal, money: Money) -> tuple[bool, str]:
    """Whether these tenders complete the ticket, and the line that says so."""
    if t.card + t.other > due:
        return False, f"Card and other can't be over the {money(due)} due; only cash gives change"
    if t.total < due:
        return False, f"Still to pay {money(due - t.total)}"
    if t.total > due:
        return True, f"Change {money(t.total - due)}"
    return True, "Paid in full"


def _row(label: str, amount: str, width: int = 60) -> str:
    return label[: width - len(amount) - 1].ljust(width - len(amount)) + amount


def receipt_text(
    result: CheckoutResult,
    quote: TicketQuote,
    tenders: Tenders,
    summary: ClientSummary | None,
    when: dt.datetime,
    money: Money,
) -> str:
    """The plain receipt: business, ticket, lines, discounts, stored value, tenders, change,
    and what the client has left."""
    rows = [
        quote.business_name,
        f"Ticket #{result.ticket_id} · {when:%a %d %b %Y %H:%M} · {quote.client_name}",
        "",
    ]
    for line in result.lines:
        rows.append(_row(quantity_text(line.description, line.quantity), money(line.gross)))
    rows.append(_row("Subtotal", money(result.subtotal)))
    for label, amount in (
        ("Membership discount", result.membership_discount),
        ("Promotion", result.promotion_discount),
    ):
        if amount:
            rows.append(_row(label, f"−{money(amount)}"))
    rows.append(_row("Total", money(result.total)))
    for label, amount in (
        ("Beauty Bank used", result.wallet_applied),
        ("Account credit used", result.account_credit_applied),
    ):
        if amount:
            rows.append(_row(label, f"−{money(amount)}"))
    for method, label in METHODS:
        amount = getattr(tenders, method)
        if amount:
            rows.append(_row(label, money(amount)))
    if result.change:
        rows.append(_row("Change", money(result.change)))
    for name, visits in result.prepaid_added:
        rows.append(f"{visits} visits of {name} added to the prepaid balance")
    if summary is not None:
        rows.append("")
        rows.append("Left: " + " · ".join(balances_left(summary, money)))
    if result.replayed:
        rows.append("(Already completed: nothing was charged twice.)")
    return "\n".join(rows)


def quantity_text(description: str, quantity: int) -> str:
    """The description, with "×N" unless it already says how many."""
    if quantity == 1 or f"×{quantity}" in description or f" {quantity} " in description:
        return description
    return f"{description} ×{quantity}"


def balances_left(summary: ClientSummary, money: Money) -> list[str]:
    left = [
        f"Beauty Bank {money(summary.wallet_balance)}",
        f"Account {money(summary.account_balance)}",
    ]
    left.extend(f"{p.service_name} {p.visits} visits" for p in summary.prepaid)
    left.extend(f"{b.product_name} {b.units} {b.unit_name}s" for b in summary.banked)
    return left
