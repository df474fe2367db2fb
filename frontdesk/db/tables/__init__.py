"""The schema, as typed SQLAlchemy 2 models.

Alembic migrations own the real schema; these models mirror it and a test checks
that autogenerate finds no drift. Amounts are integer minor units (`*_minor`),
units or visits; never floats. Appointment times are the location's wall-clock
time (naive), ledger and audit times are UTC.
"""

from frontdesk.db.tables.base import NAMING, Base, SearchText, UtcDateTime, utcnow
from frontdesk.db.tables.check_ins import AppointmentCheckIn
from frontdesk.db.tables.client_index import reindex_clients
from frontdesk.db.tables.core import (
    Appointment,
    AppointmentAddon,
    Client,
    ClientNameWord,
    Commission,
    LedgerEntry,
    Location,
    Membership,
    MembershipPlan,
    Package,
    PackageItem,
    Payment,
    Product,
    Service,
    ServiceAddonDefault,
    Staff,
    StaffPermission,
    StoredValueAccount,
    StoreSettings,
    Ticket,
    TicketLine,
)
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
from frontdesk.db.tables.write_keys import WriteKey

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
    "reindex_clients",
    "utcnow",
]
