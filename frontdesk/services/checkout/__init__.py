"""Checkout by use case: price the lines (`pricing`), quote a visit (`quote`), list what
can be sold (`sell_catalog`), complete a ticket exactly once (`complete`, posting stored
value via `posting` and commission via `commission`), refund a whole ticket (`refund`).
`till.Till` is the area that puts the use cases together. The checkout order itself is
the pure `frontdesk.domain.checkout`."""

from frontdesk.services.checkout.pricing import (
    Priced,
    appointment_lines,
    membership_discount,
    price_line,
)
from frontdesk.services.checkout.till import Till

__all__ = [
    "Priced",
    "Till",
    "appointment_lines",
    "membership_discount",
    "price_line",
]
