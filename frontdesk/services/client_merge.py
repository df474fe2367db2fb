"""Merging two records of one person into one (a manager's action).

The merged record keeps its row, its ledger accounts and their entries (entries are
never moved, changed or removed): each non-zero balance leaves its account by one entry
and arrives in the kept client's matching account (same kind and item; made if absent)
by another, so both accounts still add up. History rows (appointments, tickets,
payments, memberships, notes, documents, the transformation log, goals) are re-pointed;
reward points move by a pair of point entries. The merged record is marked with the
client it went into: search leaves it out and merging it again is refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, func, or_, select, update
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
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.services.clients import summary_in
from frontdesk.services.context import ServiceContext
from frontdesk.services.profile.rewards import _points_balance, _post_points
from frontdesk.views.client_records import MergeMove, MergePreview, MergeResult

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


async def preview_in(session: AsyncSession, keep_id: int, merge_id: int) -> MergePreview:
    """Both records and what merging `merge_id` into `keep_id` would move."""
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


async def merge_in(
    ctx: ServiceContext, session: AsyncSession, keep_id: int, merge_id: int, why: str
) -> MergeResult:
    """Move everything `merge_id` holds onto `keep_id` and mark it merged, in the
    caller's transaction (after the permission check)."""
    keep, gone = await _pair(session, keep_id, merge_id, lock=ctx.is_postgres)
    if await _count(session, OpenTicket, gone.id):
        raise ValidationError(
            "merge", f"{gone.client_number} has an open ticket: complete or void it first"
        )
    moves = await _move_balances(ctx, session, keep, gone, why)
    repointed = await _repoint(session, keep.id, gone.id)
    points = await _points_balance(session, gone.id)
    if points:
        note = f"Merge of {gone.client_number} into {keep.client_number}: {why}"[:200]
        await _post_points(ctx, session, gone.id, -points, reason="adjust", description=note)
        await _post_points(ctx, session, keep.id, points, reason="adjust", description=note)
    gone.merged_into_id = keep.id
    await session.flush()
    return MergeResult(keep_id=keep.id, merged_id=gone.id, moves=tuple(moves), repointed=repointed)


async def _move_balances(
    ctx: ServiceContext, session: AsyncSession, keep: Client, gone: Client, why: str
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
            actor=ctx.actor,
            allow_negative=True,
        )
        entry = await post(
            session,
            target.id,
            amount,
            reason=Reason.MERGE,
            description=f"Moved from {gone.client_number} (merge): {why}"[:200],
            actor=ctx.actor,
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
