"""The notifications outbox (issue 16, item 6): one row per message per channel.

Queued in the same transaction as the write it tells the client about; sent later by
`frontdesk outbox send` (or the Outbox screen) through a `Sender`. `sent_at` NULL means
pending; a failed send counts `attempts` and keeps a short `last_error` of our own words.
"""

# No `from __future__ import annotations` here: SQLAlchemy would eval() every column's
# string annotation when the classes are built, paid by every start of the app.
import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.tables.base import Base, UtcDateTime, utcnow


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        # The unsent rows, oldest first: what a send run reads (a partial index on both
        # engines, so sent history never slows it).
        Index(
            "ix_notifications_pending",
            "id",
            sqlite_where=text("sent_at IS NULL"),
            postgresql_where=text("sent_at IS NULL"),
        ),
        Index("ix_notifications_client_id", "client_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    channel: Mapped[str] = mapped_column(String(10))  # email | sms
    category: Mapped[str] = mapped_column(String(20))  # schedule | account | news
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(200), default="")
