"""The schema, as typed SQLAlchemy 2 models.

Alembic migrations own the real schema; these models mirror it and a test checks
that autogenerate finds no drift. Amounts are integer minor units (`*_minor`),
units or visits; never floats. Appointment times are the location's wall-clock
time (naive), ledger and audit times are UTC.

Every module's classes are named here, but only the tables start-up and the schedule
read are imported with the package: the rest (the outbox, promotions, the drawer, the
profile's records, ...) when a name of theirs is first asked for (`__getattr__`, PEP 562).
The outbox's and promotions' partial indexes made SQLAlchemy load its PostgreSQL dialect
on every SQLite start, and the seven modules cost ~45 ms before the schedule's rows
(issue 19). What needs the whole schema (Alembic, the race keys, the tests' truncation)
asks for it: `full_metadata()`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData

from frontdesk.db.tables.base import NAMING, Base, SearchText, UtcDateTime, utcnow
from frontdesk.db.tables.client_index import reindex_clients
from frontdesk.db.tables.core import (
    Appointment,
    AppointmentAddon,
    Client,
    ClientNameWord,
    LedgerEntry,
    Location,
    Product,
    Service,
    Staff,
    StaffPermission,
    StoredValueAccount,
    StoreSettings,
    Ticket,
)
from frontdesk.db.tables.write_keys import WriteKey

if TYPE_CHECKING:
    from frontdesk.db.tables.check_ins import AppointmentCheckIn
    from frontdesk.db.tables.drawer import CashDrawer, CashDrawerEvent
    from frontdesk.db.tables.open_tickets import OpenTicket
    from frontdesk.db.tables.outbox import Notification
    from frontdesk.db.tables.profile import (
        ClientDocument,
        ClientGoal,
        ClientRelationship,
        ContactLog,
        NotificationPreference,
        Prize,
        RewardEntry,
        TransformationEntry,
    )
    from frontdesk.db.tables.promotions import PromotionCode, PromotionUse
    from frontdesk.db.tables.renewals import MembershipCycle
    from frontdesk.db.tables.till import (
        Commission,
        Membership,
        MembershipPlan,
        Package,
        PackageItem,
        Payment,
        ServiceAddonDefault,
        TicketLine,
    )

# Each lazily imported name and its module (tests/house/test_lazy_tables.py keeps this
# in step with the package's modules).
LAZY: dict[str, str] = {
    "AppointmentCheckIn": "check_ins",
    "CashDrawer": "drawer",
    "CashDrawerEvent": "drawer",
    "OpenTicket": "open_tickets",
    "Notification": "outbox",
    "ClientDocument": "profile",
    "ClientGoal": "profile",
    "ClientRelationship": "profile",
    "ContactLog": "profile",
    "NotificationPreference": "profile",
    "Prize": "profile",
    "RewardEntry": "profile",
    "TransformationEntry": "profile",
    "PromotionCode": "promotions",
    "PromotionUse": "promotions",
    "MembershipCycle": "renewals",
    "Commission": "till",
    "Membership": "till",
    "MembershipPlan": "till",
    "Package": "till",
    "PackageItem": "till",
    "Payment": "till",
    "ServiceAddonDefault": "till",
    "TicketLine": "till",
}


def __getattr__(name: str) -> Any:
    module = LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def full_metadata() -> MetaData:
    """`Base.metadata` with every table in it (every lazily imported module loaded)."""
    for module in sorted(set(LAZY.values())):
        importlib.import_module(f"{__name__}.{module}")
    return Base.metadata


__all__ = [
    "NAMING",
    "Appointment",
    "AppointmentAddon",
    "AppointmentCheckIn",
    "Base",
    "CashDrawer",
    "CashDrawerEvent",
    "Client",
    "ClientDocument",
    "ClientGoal",
    "ClientNameWord",
    "ClientRelationship",
    "Commission",
    "ContactLog",
    "LedgerEntry",
    "Location",
    "Membership",
    "MembershipCycle",
    "MembershipPlan",
    "Notification",
    "NotificationPreference",
    "OpenTicket",
    "Package",
    "PackageItem",
    "Payment",
    "Prize",
    "Product",
    "PromotionCode",
    "PromotionUse",
    "RewardEntry",
    "SearchText",
    "Service",
    "ServiceAddonDefault",
    "Staff",
    "StaffPermission",
    "StoreSettings",
    "StoredValueAccount",
    "Ticket",
    "TicketLine",
    "TransformationEntry",
    "UtcDateTime",
    "WriteKey",
    "full_metadata",
    "reindex_clients",
    "utcnow",
]
