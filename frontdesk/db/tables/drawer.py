"""The cash drawer (issue 17, item 1; docs/rules.md#cash-drawer): one head row per
location, terminal and business day, and its append-only events.

The head (`cash_drawers`) is what both a close and a cash checkout lock, so a close and
a cash sale on the same drawer never overlap (D4): its `state` is a cached summary of
the events, as an account's balance is of its ledger entries. The events
(`cash_drawer_events`) are never UPDATEd or DELETEd (triggers refuse it, migration
0020): a mistake in a count is corrected by reopening and closing again.
"""

# No `from __future__ import annotations` here: SQLAlchemy would eval() every column's
# string annotation when the classes are built, paid by every start of the app.
import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.tables.base import Base, UtcDateTime, utcnow


class CashDrawer(Base):
    __tablename__ = "cash_drawers"
    __table_args__ = (UniqueConstraint("location_id", "terminal", "business_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    terminal: Mapped[str] = mapped_column(String(80))
    business_date: Mapped[dt.date] = mapped_column(Date)
    # open | closed (frontdesk.domain.drawer.DrawerState): the last event's effect.
    state: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class CashDrawerEvent(Base):
    """Append-only. `amount_minor`: the float (open), the amount (cash in, paid out),
    the counted cash (close), 0 (reopen); always zero or more, the kind gives the sign."""

    __tablename__ = "cash_drawer_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    drawer_id: Mapped[int] = mapped_column(ForeignKey("cash_drawers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    # A close's expected amount and difference (counted − expected), as computed then.
    expected_minor: Mapped[int | None] = mapped_column(BigInteger)
    difference_minor: Mapped[int | None] = mapped_column(BigInteger)
    # The reason (cash in, paid out, reopen) or the close's note.
    note: Mapped[str] = mapped_column(String(200), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    terminal: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
