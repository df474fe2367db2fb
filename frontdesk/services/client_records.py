"""Adding a client at the desk, the likely duplicates shown before saving, and merging
two records of one person (a manager's action).

`insert_client` is the one place a client row is written by the desk: anything kept
beside a client (a search index) is kept there.

A client number is the next free "C" + six digits. Two terminals adding at once may
pick the same one: on SQLite the write lock (BEGIN IMMEDIATE) makes them take turns; on
PostgreSQL the second INSERT waits on the unique index, fails when the first commits,
and `add` tries again in a fresh transaction, which then sees the first number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from frontdesk.db.ledger import get_or_create_account, lock_heads, post
from frontdesk.db.tables import (
    Appointment,
    Client,
    ClientDocument,
    ClientGoal,
    ClientRelationship,
    ContactLog,
    Membership,
    NotificationPreference,
    OpenTicket,
    Payment,
    Product,
    PromotionUse,
    Service,
    StoredValueAccount,
    Ticket,
    TransformationEntry,
)
from frontdesk.domain.errors import Conflict, NotFound, NotSignedIn, ValidationError
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.new_client import NewClient, clean_new_client
from frontdesk.domain.parsing import clean_description
from frontdesk.domain.permissions import Perm
from frontdesk.services.area import Area
from frontdesk.services.clients import _hit, summary_in
from frontdesk.services.profile.rewards import _points_balance, _post_points
from frontdesk.services.staff import require
from frontdesk.views import ClientHit
from frontdesk.views.client_records import LikelyDuplicate, MergeMove, MergePreview, MergeResult

NUMBER_PREFIX = "C"
NUMBER_DIGITS = 6
ADD_ATTEMPTS = 5
DUPLICATES_SHOWN = 5

# History that follows the person: a plain re-point of `client_id`.
_HISTORY = (
    Appointment,
    Ticket,
    Payment,
    Membership,
    ContactLog,
    ClientDocument,
    TransformationEntry,
    ClientGoal,
)


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
            except IntegrityError:
                if attempt == ADD_ATTEMPTS - 1:
                    raise Conflict("Another terminal took that client number; try again") from None
        raise AssertionError("unreachable")

    async def likely_duplicates(self, new: NewClient) -> tuple[LikelyDuplicate, ...]:
        async with self.ctx.read() as session:
            return tuple(await duplicates_in(session, new))

    async def merge_preview(self, keep_id: int, merge_id: int) -> MergePreview:
        """Both records and what merging `merge_id` into `keep_id` would move."""
        async with self.ctx.read() as session:
            keep, gone = await _pair(session, keep_id, merge_id, lock=False)
            moves = []
            for account, item in await _accounts(session, gone.id):
                if account.balance == 0:
                    continue
                kept = await _matching(session, keep.id, account)
                before = kept.balance if kept is not None else 0
                moves.append(_move(account, item, before + account.balance))
            return MergePreview(
                keep=await summary_in(session, keep.id),
                merge=await summary_in(session, gone.id),
                moves=tuple(moves),
                appointments=await _count(session, Appointment, gone.id),
                tickets=await _count(session, Ticket, gone.id),
                reward_points=await _points_balance(session, gone.id),
            )

    async def merge(self, keep_id: int, merge_id: int, reason: str) -> MergeResult:
        """Move everything `merge_id` holds onto `keep_id` and mark it merged. Each
        balance moves by a pair of ledger entries (out of one account, into the other),
        so both accounts' histories still add up; no entry is changed or removed."""
        why = clean_description(reason, field="reason")
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.MERGE_CLIENTS)
            keep, gone = await _pair(session, keep_id, merge_id, lock=self.ctx.is_postgres)
            parked = await _count(session, OpenTicket, gone.id)
            if parked:
                raise ValidationError(
                    "merge", f"{gone.client_number} has an open ticket: complete or void it first"
                )
            moves = await self._move_balances(session, keep, gone, why)
            repointed = await _repoint(session, keep.id, gone.id)
            points = await _points_balance(session, gone.id)
            if points:
                note = f"Merge of {gone.client_number} into {keep.client_number}: {why}"[:200]
                await _post_points(
                    self.ctx, session, gone.id, -points, reason="adjust", description=note
                )
                await _post_points(
                    self.ctx, session, keep.id, points, reason="adjust", description=note
                )
            gone.merged_into_id = keep.id
            await session.flush()
            return MergeResult(
                keep_id=keep.id, merged_id=gone.id, moves=tuple(moves), repointed=repointed
            )

    async def _move_balances(
        self, session: AsyncSession, keep: Client, gone: Client, why: str
    ) -> list[MergeMove]:
        pairs = []
        for account, item in await _accounts(session, gone.id):
            target = await get_or_create_account(
                session,
                keep.id,
                StoredValueKind(account.kind),
                product_id=account.product_id,
                service_id=account.service_id,
                unit_value_minor=account.unit_value_minor,
            )
            pairs.append((account, item, target))
        # Lock every account involved up front, in id order, as a checkout does.
        heads = await lock_heads(session, [a.id for a, _, _ in pairs] + [t.id for _, _, t in pairs])
        moves = []
        for account, item, target in pairs:
            amount = heads[account.id].balance
            if amount == 0:
                continue
            # A debt (negative balance) moves too: both sides may pass below zero here.
            await post(
                session,
                account.id,
                -amount,
                reason=Reason.MERGE,
                description=f"Moved to {keep.client_number} (merge): {why}"[:200],
                actor=self.ctx.actor,
                allow_negative=True,
            )
            entry = await post(
                session,
                target.id,
                amount,
                reason=Reason.MERGE,
                description=f"Moved from {gone.client_number} (merge): {why}"[:200],
                actor=self.ctx.actor,
                allow_negative=True,
            )
            moves.append(_move(account, item, entry.balance_after, amount))
        return moves


