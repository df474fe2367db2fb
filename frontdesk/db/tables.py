"""The schema, as typed SQLAlchemy 2 models.

Alembic migrations own the real schema; these models mirror it and a test checks
that autogenerate finds no drift. Amounts are integer minor units (`*_minor`),
units or visits; never floats. Appointment times are the location's wall-clock
time (naive), ledger and audit times are UTC.
"""

# No `from __future__ import annotations` here: SQLAlchemy would eval() every column's
# string annotation when the classes are built, a sixth of this module's import time,
# paid by every start of the app (nothing here needs a forward reference).
import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


# Prefix search must be a plain index range scan on both engines: PostgreSQL's
# locale collations do not order prefixes contiguously, "C" does.
def _search_text(length: int) -> String:
    return String(length).with_variant(String(length, collation="C"), "postgresql")


SearchText = _search_text(120)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


UtcDateTime = DateTime(timezone=True)


class StoreSettings(Base):
    """One row (id 1): business-wide settings."""

    __tablename__ = "store_settings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_name: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    locale: Mapped[str] = mapped_column(String(16), default="en_GB")
    future_product_usage: Mapped[bool] = mapped_column(Boolean, default=True)
    commission_system: Mapped[str] = mapped_column(String(10), default="single")


class Location(Base):
    __tablename__ = "locations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    opens_at: Mapped[dt.time] = mapped_column(default=dt.time(9, 0))
    closes_at: Mapped[dt.time] = mapped_column(default=dt.time(19, 0))


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(40))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StaffPermission(Base):
    __tablename__ = "staff_permissions"
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    permission: Mapped[str] = mapped_column(String(60), primary_key=True)


class Client(Base):
    __tablename__ = "clients"
    # Composite so a name search is one range scan that also yields the display order
    # (and "first last" is answered inside the index).
    __table_args__ = (
        Index("ix_clients_first_last", "search_first", "search_last"),
        Index("ix_clients_last_first", "search_last", "search_first"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_number: Mapped[str] = mapped_column(String(20), unique=True)
    first_name: Mapped[str] = mapped_column(String(120))
    last_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    birthday: Mapped[dt.date | None] = mapped_column(Date)
    home_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    # Normalised copies for indexed search: folded case, accents stripped, digits only.
    search_first: Mapped[str] = mapped_column(SearchText)
    search_last: Mapped[str] = mapped_column(SearchText)
    phone_digits: Mapped[str] = mapped_column(SearchText, index=True)
    email_lower: Mapped[str] = mapped_column(_search_text(200), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


class Service(Base):
    __tablename__ = "services"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(60), default="")
    duration_minutes: Mapped[int] = mapped_column(Integer)
    price_minor: Mapped[int] = mapped_column(BigInteger)
    commission_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    commission_sale_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    commission_redeem_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    prepaid_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    unit_name: Mapped[str] = mapped_column(String(40), default="unit")
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    usage_tracking: Mapped[bool] = mapped_column(Boolean, default=False)
    addon_eligible: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ServiceAddonDefault(Base):
    """Units of a product a service normally needs (prefilled as "required")."""

    __tablename__ = "service_addon_defaults"
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    default_units: Mapped[int] = mapped_column(Integer)


class Package(Base):
    __tablename__ = "packages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PackageItem(Base):
    __tablename__ = "package_items"
    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    units: Mapped[int] = mapped_column(Integer)


class MembershipPlan(Base):
    __tablename__ = "membership_plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    beauty_bank: Mapped[bool] = mapped_column(Boolean, default=False)
    mode: Mapped[str] = mapped_column(String(10), default="auto")
    credit_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    cash_alternative_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    included_service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))


class Membership(Base):
    __tablename__ = "memberships"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("membership_plans.id"))
    status: Mapped[str] = mapped_column(String(12), default="active")
    started_on: Mapped[dt.date] = mapped_column(Date)
    next_renewal: Mapped[dt.date | None] = mapped_column(Date)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_location_start", "location_id", "starts_at"),
        Index("ix_appointments_staff_start", "staff_id", "starts_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(12), default="booked")
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


class AppointmentAddon(Base):
    """Add-on units on an appointment: Use from the client's bank, Buy to charge."""

    __tablename__ = "appointment_addons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    use_units: Mapped[int] = mapped_column(Integer)
    buy_units: Mapped[int] = mapped_column(Integer)
    # "Buy more": units sold to bank on this visit's ticket, banked when it is paid.
    bank_units: Mapped[int] = mapped_column(Integer, default=0)
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    use_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    removed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


class StoredValueAccount(Base):
    """One per client x kind x item; `balance` caches the sum of its ledger entries."""

    __tablename__ = "stored_value_accounts"
    __table_args__ = (UniqueConstraint("client_id", "kind", "item_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    # product_units | prepaid_visits | account_money | wallet_money
    kind: Mapped[str] = mapped_column(String(20))
    # "wallet", "account", "product:<id>", "service:<id>": NULL-free so the unique key holds.
    item_key: Mapped[str] = mapped_column(String(40))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    # Sale value of one unit/visit, for the liability report; 1 for money accounts.
    unit_value_minor: Mapped[int] = mapped_column(BigInteger, default=1)
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


class Ticket(Base):
    """A checkout. The idempotency key is made when the ticket opens."""

    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    terminal: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), default="completed")
    subtotal_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    discount_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    total_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    wallet_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    account_credit_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    change_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    # The first result, returned as-is when the same key is submitted again.
    result_json: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)
    # A refund (docs/rules.md#completing-and-refunding-a-ticket, R6): when, why, who, where.
    reversed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    refund_reason: Mapped[str | None] = mapped_column(String(200))
    refunded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    refund_terminal: Mapped[str | None] = mapped_column(String(80))


