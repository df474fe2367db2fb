"""Stored value on a ticket: the accounts it touches, locked, and the entries it posts.

Wallet and account credit spent, prepaid visits credited and redeemed, units banked, a
membership started or renewed (with its Beauty Bank credit). Every account is created if
new and then locked in id order before anything is written, so two terminals never
deadlock and every check sees the fresh balance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db import ledger
from frontdesk.db.ledger import Actor, LedgerBatch, Wanted
from frontdesk.db.tables import LedgerEntry, Membership, Product
from frontdesk.domain.checkout import CheckoutTotals, LineKind, LineTotals
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.memberships import first_renewal
from frontdesk.domain.money import to_minor
from frontdesk.domain.plans import BillingCycle
from frontdesk.domain.prepaid import validate_redeem
from frontdesk.services.checkout.pricing import Priced
from frontdesk.services.membership_cycles import pay_due_cycle
from frontdesk.services.versions import mark_changed
from frontdesk.views.till import CheckoutInput

_PREPAID_KINDS = (LineKind.PREPAID_SALE, LineKind.PREPAID_REDEEM)


@dataclass(frozen=True)
class TicketAccounts:
    """The accounts one ticket touches (locked) and their heads read under the lock."""

    wallet_id: int
    credit_id: int
    prepaid_ids: dict[int, int]  # service id -> account id
    product_ids: dict[int, int]  # product id -> account id
    heads: dict[int, ledger.Head]

    @property
    def balances(self) -> dict[int, int]:
        return {account_id: head.balance for account_id, head in self.heads.items()}


async def lock_ticket_accounts(
    session: AsyncSession, client_id: int, priced: list[Priced]
) -> TicketAccounts:
    """Every account this ticket touches, created if new, then locked in id order: one
    statement when the client has them all already."""
    wanted = [Wanted(StoredValueKind.WALLET_MONEY), Wanted(StoredValueKind.ACCOUNT_MONEY)]
    for p in priced:
        if p.service and p.inp.kind in _PREPAID_KINDS:
            wanted.append(
                Wanted(
                    StoredValueKind.PREPAID_VISITS,
                    service_id=p.service.id,
                    unit_value_minor=p.visit_value_minor,
                )
            )
        for product_id, _units, price in p.bank:
            wanted.append(
                Wanted(StoredValueKind.PRODUCT_UNITS, product_id=product_id, unit_value_minor=price)
            )
    found = await ledger.lock_client_accounts(session, client_id, wanted)

    def account_id(w: Wanted) -> int:
        return found[w.key].id

    prepaid_ids = {w.service_id: account_id(w) for w in wanted if w.service_id is not None}
    product_ids = {w.product_id: account_id(w) for w in wanted if w.product_id is not None}
    return TicketAccounts(
        account_id(wanted[0]),
        account_id(wanted[1]),
        prepaid_ids,
        product_ids,
        {locked.id: locked.head for locked in found.values()},
    )


def check_redemptions(priced: list[Priced], accounts: TicketAccounts) -> None:
    """Redemptions are checked against the fresh, locked balance."""
    redeem_total: dict[int, int] = {}
    for p in priced:
        if p.inp.kind is LineKind.PREPAID_REDEEM and p.service:
            redeem_total[p.service.id] = redeem_total.get(p.service.id, 0) + p.inp.quantity
    for service_id, qty in redeem_total.items():
        validate_redeem(accounts.balances[accounts.prepaid_ids[service_id]], qty)


@dataclass
class TicketPosting:
    """Posts one ticket's ledger entries and keeps what its receipt reports."""

    session: AsyncSession
    actor: Actor
    data: CheckoutInput
    ticket_id: int
    accounts: TicketAccounts
    currency: str
    today: dt.date
    prepaid_added: list[tuple[str, int]] = field(default_factory=list)
    units_banked: list[tuple[str, int]] = field(default_factory=list)
    wallet_credited: int = 0
    # The ticket's entries go through one batch started from the heads read under the
    # lock: no account is read again, and all the entries go in as one INSERT, at `flush`,
    # whose trigger moves the balances (issue 19: a checkout's statements are a budget).
    batch: LedgerBatch | None = None

    def _batch(self) -> LedgerBatch:
        if self.batch is None:
            self.batch = LedgerBatch(self.session, self.actor)
            self.batch.locked(self.accounts.heads)
        return self.batch

    async def flush(self) -> None:
        """Write the entries and balances posted so far; anything posting to these
        accounts outside the batch (a membership's renewal credit) comes after this."""
        if self.batch is not None:
            await self.batch.flush()

    async def _post(
        self,
        account_id: int,
        amount: int,
        reason: Reason,
        desc: str,
        appointment_id: int | None = None,
    ) -> LedgerEntry:
        return await self._batch().post(
            account_id,
            amount,
            reason=reason.value,
            description=desc[:200],
            ticket_id=self.ticket_id,
            appointment_id=appointment_id,
        )

    async def spend_stored_value(self, totals: CheckoutTotals) -> None:
        """Take the wallet money and account credit the checkout order applied."""
        wallet_minor = to_minor(totals.wallet_applied, self.currency)
        credit_minor = to_minor(totals.account_credit_applied, self.currency)
        spent = f"Spent at checkout #{self.ticket_id}"
        if wallet_minor:
            await self._post(self.accounts.wallet_id, -wallet_minor, Reason.CHECKOUT_SPEND, spent)
        if credit_minor:
            await self._post(self.accounts.credit_id, -credit_minor, Reason.CHECKOUT_SPEND, spent)

    async def post_line(self, p: Priced, lt: LineTotals) -> None:
        """What one line puts into or takes out of the client's stored value."""
        await self._prepaid(p)
        await self._bank(p)
        if p.inp.kind is LineKind.ACCOUNT_CREDIT_PURCHASE:
            await self._post(
                self.accounts.credit_id,
                to_minor(lt.net, self.currency),
                Reason.PAYMENT,
                f"Account credit bought, ticket #{self.ticket_id}",
            )
        if p.plan is not None:
            self.wallet_credited += await self._membership_payment(p)

    async def _prepaid(self, p: Priced) -> None:
        """Visits bought are credited; a visit redeemed comes off, tied to its appointment."""
        inp = p.inp
        if p.service and inp.kind is LineKind.PREPAID_SALE and p.prepaid_credit:
            await self._post(
                self.accounts.prepaid_ids[p.service.id],
                p.prepaid_credit,
                Reason.SALE,
                f"{p.prepaid_credit} visits bought on ticket #{self.ticket_id}",
            )
            self.prepaid_added.append((p.service.name, p.prepaid_credit))
        if p.service and inp.kind is LineKind.PREPAID_REDEEM:
            await self._post(
                self.accounts.prepaid_ids[p.service.id],
                -inp.quantity,
                Reason.REDEEM,
                f"Redeemed on ticket #{self.ticket_id}",
                inp.appointment_id,
            )

    async def _bank(self, p: Priced) -> None:
        for product_id, units, _price in p.bank:
            banked = await self.session.get(Product, product_id)
            assert banked is not None
            await self._post(
                self.accounts.product_ids[product_id],
                units,
                Reason.BANK,
                f"{units} {banked.unit_name}s banked, ticket #{self.ticket_id}",
            )
            self.units_banked.append((banked.name, units))

    async def _membership_payment(self, p: Priced) -> int:
        """First payment starts the membership; a renewal credits the Beauty Bank per mode."""
        plan = p.plan
        assert plan is not None
        today = self.today
        cur = self.currency
        if p.inp.kind is LineKind.MEMBERSHIP_FIRST:
            started = Membership(
                client_id=self.data.client_id,
                plan_id=plan.id,
                status="active",
                started_on=today,
                next_renewal=first_renewal(today, BillingCycle(plan.billing_cycle)),
            )
            mark_changed(started, self.actor)  # version 1, sold here by this person
            self.session.add(started)
            return 0
        membership = p.membership
        assert membership is not None
        await self.flush()  # the renewal posts its credit itself, from the fresh heads
        # The due cycle is paid by this ticket, exactly as a renewal run would pay it.
        return await pay_due_cycle(
            self.session,
            self.actor,
            membership,
            plan,
            ticket_id=self.ticket_id,
            ticket_key=self.data.idempotency_key,
            amount_minor=to_minor(p.line.unit_price, cur),
            choice=self.data.renewal_choice,
            today=today,
        )
