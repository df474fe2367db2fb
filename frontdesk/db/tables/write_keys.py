"""Keys of money writes other than checkout (whose key lives on its ticket).

One row per key, written in the same transaction as the write it guards: the unique key
makes a concurrent duplicate wait, then see the first one's row and replay its result.
"""

# No `from __future__ import annotations` here: SQLAlchemy would eval() every column's
# string annotation when the classes are built, paid by every start of the app.
import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.tables.base import Base, UtcDateTime, utcnow


class WriteKey(Base):
    """A used key: which operation, the hash of what it asked (`payload_hash`), the
    result the first write returned (JSON of its read model), who and where."""

    __tablename__ = "write_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    operation: Mapped[str] = mapped_column(String(40))
    payload_hash: Mapped[str] = mapped_column(String(64))
    result_json: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    terminal: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
