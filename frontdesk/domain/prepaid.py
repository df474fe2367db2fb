"""Prepaid services (packages of visits): selling, crediting and redeeming.

The rules are in docs/rules.md#prepaid-services: the ticket line carries the price of ONE
visit and a "Qty Prch" (visits bought); the line total is price x Qty Prch ($20 x 5 =
$100). "Qty Used" (default 1) is how many of those visits are performed today, so the
client's prepaid balance grows by Qty Prch - Qty Used. Redeeming later puts the service
on the ticket at 0.00 and takes visits off the balance.
"""

from __future__ import annotations

from frontdesk.domain.errors import InsufficientBalance, ValidationError


def visits_to_credit(qty_purchased: int, qty_used: int = 1) -> int:
    """Visits added to the client's prepaid balance when the sale closes."""
    if qty_purchased < 1:
        raise ValidationError("qty_purchased", "Sell at least 1 visit")
    if qty_used < 0:
        raise ValidationError("qty_used", "Visits used today must not be negative")
    if qty_used > qty_purchased:
        raise ValidationError(
            "qty_used", f"Only {qty_purchased} visits are being bought; cannot use {qty_used}"
        )
    return qty_purchased - qty_used


def validate_redeem(remaining: int, qty: int) -> None:
    """Refuse redeeming fewer than 1 or more visits than the client has left."""
    if qty < 1:
        raise ValidationError("qty", "Redeem at least 1 visit")
    if qty > remaining:
        noun = "visit" if remaining == 1 else "visits"
        raise InsufficientBalance(
            available=remaining,
            requested=qty,
            field="qty",
            message=f"Only {remaining} prepaid {noun} left",
        )
