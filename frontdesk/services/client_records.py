"""Adding a client at the desk, the likely duplicates shown before saving, and merging
two records of one person (a manager's action).

`insert_client` is the one place a client row is written by the desk: anything kept
beside a client (a search index) is kept there.

A client number is the next free "C" + six digits. Two terminals adding at once may
pick the same one: on SQLite the write lock (BEGIN IMMEDIATE) makes them take turns; on
PostgreSQL the second INSERT waits on the unique index, fails when the first commits,
and `add` tries again in a fresh transaction, which then sees the first number.

Merging is `frontdesk.services.client_merge`; this area is its public face.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Client
from frontdesk.domain.errors import NotSignedIn, RaceLost
from frontdesk.domain.new_client import NewClient, clean_new_client
from frontdesk.domain.parsing import clean_description
from frontdesk.domain.permissions import Perm
from frontdesk.services.area import Area
from frontdesk.services.client_merge import merge_in, preview_in
from frontdesk.services.clients import _hit
from frontdesk.services.staff import require
from frontdesk.views import ClientHit
from frontdesk.views.client_records import LikelyDuplicate, MergePreview, MergeResult

NUMBER_PREFIX = "C"
NUMBER_DIGITS = 6
ADD_ATTEMPTS = 5
DUPLICATES_SHOWN = 5


def insert_client(
    session: AsyncSession, new: NewClient, client_number: str, home_location_id: int | None
) -> Client:
    """The one INSERT of a client the desk makes (with its folded search copies)."""
    client = Client(
        client_number=client_number,
        first_name=new.first_name,
        last_name=new.last_name,
        phone=new.phone,
        email=new.email,
        birthday=new.birthday,
        home_location_id=home_location_id,
        notes="",
        search_first=new.folded_first,
        search_last=new.folded_last,
        phone_digits=new.phone_digits,
        email_lower=new.email_lower,
    )
    session.add(client)
    return client


async def next_client_number(session: AsyncSession) -> str:
    """One more than the highest "C000123"-style number (an index range read)."""
    lo = NUMBER_PREFIX + "0" * NUMBER_DIGITS
    hi = NUMBER_PREFIX + "9" * NUMBER_DIGITS
    top = await session.scalar(
        select(func.max(Client.client_number)).where(
            Client.client_number >= lo,
            Client.client_number <= hi,
            func.length(Client.client_number) == len(lo),
        )
    )
    n = int(top[len(NUMBER_PREFIX) :]) + 1 if top and top[1:].isdigit() else 1
    return f"{NUMBER_PREFIX}{n:0{NUMBER_DIGITS}d}"


async def duplicates_in(
    session: AsyncSession, new: NewClient, limit: int = DUPLICATES_SHOWN
) -> list[LikelyDuplicate]:
    """Clients with the same phone digits, the same email (any case), or the same folded
    name and birth date; merged records left out."""
    tests: list[Any] = []
    if new.phone_digits:
        tests.append(Client.phone_digits == new.phone_digits)
    if new.email_lower:
        tests.append(Client.email_lower == new.email_lower)
    if new.birthday is not None:
        tests.append(
            and_(
                Client.search_first == new.folded_first,
                Client.search_last == new.folded_last,
                Client.birthday == new.birthday,
            )
        )
    if not tests:
        return []
    rows = (
        await session.execute(
            select(Client)
            .where(or_(*tests), Client.merged_into_id.is_(None))
            .order_by(Client.id)
            .limit(limit)
        )
    ).scalars()
    return [LikelyDuplicate(hit=_hit(c), reasons=_reasons(c, new)) for c in rows]


def _reasons(client: Client, new: NewClient) -> tuple[str, ...]:
    reasons = []
    if new.phone_digits and client.phone_digits == new.phone_digits:
        reasons.append("same phone")
    if new.email_lower and client.email_lower == new.email_lower:
        reasons.append("same email")
    if new.birthday is not None and client.birthday == new.birthday:
        reasons.append("same name and date of birth")
    return tuple(reasons)


class ClientRecords(Area):
    """Adding a client, and merging two records of one person."""

    async def add(
        self,
        *,
        first_name: str,
        last_name: str,
        phone: str = "",
        email: str = "",
        birthday: str = "",
        home_location_id: int | None = None,
        today: dt.date | None = None,
    ) -> ClientHit:
        """Check every field, then write the client with the next free number."""
        new = clean_new_client(
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
            birthday=birthday,
            today=today or dt.date.today(),
        )
        if self.ctx.actor.staff_id is None:
            raise NotSignedIn()
        for attempt in range(ADD_ATTEMPTS):
            try:
                async with self.ctx.transaction() as session:
                    number = await next_client_number(session)
                    client = insert_client(session, new, number, home_location_id)
                    await session.flush()
                    return _hit(client)
            except RaceLost as lost:
                if lost.key != "clients.client_number" or attempt == ADD_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def likely_duplicates(self, new: NewClient) -> tuple[LikelyDuplicate, ...]:
        async with self.ctx.read() as session:
            return tuple(await duplicates_in(session, new))

    async def merge_preview(self, keep_id: int, merge_id: int) -> MergePreview:
        """Both records and what merging `merge_id` into `keep_id` would move."""
        async with self.ctx.read() as session:
            return await preview_in(session, keep_id, merge_id)

    async def merge(self, keep_id: int, merge_id: int, reason: str) -> MergeResult:
        """Move everything `merge_id` holds onto `keep_id` and mark it merged (needs
        "merge clients"). Each balance moves by a pair of ledger entries; none is
        changed or removed."""
        why = clean_description(reason, field="reason")
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.MERGE_CLIENTS)
            return await merge_in(self.ctx, session, keep_id, merge_id, why)
