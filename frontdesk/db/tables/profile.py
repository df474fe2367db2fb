"""The client profile's tables (docs/rules.md#client-profile)."""

# No `from __future__ import annotations` here: SQLAlchemy would eval() every column's
# string annotation when the classes are built, paid by every start of the app.
import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.tables.base import Base, UtcDateTime, utcnow

# --- Client profile (docs/rules.md#client-profile): notifications, relationships, contact history,
# documents, transformation log, goals, rewards. -------------------------------------------


class NotificationPreference(Base):
    """One opt-in flag per client x channel x category; a missing row means opted in."""

    __tablename__ = "notification_preferences"
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), primary_key=True)  # email | sms
    category: Mapped[str] = mapped_column(String(20), primary_key=True)  # schedule|account|news
    opted_in: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


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
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ContactLog(Base):
    """A call, email or SMS with the client, as staff logged it."""

    __tablename__ = "contact_logs"
    __table_args__ = (Index("ix_contact_logs_client_id_created_at", "client_id", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    channel: Mapped[str] = mapped_column(String(10))  # call | email | sms
    note: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ClientDocument(Base):
    """A form or consent the client is asked to sign; unsigned while `signed_at` is NULL."""

    __tablename__ = "client_documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))  # form | consent
    signed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


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
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ClientGoal(Base):
    __tablename__ = "client_goals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    achieved: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


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
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Prize(Base):
    __tablename__ = "prizes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    points_cost: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
