"""Tickets left open ("Leave open"): parked under their idempotency key until completed.

Not a `tickets` row: checkout treats a `tickets` row with no result as absent, so a
parked one there would break the key's once-only guarantee. Completing the key deletes
its row here in the same transaction.
"""

# No `from __future__ import annotations` here: SQLAlchemy would eval() every column's
# string annotation when the classes are built, paid by every start of the app.
import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.tables.base import Base, UtcDateTime, Versioned, utcnow


class OpenTicket(Versioned, Base):
    """A parked ticket: its `CheckoutInput` as JSON, who left it open and when, and the
    terminal that holds it now (None: nobody; any terminal may take it)."""

    __tablename__ = "open_tickets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    input_json: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(String(200))  # what is on it, in words
    parked_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    parked_terminal: Mapped[str] = mapped_column(String(80))
    parked_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    held_by: Mapped[str | None] = mapped_column(String(80))  # a terminal
