"""Checkout by use case: price the lines (`pricing`), quote a visit (`quote`), complete a
ticket exactly once (`complete`, posting stored value via `posting` and commission via
`commission`), refund a whole ticket (`refund`). The checkout order itself is the pure
`frontdesk.domain.checkout`."""

from frontdesk.services.checkout.complete import checkout
from frontdesk.services.checkout.pricing import (
    Priced,
    appointment_lines,
    membership_discount,
    price_line,
)
from frontdesk.services.checkout.quote import quote_appointment
from frontdesk.services.checkout.refund import reverse_checkout

__all__ = [
    "Priced",
    "appointment_lines",
    "checkout",
    "membership_discount",
    "price_line",
    "quote_appointment",
    "reverse_checkout",
]
