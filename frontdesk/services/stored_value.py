"""Account balance and Beauty Bank (cash wallet): adjust, pay, reverse, history, as-of.

Account money: positive = credit the client can spend, negative = the client owes it.
Every change is one ledger entry through `frontdesk.db.ledger.post`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db import ledger
from frontdesk.db.tables import (
    LedgerEntry,
    Payment,
    Product,
    Service,
    Staff,
    StoredValueAccount,
)
from frontdesk.db.tables.base import local_today
from frontdesk.domain.checkout import TENDER_METHODS
from frontdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from frontdesk.domain.ledger import Reason, StoredValueKind, reversal_refusal
from frontdesk.domain.money import MAX_AMOUNT, format_money, from_minor, to_minor
from frontdesk.domain.parsing import clean_description
from frontdesk.domain.permissions import Perm
from frontdesk.domain.wallet import check_wallet_adjustment
from frontdesk.services.approval import require_approval, verify_approver
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.clients import summary_in
from frontdesk.services.drawer import refuse_cash_if_terminal_closed
from frontdesk.services.money_posting import (
    locked_money,
    locked_money_reading,
    money_change,
    value_of,
)
from frontdesk.services.staff import require
from frontdesk.services.write_keys import real_outcome
from frontdesk.views.balances import (
    BalanceChange,
    BalancesWithHistory,
    EntryView,
    HistoryPage,
    Liability,
)
from frontdesk.views.staff import Approval


async def entry_views(
    session: AsyncSession, where: list[object], currency: str, *, offset: int = 0, limit: int = 50
) -> list[EntryView]:
    reverser = LedgerEntry.__table__.alias("reverser")
    stmt = (
        select(
            LedgerEntry,
            StoredValueAccount.kind,
            Product.name,
            Service.name,
            Staff.name,
            reverser.c.id,
        )
        .join(StoredValueAccount, StoredValueAccount.id == LedgerEntry.account_id)
        .outerjoin(Product, Product.id == StoredValueAccount.product_id)
        .outerjoin(Service, Service.id == StoredValueAccount.service_id)
        .outerjoin(Staff, Staff.id == LedgerEntry.staff_id)
        .outerjoin(reverser, reverser.c.reverses_entry_id == LedgerEntry.id)
        .where(*where)  # type: ignore[arg-type]
        .order_by(LedgerEntry.id.desc())
        .offset(offset)
        .limit(limit)
    )
    out: list[EntryView] = []
    for entry, kind_code, product_name, service_name, staff_name, reversed_by in (
        await session.execute(stmt)
    ).all():
        kind = StoredValueKind(kind_code)
        item = (
            {
                StoredValueKind.WALLET_MONEY: "Beauty Bank",
                StoredValueKind.ACCOUNT_MONEY: "Account balance",
            }.get(kind)
            or product_name
            or service_name
            or "?"
        )
        out.append(
            EntryView(
                id=entry.id,
                account_id=entry.account_id,
                kind=kind,
                item_name=item,
                amount=value_of(kind, entry.amount, currency),
                balance_after=value_of(kind, entry.balance_after, currency),
                reason=entry.reason,
                description=entry.description,
                staff_name=staff_name or "",
                terminal=entry.terminal,
                created_at=entry.created_at,
                ticket_id=entry.ticket_id,
                appointment_id=entry.appointment_id,
                reverses_entry_id=entry.reverses_entry_id,
                reversed_by_id=reversed_by,
            )
        )
    return out


async def _refuse_owned(session: AsyncSession, entry_id: int) -> None:
    """The Account tab reverses only free-standing entries: a reversal, or an entry a
    ticket or an appointment owns, is refused with where to undo it (its ticket's refund,
    its add-on), so the ticket or the add-on never disagrees with the ledger. Entries are
    never changed, so this needs no lock; "already reversed" is `ledger.reverse`'s, under
    the account's lock."""
    entry = await session.get(LedgerEntry, entry_id)
    if entry is None:
        raise NotFound("ledger entry")
    refusal = reversal_refusal(
        entry.id,
        reverses_entry_id=entry.reverses_entry_id,
        ticket_id=entry.ticket_id,
        appointment_id=entry.appointment_id,
    )
    if refusal is not None:
        raise refusal


