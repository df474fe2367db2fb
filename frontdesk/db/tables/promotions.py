"""Promotion codes and their uses (docs/rules.md#checkout-order, C9)."""

# No `from __future__ import annotations` here: SQLAlchemy would eval() every column's
# string annotation when the classes are built, paid by every start of the app.
import datetime as dt
from decimal import Decimal
from typing import Any

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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.tables.base import Base, UtcDateTime, utcnow

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
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
