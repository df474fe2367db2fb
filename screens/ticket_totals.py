"""The ticket's totals box: subtotal, discounts, stored value applied and what is due,
each row exactly as wide as its column whatever the currency's symbol."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from rich.cells import cell_len, set_cell_size
from textual.content import Content

from frontdesk.views.till import TicketQuote
from screens.ticket_lines import credit_box

TOTAL_W = 36


def total_row(label: str, amount: str) -> str:
    # Terminal cells, not characters: a yen sign ("￥") is two columns wide, and a line
    # one column too long wraps the amount under its label. A label cut short says so
    # ("…"): a balance cut to "￥30,00" would read as another number.
    room = TOTAL_W - cell_len(amount) - 1
    if cell_len(label) > room:
        label = set_cell_size(label, room - 1) + "…"
    return set_cell_size(label, room) + " " + amount


def totals_text(
    q: TicketQuote,
    m: Callable[[Decimal], str],
    *,
    promotion_code: str | None,
    use_wallet: bool,
    use_credit: bool,
) -> Content:
    """The rows under the lines; a stored value that can't apply is dimmed ("[-]")."""

    def minus(amount: Decimal) -> str:  # a discount or stored value of nothing: "—"
        return f"−{m(amount)}" if amount else "—"

    percent = f" {q.membership_discount_percent.normalize():f}%" if q.membership_discount else ""
    rows = [
        total_row("Subtotal", m(q.subtotal)),
        total_row(f"Member discount{percent}", minus(q.membership_discount)),
        total_row(
            f"Promotion {promotion_code}" if promotion_code else "Promotion",
            minus(q.promotion_discount),
        ),
        total_row(
            f"{'[x]' if use_wallet else '[ ]'} Beauty Bank of {m(q.wallet_available)}",
            minus(q.wallet_applied),
        ),
        total_row(
            f"{credit_box(q.lines, use_credit)} Credit of {m(q.account_credit_available)}",
            minus(q.account_credit_applied),
        ),
        total_row("Total due", m(q.due)),
    ]
    shown = [Content.styled(r, "dim") if r.startswith("[-]") else Content(r) for r in rows]
    return Content("\n").join(shown)
