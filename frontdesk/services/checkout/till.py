"""The till: what a visit costs, what can be sold, completing and refunding a ticket.

Each use case lives in the module that holds its steps (`quote`, `ticket_quote`,
`sell_catalog`, `complete`, `refund`); this class puts them together as one area.
"""

from __future__ import annotations

from frontdesk.services.checkout.complete import CompleteCases
from frontdesk.services.checkout.open_tickets import OpenTicketCases
from frontdesk.services.checkout.promotions import PromotionCases
from frontdesk.services.checkout.receipts import ReceiptCases
from frontdesk.services.checkout.refund import RefundCases
from frontdesk.services.checkout.sell_catalog import SellCatalogCases
from frontdesk.services.checkout.ticket_quote import TicketQuoteCases


class Till(
    TicketQuoteCases,
    SellCatalogCases,
    CompleteCases,
    RefundCases,
    PromotionCases,
    OpenTicketCases,
    ReceiptCases,
):
    """`quote` (an open ticket), `sell_catalog`, `complete`, `reverse`,
    `find_promotion`, `receipt`, and tickets left open: `park`, `open_tickets`, `take`,
    `release`."""