def _positive_money(amount: Decimal, field: str) -> None:
    if amount <= 0:
        raise ValidationError(field, "Enter an amount greater than zero")
    if amount > MAX_AMOUNT:
        raise ValidationError(field, f"Amount is over the {MAX_AMOUNT:f} limit")


class Balances(Area):
    """Account money and the Beauty Bank: changes, reversals, history, what is owed."""

    # --- Account balance (docs/rules.md#account-balance) --------------------------------

    @real_outcome(BalanceChange)
    async def issue_account_credit(
        self,
        client_id: int,
        amount: Decimal,
        reason: str,
        *,
        key: str,
        approval: Approval | None = None,
    ) -> BalanceChange:
        """ "Issue a credit to client account": money the client can spend later.
        `key` (frontdesk.domain.write_keys): the same key again replays, never writes twice."""
        return await self._account_entry(
            client_id, amount, reason, sign=1, code=Reason.CREDIT, key=key, approval=approval
        )

    @real_outcome(BalanceChange)
    async def charge_account(
        self,
        client_id: int,
        amount: Decimal,
        reason: str,
        *,
        key: str,
        approval: Approval | None = None,
    ) -> BalanceChange:
        """ "Charge an amount to client account": a balance owed, collected later."""
        return await self._account_entry(
            client_id, amount, reason, sign=-1, code=Reason.CHARGE, key=key, approval=approval
        )

    async def _account_entry(
        self,
        client_id: int,
        amount: Decimal,
        reason: str,
        *,
        sign: int,
        code: Reason,
        key: str,
        approval: Approval | None,
    ) -> BalanceChange:
        """A positive amount and a reason, checked before anything is written, then one entry
        (the account balance may go into "owed"). Above the threshold, a second person."""
        _positive_money(amount, "amount")
        text = clean_description(reason, field="reason")
        approver = await verify_approver(self.ctx, approval)
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.ADJUST_BALANCES)
            operation = f"balances.{code.value}"
            claim = await self.claim(
                session, key, operation, client=client_id, amount=amount, why=text
            )
            if (first := claim.replay(BalanceChange)) is not None:
                return first
            currency = (await load_store(session)).currency
            minor = to_minor(amount, currency)
            change = await money_change(
                session,
                self.ctx,
                client_id,
                StoredValueKind.ACCOUNT_MONEY,
                sign * minor,
                reason=code,
                description=text,
                allow_negative=True,
                approved_by=await require_approval(session, self.ctx, minor, approver),
            )
            return await claim.done(session, change)

    @real_outcome(BalanceChange)
    async def pay_balance(
        self,
        client_id: int,
        amount: Decimal,
        method: Literal["card", "cash", "other"],
        *,
        key: str,
        at_kiosk: bool = False,
    ) -> BalanceChange:
        """ "Pay Balance": pays what is owed first; anything over becomes credit. The same
        `key` again returns the first payment (replayed) and takes nothing twice."""
        _positive_money(amount, "amount")
        if method not in TENDER_METHODS:
            raise ValidationError("method", "Choose card, cash or other")
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.TAKE_PAYMENTS)
            claim = await self.claim(
                session, key, "balances.pay", client_id=client_id, amount=amount, method=method
            )
            if (first := claim.replay(BalanceChange)) is not None:
                return first
            if method == "cash":  # a closed drawer takes no cash (D4); before the account
                # lock, in the order checkout takes them: drawer, then accounts
                await refuse_cash_if_terminal_closed(
                    session, self.ctx.actor.terminal, local_today()
                )
            store = await load_store(session)
            currency = store.currency
            account = await locked_money(session, client_id, StoredValueKind.ACCOUNT_MONEY)
            balance = account.head.balance
            if at_kiosk and balance < 0:
                raise PermissionDenied("pay an owed balance at the front desk (not the kiosk)")
            minor = to_minor(amount, currency)
            owed = max(-balance, 0)
            if minor <= owed:
                text = f"Payment towards balance owed ({method})"
            elif owed:
                paid = format_money(from_minor(owed, currency), currency, store.locale)
                text = f"Paid {paid} owed, rest as credit ({method})"
            else:
                text = f"Account credit bought ({method})"
            session.add(
                Payment(
                    client_id=client_id,
                    method=method,
                    amount_minor=minor,
                    staff_id=self.ctx.actor.staff_id,
                    terminal=self.ctx.actor.terminal,
                )
            )
            change = await money_change(
                session,
                self.ctx,
                client_id,
                StoredValueKind.ACCOUNT_MONEY,
                minor,
                reason=Reason.PAYMENT,
                description=text,
                allow_negative=True,
                account=account,
            )
            return await claim.done(session, change)

    # --- Beauty Bank (docs/rules.md#beauty-bank) ----------------------------------------

    @real_outcome(BalanceChange)
    async def adjust_wallet(
        self,
        client_id: int,
        delta: Decimal,
        description: str,
        *,
        key: str,
        allow_negative: bool = False,
        approval: Approval | None = None,
    ) -> BalanceChange:
        """Signed manual adjustment: positive = credit, negative = deduct; never zero.
        The same `key` again returns the first adjustment (replayed) and writes nothing.

        Needs "adjust balances". Going below zero also needs "deduct below zero"
        (else `PermissionDenied`) *and* the caller's explicit `allow_negative`
        confirmation (else `InsufficientBalance`, asking for it).
        """
        if abs(delta) > MAX_AMOUNT:
            raise ValidationError("amount", f"Amount is over the {MAX_AMOUNT:f} limit")
        text = clean_description(description, field="description")
        approver = await verify_approver(self.ctx, approval)
        actor = self.ctx.actor
        async with self.ctx.transaction() as session:
            claim = await self.claim(
                session, key, "balances.wallet", client_id=client_id, delta=delta, description=text
            )
            if (first := claim.replay(BalanceChange)) is not None:
                await require(session, actor, Perm.ADJUST_BALANCES)
                return first
            # The lock reads the store and who acts too (issue 19: one statement for
            # three); the key is claimed first, as every keyed write does, and a refusal
            # here rolls the claim back: nothing is written.
            account = await locked_money_reading(
                session, client_id, StoredValueKind.WALLET_MONEY, actor.staff_id
            )
            await require(session, actor, Perm.ADJUST_BALANCES)
            store = await load_store(session)
            currency = store.currency
            balance = account.head.balance
            if delta < 0 and from_minor(balance, currency) + delta < 0:
                await require(session, self.ctx.actor, Perm.DEDUCT_BELOW_ZERO)
            check_wallet_adjustment(
                from_minor(balance, currency),
                delta,
                may_go_negative=True,  # the permission was required above; this asks to confirm
                allow_negative_confirmed=allow_negative,
                money=store.money,
            )
            change = await money_change(
                session,
                self.ctx,
                client_id,
                StoredValueKind.WALLET_MONEY,
                to_minor(delta, currency),
                reason=Reason.ADJUST,
                description=text,
                allow_negative=True,
                approved_by=await require_approval(
                    session, self.ctx, to_minor(delta, currency), approver
                ),
                account=account,
            )
            return await claim.done(session, change)

    # --- Reversals, history, as-of -----------------------------------------------------

    @real_outcome(EntryView)
    async def reverse_entry(
        self, entry_id: int, reason: str, *, key: str, approval: Approval | None = None
    ) -> EntryView:
        """Undo one entry with a new, opposite entry; the reason is required. Worth more
        than the threshold (units and visits at their unit value): a second person. A
        reversal, or an entry a ticket or an appointment owns: `NotReversible`, saying
        where to undo it. The same `key` again returns the first reversal (replayed)."""
        text = clean_description(reason, field="reason")
        approver = await verify_approver(self.ctx, approval)
        async with self.ctx.transaction() as session:
            await require(session, self.ctx.actor, Perm.REVERSE_ENTRIES)
            claim = await self.claim(
                session, key, "balances.reverse", entry_id=entry_id, reason=text
            )
            if (first := claim.replay(EntryView)) is not None:
                return first
            currency = (await load_store(session)).currency
            await _refuse_owned(session, entry_id)
            value = await ledger.entry_value(session, entry_id)
            entry = await ledger.reverse(
                session,
                entry_id,
                description=f"Reversal: {text}",
                actor=self.ctx.actor,
                approved_by=await require_approval(session, self.ctx, value, approver),
            )
            view = (await entry_views(session, [LedgerEntry.id == entry.id], currency))[0]
            return await claim.done(session, view)

    async def history(
        self,
        client_id: int,
        kind: StoredValueKind | None = None,
        *,
        account_id: int | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> HistoryPage:
        """Newest first, paged: the Account tab never loads a 10,000-entry history at once."""
        async with self.ctx.read() as session:
            return await _history_in(session, client_id, kind, account_id, offset, limit)

    async def with_history(
        self, client_id: int, kind: StoredValueKind, *, offset: int = 0, limit: int = 50
    ) -> BalancesWithHistory:
        """The client's balances (`desk.clients.summary`) and a page of `kind`'s history
        in one read transaction: what `7` waits for before the Account tab's rows show."""
        async with self.ctx.read() as session:
            summary = await summary_in(session, client_id)
            page = await _history_in(session, client_id, kind, None, offset, limit)
            return BalancesWithHistory(summary=summary, page=page)

    async def liability(self, when: dt.datetime | None = None) -> Liability:
        """What the business owes clients in stored value at `when`, from entries alone.

        Money owed *by* a client is not a liability, so each account counts only when its
        balance at that moment is positive; visits and units count at their sale value.
        """
        as_of = when or dt.datetime.now(dt.UTC)
        async with self.ctx.read() as session:
            await require(session, self.ctx.actor, Perm.REPORTS)
            currency = (await load_store(session)).currency
            per_account = (
                select(
                    LedgerEntry.account_id.label("account_id"),
                    func.sum(LedgerEntry.amount).label("balance"),
                )
                .where(LedgerEntry.created_at <= as_of)
                .group_by(LedgerEntry.account_id)
                .subquery()
            )
            stmt = (
                select(
                    StoredValueAccount.kind,
                    func.sum(per_account.c.balance * StoredValueAccount.unit_value_minor),
                )
                .join(per_account, per_account.c.account_id == StoredValueAccount.id)
                .where(per_account.c.balance > 0)
                .group_by(StoredValueAccount.kind)
            )
            sums = {kind: int(total or 0) for kind, total in (await session.execute(stmt)).all()}

            def money(kind: StoredValueKind) -> Decimal:
                return from_minor(sums.get(kind.value, 0), currency)

            return Liability(
                as_of=as_of,
                wallet=money(StoredValueKind.WALLET_MONEY),
                account_credit=money(StoredValueKind.ACCOUNT_MONEY),
                prepaid_visits=money(StoredValueKind.PREPAID_VISITS),
                banked_units=money(StoredValueKind.PRODUCT_UNITS),
            )


async def _history_in(
    session: AsyncSession,
    client_id: int,
    kind: StoredValueKind | None,
    account_id: int | None,
    offset: int,
    limit: int,
) -> HistoryPage:
    currency = (await load_store(session)).currency
    where: list[object] = [StoredValueAccount.client_id == client_id]
    if kind is not None:
        where.append(StoredValueAccount.kind == kind.value)
    if account_id is not None:
        where.append(StoredValueAccount.id == account_id)
    total = await session.scalar(
        select(func.count())
        .select_from(LedgerEntry)
        .join(StoredValueAccount, StoredValueAccount.id == LedgerEntry.account_id)
        .where(*where)  # type: ignore[arg-type]
    )
    entries = await entry_views(session, where, currency, offset=offset, limit=limit)
    return HistoryPage(entries=tuple(entries), total=total or 0, offset=offset, limit=limit)
