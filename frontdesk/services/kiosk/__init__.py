"""The client kiosk's narrow face (issue 18, item 1): not the staff `Desk`.

`frontdesk kiosk --location L` gives its screens a `Kiosk` and nothing else. A manager
or owner opens it with their number and PIN (`open`); its writes are then made as them,
on the terminal "kiosk <terminal>" (rule 8). A client checks in by their whole phone
number or client number (`check_in`), which gives a `KioskVisit` bound to that one
client: every later call (confirm, balances, the benefit choice) goes through it, so no
kiosk call can name another client. Leaving needs a manager's or owner's PIN (`leave`).
The rules: docs/rules.md#kiosk, Q1-Q5.
"""

from frontdesk.services.kiosk.face import (
    LOCKOUT_MISSES,
    LOCKOUT_SECONDS,
    NO_MATCH,
    Kiosk,
    KioskNoMatch,
    KioskRefused,
    UnknownLocation,
)
from frontdesk.services.kiosk.visit import KioskVisit

__all__ = [
    "LOCKOUT_MISSES",
    "LOCKOUT_SECONDS",
    "NO_MATCH",
    "Kiosk",
    "KioskNoMatch",
    "KioskRefused",
    "KioskVisit",
    "UnknownLocation",
]
