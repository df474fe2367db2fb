"""The one text of a receipt: the ticket's panel, the reprint screen and the receipts file.

`receipt_lines(receipt)` is pure: the same `Receipt` gives the same lines, in the store's
currency and locale, on the desk's clock (`at` is stored in UTC and shown in local time
unless `tz` is given). A refunded receipt says REFUNDED at the top, with the reason, and
what was paid back at the end. It lives beside the read model (not in `domain`, which
imports nothing of ours) so screens and services both reach it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from frontdesk.domain.money import format_money
from frontdesk.views.till import Receipt, ReceiptRefund, ReceiptTender

WIDTH = 48  # an 80 mm till roll; fits the 80-column screen with room for a border
TENDER_LABELS = {"card": "Card", "cash": "Cash", "other": "Other"}

Money = Callable[[Decimal], str]


def row(label: str, amount: str, width: int = WIDTH) -> str:
    """A label on the left and an amount flush right, the label cut to fit."""
    return label[: width - len(amount) - 1].ljust(width - len(amount)) + amount


def quantity_text(description: str, quantity: int) -> str:
    """The description, with "×N" unless it already says how many."""
    if quantity == 1 or f"×{quantity}" in description or f" {quantity} " in description:
        return description
    return f"{description} ×{quantity}"


def _local(at: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(tz)


def receipt_lines(receipt: Receipt, *, tz: dt.tzinfo | None = None) -> list[str]:
    """The receipt as plain lines, at most `WIDTH` columns of amounts and labels."""

    def money(amount: Decimal) -> str:
        return format_money(amount, receipt.currency, receipt.locale)

    out: list[str] = []
    if receipt.refund is not None:
        out += [f"*** REFUNDED: {receipt.refund.reason} ***", ""]
    out += _header(receipt, tz)
    out += [
        row(quantity_text(ln.description, ln.quantity), money(ln.gross)) for ln in receipt.lines
    ]
    out.append(row("Subtotal", money(receipt.subtotal)))
    promotion = f"Promotion {receipt.promotion_code or ''}".strip()
    for label, amount in (
        ("Membership discount", receipt.membership_discount),
        (promotion, receipt.promotion_discount),
    ):
        if amount:
            out.append(row(label, f"−{money(amount)}"))
    out.append(row("Total", money(receipt.total)))
    for label, amount in (
        ("Beauty Bank used", receipt.wallet_applied),
        ("Account credit used", receipt.account_credit_applied),
    ):
        if amount:
            out.append(row(label, f"−{money(amount)}"))
    out += [row(TENDER_LABELS[t.method], money(t.amount)) for t in receipt.tenders]
    if receipt.change:
        out.append(row("Change", money(receipt.change)))
    out += [
        f"{n} visits of {name} added to the prepaid balance" for name, n in receipt.prepaid_added
    ]
    out += [f"{n} units of {name} banked" for name, n in receipt.units_banked]
    out += _left(receipt, money)
    if receipt.refund is not None:
        out += _refund(receipt.refund, money, tz)
    return out


def _header(receipt: Receipt, tz: dt.tzinfo | None) -> list[str]:
    place = ", ".join(p for p in (receipt.location_name, receipt.location_address) if p)
    served = f"Served by {receipt.staff_name}" if receipt.staff_name else ""
    return [
        receipt.business_name,
        *([place] if place else []),
        f"Ticket #{receipt.ticket_id} · {_local(receipt.at, tz):%a %d %b %Y %H:%M}",
        " · ".join(p for p in (receipt.client_name, served) if p),
        "",
    ]


def _left(receipt: Receipt, money: Money) -> list[str]:
    left = receipt.left
    if left is None:
        return []
    parts = [f"Beauty Bank {money(left.wallet)}", f"Account {money(left.account)}"]
    parts += [f"{name} {n} visits" for name, n in left.prepaid]
    parts += [f"{name} {n} {unit}s" for name, n, unit in left.banked]
    return ["", "Left: " + " · ".join(parts)]


def _refund(refund: ReceiptRefund, money: Money, tz: dt.tzinfo | None) -> list[str]:
    by = f" by {refund.staff_name}" if refund.staff_name else ""
    where = f" on {refund.terminal}" if refund.terminal else ""
    out = ["", f"Refunded {_local(refund.at, tz):%a %d %b %Y %H:%M}{by}{where}"]
    out.append(f"Reason: {refund.reason}")
    out += [_paid_back(t, money) for t in refund.paid_back]
    for label, amount in (
        ("Beauty Bank returned", refund.wallet_returned),
        ("Account credit returned", refund.account_returned),
    ):
        if amount:
            out.append(row(label, money(amount)))
    return out


def _paid_back(tender: ReceiptTender, money: Money) -> str:
    return row(f"{TENDER_LABELS[tender.method]} paid back", f"−{money(tender.amount)}")
