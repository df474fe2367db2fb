"""The plain receipt a completed ticket shows: business, ticket, lines, discounts, stored
value used, tenders, change, and what the client has left."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from frontdesk.views import ClientSummary
from frontdesk.views.till import CheckoutResult, TicketQuote
from screens.ticket_lines import plural
from screens.ticket_tenders import METHODS, Tenders

Money = Callable[[Decimal], str]


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
        (f"Promotion {result.promotion_code or ''}".strip(), result.promotion_discount),
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
    rows.extend(stored_value_added(result))
    if summary is not None:
        rows.append("")
        rows.append("Left: " + " · ".join(balances_left(summary, money)))
    if result.replayed:
        rows.append("(Already completed: nothing was charged twice.)")
    return "\n".join(rows)


def stored_value_added(result: CheckoutResult) -> list[str]:
    """What the sale put in the client's stored value (rule P2: visits added)."""
    rows = [
        f"{plural(visits, 'visit')} of {name} added to the prepaid balance"
        for name, visits in result.prepaid_added
    ]
    rows.extend(f"{plural(units, 'unit')} of {name} banked" for name, units in result.units_banked)
    return rows


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
