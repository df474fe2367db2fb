"""The declarative base every table shares: naming convention, UTC times, search text."""

# No `from __future__ import annotations` here: SQLAlchemy would eval() every column's
# string annotation when the classes are built, paid by every start of the app.
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


# Prefix search must be a plain index range scan on both engines: PostgreSQL's
# locale collations do not order prefixes contiguously, "C" does.
def search_text(length: int) -> String:
    return String(length).with_variant(String(length, collation="C"), "postgresql")


SearchText = search_text(120)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# The moment writes are stamped with when it is not now: only the demo, which makes its
# membership history through the services themselves, day by day over the last 90 days.
_WRITTEN_AT: ContextVar[dt.datetime | None] = ContextVar("frontdesk_written_at", default=None)


def utcnow() -> dt.datetime:
    """Now in UTC: what every row's time and every ledger entry is stamped with."""
    return _WRITTEN_AT.get() or dt.datetime.now(dt.UTC)


def local_today() -> dt.date:
    """The desk's date (its own clock), or the day being written by `written_at`."""
    moment = _WRITTEN_AT.get()
    return moment.date() if moment is not None else dt.date.today()


@contextmanager
def written_at(moment: dt.datetime) -> Iterator[None]:
    """Stamp what this task writes meanwhile with `moment` (aware), as if it were now."""
    token = _WRITTEN_AT.set(moment.astimezone(dt.UTC))
    try:
        yield
    finally:
        _WRITTEN_AT.reset(token)


UtcDateTime = DateTime(timezone=True)


class Versioned:
    """A row staff edit from a screen: `version` (1 when made) goes up by one on every
    change, with the terminal, staff member and UTC time of that change, so a save based
    on an older version is refused instead of silently replacing it (see
    `frontdesk.services.versions`). The who/when are None on rows no one has changed
    since the columns were added."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    changed_terminal: Mapped[str | None] = mapped_column(String(80))
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    changed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class VersionedSetup(Versioned):
    """`Versioned` for the rows the setup screens edit (store settings, locations, staff),
    with `changed_by` a plain staff number, no foreign key. Staff already point at their
    location, and ledger entries, tickets and much else at staff: on SQLite a key added to
    (or dropped from) these tables means copying and dropping the table, which its
    references refuse on a database in use. Staff are never deleted, so the number always
    names someone."""

    changed_by: Mapped[int | None] = mapped_column(Integer)
