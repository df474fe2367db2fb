"""Ledger vocabulary and arithmetic shared by every kind of stored value.

Entries are append-only: a mistake is undone by a reversal entry for the opposite amount,
never by editing history, so a balance can always be rebuilt from its entries.
"""

from __future__ import annotations

from enum import StrEnum

from frontdesk.domain.errors import NotReversible


class StoredValueKind(StrEnum):
    PRODUCT_UNITS = "product_units"
    PREPAID_VISITS = "prepaid_visits"
    ACCOUNT_MONEY = "account_money"
    WALLET_MONEY = "wallet_money"


class Reason(StrEnum):
    """Why an entry exists; stored as the code, shown via the UI's own wording."""

    SALE = "sale"
    BANK = "bank"
    USE = "use"
    REDEEM = "redeem"
    ADJUST = "adjust"
    CREDIT = "credit"
    CHARGE = "charge"
    PAYMENT = "payment"
    CHECKOUT_SPEND = "checkout_spend"
    RENEWAL = "renewal"
    REVERSAL = "reversal"
    REFUND = "refund"
    MERGE = "merge"  # a merged client's balance moved to the client it was merged into


def reversal_amount(amount: int) -> int:
    """The signed amount of the entry that exactly cancels an entry of ``amount``."""
    return -amount


def reversal_refusal(
    entry_id: int,
    *,
    reverses_entry_id: int | None,
    ticket_id: int | None,
    appointment_id: int | None,
) -> NotReversible | None:
    """Why the Account tab may not reverse this entry, or None when it may.

    A reversal is not undone by another reversal (a new adjustment says what happened).
    An entry a ticket or an appointment owns is undone where it belongs, so the ticket or
    the add-on never disagrees with the ledger: a ticket's by its refund, an add-on's
    "use" by removing the add-on (or cancelling the appointment).
    """
    if reverses_entry_id is not None:
        return NotReversible(entry_id, "reversal")
    if ticket_id is not None:
        return NotReversible(entry_id, "ticket", ticket_id)
    if appointment_id is not None:
        return NotReversible(entry_id, "appointment", appointment_id)
    return None