async def _pair(
    session: AsyncSession, keep_id: int, merge_id: int, *, lock: bool
) -> tuple[Client, Client]:
    if keep_id == merge_id:
        raise ValidationError("merge", "Choose another client: a record cannot merge into itself")
    stmt = select(Client).where(Client.id.in_((keep_id, merge_id))).order_by(Client.id)
    if lock:
        stmt = stmt.with_for_update()
    found = {c.id: c for c in (await session.execute(stmt)).scalars()}
    keep, gone = found.get(keep_id), found.get(merge_id)
    if keep is None or gone is None:
        raise NotFound("client")
    for client in (keep, gone):
        if client.merged_into_id is not None:
            raise ValidationError(
                "merge", f"{client.client_number} was already merged into another record"
            )
    return keep, gone


async def _accounts(session: AsyncSession, client_id: int) -> list[tuple[StoredValueAccount, str]]:
    rows = await session.execute(
        select(StoredValueAccount, Product.name, Service.name)
        .outerjoin(Product, Product.id == StoredValueAccount.product_id)
        .outerjoin(Service, Service.id == StoredValueAccount.service_id)
        .where(StoredValueAccount.client_id == client_id)
        .order_by(StoredValueAccount.id)
    )
    return [(a, _item_name(a, product, service)) for a, product, service in rows.all()]


def _item_name(account: StoredValueAccount, product: str | None, service: str | None) -> str:
    kind = StoredValueKind(account.kind)
    if kind is StoredValueKind.ACCOUNT_MONEY:
        return "Account"
    if kind is StoredValueKind.WALLET_MONEY:
        return "Beauty Bank"
    return (product if kind is StoredValueKind.PRODUCT_UNITS else service) or "?"


async def _matching(
    session: AsyncSession, client_id: int, account: StoredValueAccount
) -> StoredValueAccount | None:
    return (
        await session.execute(
            select(StoredValueAccount).where(
                StoredValueAccount.client_id == client_id,
                StoredValueAccount.kind == account.kind,
                StoredValueAccount.item_key == account.item_key,
            )
        )
    ).scalar_one_or_none()


def _move(
    account: StoredValueAccount, item: str, after: int, amount: int | None = None
) -> MergeMove:
    return MergeMove(
        kind=account.kind,
        item=item,
        amount=account.balance if amount is None else amount,
        kept_balance_after=after,
    )


async def _count(session: AsyncSession, table: Any, client_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(table).where(table.client_id == client_id)
        )
        or 0
    )


async def _repoint(session: AsyncSession, keep_id: int, merge_id: int) -> int:
    """Move history rows to `keep_id`; rows a unique rule would refuse (the kept client
    already has that promotion use, relationship or preference) stay where they are."""
    moved = 0
    for table in _HISTORY:
        result = await session.execute(
            update(table).where(table.client_id == merge_id).values(client_id=keep_id)
        )
        moved += int(getattr(result, "rowcount", 0) or 0)
    other_use = aliased(PromotionUse)
    result = await session.execute(
        update(PromotionUse)
        .where(
            PromotionUse.client_id == merge_id,
            ~exists().where(
                other_use.client_id == keep_id,
                other_use.promotion_id == PromotionUse.promotion_id,
            ),
        )
        .values(client_id=keep_id)
    )
    moved += int(getattr(result, "rowcount", 0) or 0)
    moved += await _repoint_relationships(session, keep_id, merge_id)
    other_pref = aliased(NotificationPreference)
    result = await session.execute(
        update(NotificationPreference)
        .where(
            NotificationPreference.client_id == merge_id,
            ~exists().where(
                other_pref.client_id == keep_id,
                other_pref.channel == NotificationPreference.channel,
                other_pref.category == NotificationPreference.category,
            ),
        )
        .values(client_id=keep_id)
    )
    return moved + int(getattr(result, "rowcount", 0) or 0)


async def _repoint_relationships(session: AsyncSession, keep_id: int, merge_id: int) -> int:
    moved = 0
    rows = (
        await session.execute(
            select(ClientRelationship).where(
                or_(
                    ClientRelationship.client_id == merge_id,
                    ClientRelationship.related_client_id == merge_id,
                )
            )
        )
    ).scalars()
    taken = {
        (r.client_id, r.related_client_id, r.kind)
        for r in (
            await session.execute(
                select(ClientRelationship).where(
                    or_(
                        ClientRelationship.client_id == keep_id,
                        ClientRelationship.related_client_id == keep_id,
                    )
                )
            )
        ).scalars()
    }
    for rel in list(rows):
        a = keep_id if rel.client_id == merge_id else rel.client_id
        b = keep_id if rel.related_client_id == merge_id else rel.related_client_id
        if a == b or (a, b, rel.kind) in taken:
            continue  # a link between the two records, or one the kept client has
        rel.client_id, rel.related_client_id = a, b
        taken.add((a, b, rel.kind))
        moved += 1
    await session.flush()
    return moved
