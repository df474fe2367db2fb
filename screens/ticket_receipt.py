"""The receipt a completed ticket shows: the same lines the receipts file and the reprint
screen use (`frontdesk.views.receipt.receipt_lines`), read back by `desk.till.receipt`."""

from __future__ import annotations

from frontdesk.views.receipt import receipt_lines
from frontdesk.views.till import CheckoutResult, Receipt


def receipt_text(receipt: Receipt, *, replayed: bool = False) -> str:
    """The receipt's text; a replayed complete says that nothing was charged twice."""
    rows = receipt_lines(receipt)
    if replayed:
        rows.append("(Already completed: nothing was charged twice.)")
    return "\n".join(rows)


def unread_receipt_text(result: CheckoutResult, why: str) -> str:
    """What the panel says when the sale went through but its receipt could not be read."""
    return f"Ticket #{result.ticket_id} is complete.\nThe receipt could not be shown: {why}"
