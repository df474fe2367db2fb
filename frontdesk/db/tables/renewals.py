"""Membership cycles (issue 16, items 3-5): one row per membership per cycle start.

The unique (membership_id, cycle_start) is what makes a renewal run safe to repeat: a
run claims a cycle by inserting its row, and a second run (or a second terminal at the
same moment) finds it there and skips. The row then records every attempt at charging
it, the gateway's answer, the ticket that took the money, and what the cycle gave the
client (its `benefit`). "Past due" is a declined or failed cycle: not a membership status.
"""

# No `from __future__ import annotations` here: SQLAlchemy would eval() every column's
# string annotation when the classes are built, paid by every start of the app.
import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.tables import till  # noqa: F401  (a cycle refers to memberships: FK target)
from frontdesk.db.tables.base import Base, UtcDateTime, utcnow


class MembershipCycle(Base):
    __tablename__ = "membership_cycles"
    __table_args__ = (
        UniqueConstraint("membership_id", "cycle_start"),
        # The profile asks "any pending choice or past-due cycle?" per membership.
        Index("ix_membership_cycles_membership_id_status", "membership_id", "status"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"))
    cycle_start: Mapped[dt.date] = mapped_column(Date)
    # The next cycle's start, set when paid: a Select choice not made by then lapses.
    cycle_end: Mapped[dt.date | None] = mapped_column(Date)
    # charging | paid | declined | failed (frontdesk.domain.renewals.CycleStatus)
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_on: Mapped[dt.date | None] = mapped_column(Date)
    # The current attempt's gateway key, also the key its ticket is written under.
    charge_key: Mapped[str | None] = mapped_column(String(64))
    amount_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    decline_reason: Mapped[str] = mapped_column(String(200), default="")
    gateway_ref: Mapped[str | None] = mapped_column(String(80))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    # none | credited | pending | treatment | cash | expired (domain.renewals.Benefit)
    benefit: Mapped[str] = mapped_column(String(12), default="none")
    # What a Select cycle offers, as the plan said when the cycle was paid.
    offer_service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    offer_cash_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    benefit_entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    benefit_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    terminal: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