class TicketLine(Base):
    __tablename__ = "ticket_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    description: Mapped[str] = mapped_column(String(200))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    package_id: Mapped[int | None] = mapped_column(ForeignKey("packages.id"))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    qty_used: Mapped[int] = mapped_column(Integer, default=0)
    gross_minor: Mapped[int] = mapped_column(BigInteger)
    discount_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    net_minor: Mapped[int] = mapped_column(BigInteger)


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount_minor <> 0", name="nonzero"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    method: Mapped[str] = mapped_column(String(12))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    change_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    terminal: Mapped[str] = mapped_column(String(80))
    reverses_payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


class Commission(Base):
    __tablename__ = "commissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    ticket_line_id: Mapped[int] = mapped_column(ForeignKey("ticket_lines.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


class LedgerEntry(Base):
    """Append-only: never UPDATEd or DELETEd. A mistake gets a reversing entry."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_entries_account_id_id", "account_id", "id"),
        CheckConstraint("amount <> 0", name="nonzero"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("stored_value_accounts.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(200))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    terminal: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow, index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    # Unique: an entry can be reversed once, enforced by the database itself.
    reverses_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_entries.id"), unique=True
    )


# --- Client profile (docs/rules.md#client-profile): notifications, relationships, contact history,
# documents, transformation log, goals, rewards. -------------------------------------------


class NotificationPreference(Base):
    """One opt-in flag per client x channel x category; a missing row means opted in."""

    __tablename__ = "notification_preferences"
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), primary_key=True)  # email | sms
    category: Mapped[str] = mapped_column(String(20), primary_key=True)  # schedule|account|news
    opted_in: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


class ClientRelationship(Base):
    """A directed link: `client_id`'s `kind` is `related_client_id` (family|guardian|partner)."""

    __tablename__ = "client_relationships"
    __table_args__ = (
        UniqueConstraint("client_id", "related_client_id", "kind"),
        CheckConstraint("client_id <> related_client_id", name="not_self"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    related_client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


class ContactLog(Base):
    """A call, email or SMS with the client, as staff logged it."""

    __tablename__ = "contact_logs"
    __table_args__ = (Index("ix_contact_logs_client_id_created_at", "client_id", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    channel: Mapped[str] = mapped_column(String(10))  # call | email | sms
    note: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


class ClientDocument(Base):
    """A form or consent the client is asked to sign; unsigned while `signed_at` is NULL."""

    __tablename__ = "client_documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))  # form | consent
    signed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


class TransformationEntry(Base):
    """A dated transformation-log note (editable: it is a record, not stored value)."""

    __tablename__ = "transformation_entries"
    __table_args__ = (
        Index("ix_transformation_entries_client_id_entry_date", "client_id", "entry_date"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    entry_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


class ClientGoal(Base):
    __tablename__ = "client_goals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    achieved: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


class RewardEntry(Base):
    """Append-only points ledger, like `ledger_entries`: never UPDATEd or DELETEd."""

    __tablename__ = "reward_entries"
    __table_args__ = (
        Index("ix_reward_entries_client_id_id", "client_id", "id"),
        CheckConstraint("points <> 0", name="nonzero"),
        CheckConstraint("balance_after >= 0", name="not_negative"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    points: Mapped[int] = mapped_column(Integer)
    balance_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(10))  # visit | spend | redeem | adjust
    description: Mapped[str] = mapped_column(String(200))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    terminal: Mapped[str] = mapped_column(String(80))
    prize_id: Mapped[int | None] = mapped_column(ForeignKey("prizes.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


class Prize(Base):
    __tablename__ = "prizes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    points_cost: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


_ONE_AMOUNT = (  # a promotion is exactly one of the two, in range
    "(percent > 0 AND percent <= 100 AND fixed_minor IS NULL)"
    " OR (percent IS NULL AND fixed_minor > 0)"
)


class PromotionCode(Base):
    """A code typed at the till, stored folded (upper case): a percent or a fixed amount."""

    __tablename__ = "promotions"
    __table_args__ = (CheckConstraint(_ONE_AMOUNT, name="one_amount"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    description: Mapped[str] = mapped_column(String(200))
    percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    fixed_minor: Mapped[int | None] = mapped_column(BigInteger)  # the store's currency
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)  # last valid day; None: no end
    once_per_client: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


_ONCE: dict[str, Any] = dict.fromkeys(("sqlite_where", "postgresql_where"), text("once_per_client"))


class PromotionUse(Base):
    """A code used on a ticket; the code's `once_per_client` is copied for the partial index."""

    __tablename__ = "promotion_uses"
    __table_args__ = (
        Index("uq_promotion_uses_once", "promotion_id", "client_id", unique=True, **_ONCE),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    promotion_id: Mapped[int] = mapped_column(ForeignKey("promotions.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    once_per_client: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=_utcnow)


# Attendance asks "which past visits has no ticket line paid?" per appointment.
Index("ix_ticket_lines_appointment_id", TicketLine.appointment_id)
