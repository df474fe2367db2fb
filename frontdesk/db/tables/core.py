"""The desk's own tables: store, locations, staff, clients, the catalogue, appointments,
tickets and the stored-value ledger (what an appointment's add-on line refers to); the
till's lines, payments, commission, packages and memberships are in till.py."""

# No `from __future__ import annotations` here: SQLAlchemy would eval() every column's
# string annotation when the classes are built, paid by every start of the app.
import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.tables.base import (
    Base,
    SearchText,
    UtcDateTime,
    Versioned,
    VersionedSetup,
    search_text,
    utcnow,
)


class StoreSettings(VersionedSetup, Base):
    """One row (id 1): business-wide settings. Versioned: the setup screen's save is
    refused if another terminal changed them since it read them."""

    __tablename__ = "store_settings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business_name: Mapped[str] = mapped_column(String(120))
    # No default: a store's currency and locale are always said when it is created.
    currency: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(16))
    future_product_usage: Mapped[bool] = mapped_column(Boolean, default=True)
    commission_system: Mapped[str] = mapped_column(String(10), default="single")
    # Two-person rule: an adjustment, reversal or refund worth more needs a manager's PIN.
    approval_threshold_minor: Mapped[int] = mapped_column(
        BigInteger, default=10000, server_default="10000"
    )
    # The terminal locks back to sign-in after this long without a key or click.
    idle_lock_seconds: Mapped[int] = mapped_column(Integer, default=300, server_default="300")


class Location(VersionedSetup, Base):
    """A place the desk works at. Versioned, like every row the setup screens edit."""

    __tablename__ = "locations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    opens_at: Mapped[dt.time] = mapped_column(default=dt.time(9, 0))
    closes_at: Mapped[dt.time] = mapped_column(default=dt.time(19, 0))


class Staff(VersionedSetup, Base):
    """A staff member; the id is the staff number typed at sign-in. Versioned, like
    every row the setup screens edit."""

    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # owner | manager | front_desk, or a practitioner's job title (docs/rules.md, S2).
    role: Mapped[str] = mapped_column(String(40))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # argon2id of the PIN with the pepper mixed in; NULL: cannot sign in yet.
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    # Wrong PINs in a row, and the lock they earned: shared by every terminal.
    failed_pins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


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
    email_lower: Mapped[str] = mapped_column(search_text(200), index=True)
    # `phone_digits` reversed, so a number's last digits are an index range too. Kept by
    # the mapper events of `frontdesk.db.tables.client_index` (or `reindex_clients`).
    phone_tail: Mapped[str] = mapped_column(SearchText, index=True, server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Set when this record was merged into another (a manager's action): search leaves
    # it out, and its history now lives on that client. No foreign key: see migration 0010.
    merged_into_id: Mapped[int | None] = mapped_column(Integer)


class ClientNameWord(Base):
    """A word of a client's folded first or last name that a prefix scan of the name
    itself cannot find: "briain" of "o briain", "connor" and "oconnor" of "o'connor".
    Kept by the mapper events of `frontdesk.db.tables.client_index`."""

    __tablename__ = "client_name_words"
    __table_args__ = (Index("ix_client_name_words_word", "word", "client_id"),)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    word: Mapped[str] = mapped_column(SearchText, primary_key=True)


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
    # The most units one add-on line may buy (frontdesk.domain.addons.MAX_BUY_PER_LINE).
    max_units_per_line: Mapped[int] = mapped_column(Integer, default=999, server_default="999")


class Appointment(Versioned, Base):
    """A visit; its add-on lines change only through it, so its `version` covers them."""

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
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


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
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


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
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # The newest entry's hash (none yet: NULL), moved with `balance` by every posting.
    last_hash: Mapped[str | None] = mapped_column(String(64))


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
    # The first result, returned as-is when the same key is submitted again, and the hash
    # of the request that made it (frontdesk.domain.write_keys): the same key with another
    # request is refused, not replayed. None on tickets completed before it was recorded.
    result_json: Mapped[str] = mapped_column(Text, default="")
    payload_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # A refund (docs/rules.md#completing-and-refunding-a-ticket, R6): when, why, who, where.
    reversed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    refund_reason: Mapped[str | None] = mapped_column(String(200))
    refunded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    refund_terminal: Mapped[str | None] = mapped_column(String(80))
    refund_approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


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
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    # Unique: an entry can be reversed once, enforced by the database itself.
    reverses_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_entries.id"), unique=True
    )
    # The manager whose PIN allowed this entry above the threshold (two-person rule).
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # SHA-256 over this entry and the previous one's hash in its account (tamper-evident).
    entry_hash: Mapped[str] = mapped_column(String(64))
