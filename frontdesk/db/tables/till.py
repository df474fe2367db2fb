"""The till's tables: ticket lines, payments, commission, packages, membership plans and
memberships. Apart from core.py's because nothing before the schedule's rows reads them
and no table start-up reads refers to them: imported with their first use
(frontdesk/db/tables/__init__.py, issue 19)."""

# No `from __future__ import annotations` here: SQLAlchemy would eval() every column's
# string annotation when the classes are built, paid by every start of the app.
import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.tables.base import (
    Base,
    UtcDateTime,
    Versioned,
    utcnow,
)


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


class MembershipPlan(Versioned, Base):
    """A plan set up at the desk; renewals read it at each cycle, so a change applies
    from every membership's next cycle. Versioned: the editor's save is refused if
    another terminal changed the plan since it was opened."""

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
    billing_cycle: Mapped[str] = mapped_column(
        String(10), default="monthly", server_default="monthly"
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Membership(Versioned, Base):
    """A client's membership of a plan: "active", "paused" or "cancelled". Versioned: a
    pause, resume, plan change or cancel based on an old read is refused (another
    terminal changed it since). Cancelling records when and why; nothing here touches
    the client's Beauty Bank (docs/rules.md#beauty-bank, W6)."""

    __tablename__ = "memberships"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("membership_plans.id"))
    status: Mapped[str] = mapped_column(String(12), default="active")
    started_on: Mapped[dt.date] = mapped_column(Date)
    next_renewal: Mapped[dt.date | None] = mapped_column(Date)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    cancel_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")


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
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Commission(Base):
    __tablename__ = "commissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    ticket_line_id: Mapped[int] = mapped_column(ForeignKey("ticket_lines.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


# Attendance asks "which past visits has no ticket line paid?" per appointment.
Index("ix_ticket_lines_appointment_id", TicketLine.appointment_id)
