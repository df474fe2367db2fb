"""Prepaid services (docs/rules.md#prepaid-services): visits left, adjustments, history.

Selling and redeeming happen on a ticket (frontdesk.services.checkout).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db import ledger
from frontdesk.db.tables import LedgerEntry, Service, StoredValueAccount
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.domain.parsing import check_quantity, clean_description
from frontdesk.domain.permissions import Perm
from frontdesk.services.approval import require_approval, verify_approver
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.staff import require
from frontdesk.services.stored_value import entry_views
from frontdesk.services.write_keys import real_outcome
from frontdesk.views.balances import EntryView, PrepaidItem
from frontdesk.views.staff import Approval


async def prepaid_items_in(
    session: AsyncSession, client_id: int, currency: str, *, active_only: bool
) -> tuple[PrepaidItem, ...]:
    """A client's prepaid services with what was bought and used, by service name; inside
    a read the caller holds (the till's quote reads them with the ticket)."""
    bought = func.coalesce(func.sum(LedgerEntry.amount).filter(LedgerEntry.amount > 0), 0)
    spent = func.coalesce(func.sum(LedgerEntry.amount).filter(LedgerEntry.amount < 0), 0)
    stmt = (
        select(StoredValueAccount, Service.name, bought, spent)
        .join(Service, Service.id == StoredValueAccount.service_id)
        .outerjoin(LedgerEntry, LedgerEntry.account_id == StoredValueAccount.id)
        .where(
            StoredValueAccount.client_id == client_id,
            StoredValueAccount.kind == StoredValueKind.PREPAID_VISITS.value,
        )
        .group_by(StoredValueAccount.id, Service.name)
        .order_by(Service.name, StoredValueAccount.id)
    )
    if active_only:
        stmt = stmt.where(StoredValueAccount.balance > 0)
    return tuple(
        PrepaidItem(
            account_id=acc.id,
            service_id=acc.service_id or 0,
            service_name=name,
            remaining=acc.balance,
            purchased=int(b),
            used=-int(s),
            visit_value=from_minor(acc.unit_value_minor, currency),
        )
        for acc, name, b, s in (await session.execute(stmt)).all()
    )


class Prepaid(Area):
    """A client's prepaid services: visits left, their history, corrections."""

    async def items(self, client_id: int, *, active_only: bool = False) -> tuple[PrepaidItem, ...]:
        """ "Show only active pre-paid services" = `active_only` (remaining > 0)."""
        async with self.ctx.read() as session:
            currency = (await load_store(session)).currency
            return await prepaid_items_in(session, client_id, currency, active_only=active_only)

    async def history(
        self, account_id: int, *, offset: int = 0, limit: int = 50
    ) -> tuple[EntryView, ...]:
        """Sales, redemptions and adjustments of one prepaid item, newest first."""
        async with self.ctx.read() as session:
            currency = (await load_store(session)).currency
            return tuple(
                await entry_views(
                    session,
                    [LedgerEntry.account_id == account_id],
                    currency,
                    offset=offset,
                    limit=limit,
                )
            )

    @real_outcome(PrepaidItem)
    async def adjust(
        self,
        account_id: int,
        new_remaining: int,
        reason: str,
        *,
        key: str,
        approval: Approval | None = None,
    ) -> PrepaidItem:
        """Set the remaining visits after a count discrepancy: one entry for the difference.
        Worth more than the threshold (visits at their sale value): a second person.
        The same `key` again returns the first result (replayed) and writes nothing."""
        text = clean_description(reason, field="reason")
        if new_remaining < 0:
            raise ValidationError("remaining", "Remaining visits cannot be negative")
        check_quantity(new_remaining, field="remaining")
        approver = await verify_approver(self.ctx, approval)
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.ADJUST_BALANCES)
            claim = await self.claim(
                session, key, "prepaid.adjust", account=account_id, left=new_remaining, why=text
            )
            if (first := claim.replay(PrepaidItem)) is not None:
                return first
            account = await session.get(StoredValueAccount, account_id)
            if account is None or account.kind != StoredValueKind.PREPAID_VISITS.value:
                raise NotFound("prepaid service")
            current = (await ledger.lock_accounts(session, [account_id]))[account_id]
            delta = new_remaining - current
            if delta == 0:
                raise ValidationError("remaining", f"The client already has {current} left")
            await ledger.post(
                session,
                account_id,
                delta,
                reason=Reason.ADJUST.value,
                description=text,
                actor=self.ctx.actor,
                approved_by=await require_approval(
                    session, self.ctx, delta * account.unit_value_minor, approver
                ),
            )
            currency = (await load_store(session)).currency
            items = await prepaid_items_in(session, account.client_id, currency, active_only=False)
            item = next(i for i in items if i.account_id == account_id)
            return await claim.done(session, item)
