"""Kiosk check-ins (issue 18, item 1): one append-only row per appointment a client
checked in to at the kiosk, with the terminal and the staff member who opened it.
Triggers refuse UPDATE and DELETE (migration 0021)."""

# No `from __future__ import annotations` here: SQLAlchemy would eval() every column's
# string annotation when the classes are built, paid by every start of the app.
import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.tables.base import Base, UtcDateTime, utcnow


class AppointmentCheckIn(Base):
    __tablename__ = "appointment_check_ins"
    __table_args__ = (UniqueConstraint("appointment_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    terminal: Mapped[str] = mapped_column(String(80))
    checked_in_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
