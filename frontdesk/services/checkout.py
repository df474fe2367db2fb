"""Checkout: one transaction that writes everything a paid ticket implies, or nothing.

The money order lives in `frontdesk.domain.checkout.settle`; this module prices the
lines from the catalogue, locks every account it will touch (in id order), settles with
the fresh balances, then writes the ticket, lines, payments, ledger entries (wallet and
credit spent, visits credited and redeemed, units banked, renewal credit), commissions
and appointment status. The idempotency key is unique: the same key again returns the
first result and writes nothing, even when two terminals submit at the same moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db import ledger
from frontdesk.db.tables import (
    Appointment,
    AppointmentAddon,
    Client,
    Commission,
    LedgerEntry,
    Membership,
    MembershipPlan,
    Package,
    PackageItem,
    Payment,
    Product,
    Service,
    StoredValueAccount,
    Ticket,
    TicketLine,
)
from frontdesk.domain.checkout import (
    CheckoutLine,
    CheckoutRequest,
    CheckoutTotals,
    LineKind,
    Promotion,
    Tender,
    quote,
    settle,
)
from frontdesk.domain.commission import CommissionSystem, commission_for_line
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.money import from_minor, to_minor
from frontdesk.domain.parsing import clean_description
from frontdesk.domain.prepaid import validate_redeem, visits_to_credit
from frontdesk.domain.wallet import renewal_wallet_credit
from frontdesk.services.appointments import lock_appointment
from frontdesk.services.catalog import load_store
from frontdesk.services.context import ServiceContext
from frontdesk.views import StoreView
from frontdesk.views.till import AmountDue, CheckoutInput, CheckoutResult, LineInput, ResultLine

_Post = Callable[..., Awaitable[LedgerEntry]]


@dataclass
class _Priced:
    """A line resolved against the catalogue, with what completing it must write."""

    inp: LineInput
    line: CheckoutLine
    description: str
    bank: list[tuple[int, int, int]] = field(default_factory=list)  # product, units, price
    prepaid_credit: int = 0
    visit_value_minor: int = 0
    service: Service | None = None
    plan: MembershipPlan | None = None
    membership: Membership | None = None


async def _price_line(
    session: AsyncSession, store: StoreView, inp: LineInput, index: int
) -> _Priced:
    cur = store.currency
    kind = inp.kind
    if inp.quantity < 1:
        raise ValidationError("quantity", "Quantity must be at least 1")

    def line(desc: str, unit_minor: int, eligible: bool = True) -> CheckoutLine:
        return CheckoutLine(
            key=f"{index}",
            kind=kind,
            description=desc,
            unit_price=from_minor(unit_minor, cur),
            quantity=inp.quantity,
            discount_eligible=eligible,
            staff_id=inp.staff_id,
        )

    if kind in (LineKind.SERVICE, LineKind.PREPAID_SALE, LineKind.PREPAID_REDEEM):
        service = await session.get(Service, inp.service_id) if inp.service_id else None
        if service is None:
            raise ValidationError("lines", "Choose a service for this line")
        if kind is LineKind.SERVICE:
            return _Priced(
                inp,
                line(service.name, service.price_minor),
                service.name,
                service=service,
                visit_value_minor=service.price_minor,
            )
        if kind is LineKind.PREPAID_SALE:
            credit = visits_to_credit(inp.quantity, inp.qty_used)
            desc = f"{service.name} — prepaid ×{inp.quantity}"
            return _Priced(
                inp,
                line(desc, service.price_minor),
                desc,
                service=service,
                prepaid_credit=credit,
                visit_value_minor=service.price_minor,
            )
        desc = f"{service.name} — prepaid visit redeemed"
        return _Priced(
            inp, line(desc, 0), desc, service=service, visit_value_minor=service.price_minor
        )

    if kind in (
        LineKind.PRODUCT,
        LineKind.ADDON_BUY,
        LineKind.ADDON_USE,
        LineKind.BANKED_UNITS_PURCHASE,
    ):
        if inp.package_id is not None:
            package = await session.get(Package, inp.package_id)
            if package is None:
                raise ValidationError("lines", "That package no longer exists")
            items = (
                await session.execute(
                    select(PackageItem, Product)
                    .join(Product, Product.id == PackageItem.product_id)
                    .where(PackageItem.package_id == package.id)
                )
            ).all()
            priced = _Priced(inp, line(package.name, package.price_minor), package.name)
            for item, item_product in items:
                if store.future_product_usage and item_product.usage_tracking:
                    priced.bank.append(
                        (item_product.id, item.units * inp.quantity, item_product.unit_price_minor)
                    )
            return priced
        product = await session.get(Product, inp.product_id) if inp.product_id else None
        if product is None:
            raise ValidationError("lines", "Choose a product for this line")
        unit = f"{product.unit_name}s" if inp.quantity != 1 else product.unit_name
        if kind is LineKind.ADDON_USE:
            desc = f"{product.name} — {inp.quantity} {unit} from the client's bank"
            return _Priced(inp, line(desc, 0), desc)
        if kind is LineKind.ADDON_BUY:
            desc = f"{product.name} — {inp.quantity} {unit} used today"
            return _Priced(inp, line(desc, product.unit_price_minor), desc)
        banks = store.future_product_usage and product.usage_tracking
        if kind is LineKind.BANKED_UNITS_PURCHASE and not banks:
            raise ValidationError(
                "lines",
                f"{product.name} can't be banked: future product usage or usage tracking is off",
            )
        desc = f"{product.name} — {inp.quantity} {unit}" + (" to bank" if banks else "")
        priced = _Priced(inp, line(desc, product.unit_price_minor), desc)
        if banks:
            priced.bank.append((product.id, inp.quantity, product.unit_price_minor))
        return priced

    if kind is LineKind.MEMBERSHIP_FIRST:
        plan = await session.get(MembershipPlan, inp.plan_id) if inp.plan_id else None
        if plan is None:
            raise ValidationError("lines", "Choose a membership plan")
        desc = f"{plan.name} — first payment"
        return _Priced(inp, line(desc, plan.price_minor, False), desc, plan=plan)
    if kind is LineKind.MEMBERSHIP_RENEWAL:
        membership = await session.get(Membership, inp.membership_id) if inp.membership_id else None
        if membership is None or membership.status != "active":
            raise ValidationError("lines", "That membership is not active")
        plan = await session.get(MembershipPlan, membership.plan_id)
        assert plan is not None
        desc = f"{plan.name} — renewal"
        return _Priced(
            inp, line(desc, plan.price_minor, False), desc, plan=plan, membership=membership
        )
    if kind is LineKind.ACCOUNT_CREDIT_PURCHASE:
        if inp.unit_price is None or inp.unit_price <= 0:
            raise ValidationError("amount", "Enter the credit amount to buy")
        desc = "Account credit"
        return _Priced(inp, line(desc, to_minor(inp.unit_price, cur), False), desc)
    raise ValidationError("lines", f"Unknown line kind {kind}")


async def appointment_lines(
    session: AsyncSession, appointment_id: int, client_id: int, *, lock: bool = True
) -> list[LineInput]:
    """The visit's ticket lines: its service, Use units (0.00), Buy units, units to bank."""
    if lock:
        appt = await lock_appointment(session, appointment_id)
    else:
        found = await session.get(Appointment, appointment_id)
        if found is None:
            raise NotFound("appointment")
        appt = found
    if appt.client_id != client_id:
        raise ValidationError("appointment", "That appointment belongs to another client")
    if appt.status not in ("booked", "checked_in"):
        raise ValidationError(
            "appointment", f"This appointment is {appt.status.replace('_', ' ')}; nothing to pay"
        )
    lines = [
        LineInput(
            kind=LineKind.SERVICE,
            service_id=appt.service_id,
            appointment_id=appt.id,
            staff_id=appt.staff_id,
        )
    ]
    addons = (
        await session.execute(
            select(AppointmentAddon)
            .where(
                AppointmentAddon.appointment_id == appointment_id,
                AppointmentAddon.removed_at.is_(None),
            )
            .order_by(AppointmentAddon.id)
        )
    ).scalars()
    for addon in addons:
        for kind, qty in (
            (LineKind.ADDON_USE, addon.use_units),
            (LineKind.ADDON_BUY, addon.buy_units),
            (LineKind.BANKED_UNITS_PURCHASE, addon.bank_units),
        ):
            if qty:
                lines.append(
                    LineInput(
                        kind=kind,
                        product_id=addon.product_id,
                        quantity=qty,
                        appointment_id=appt.id,
                        staff_id=appt.staff_id,
                    )
                )
    return lines


async def quote_appointment(ctx: ServiceContext, appointment_id: int) -> AmountDue:
    async with ctx.read() as session:
        appt = await session.get(Appointment, appointment_id)
        if appt is None:
            raise NotFound("appointment")
        store = await load_store(session)
        cur = store.currency
        inputs = await appointment_lines(session, appointment_id, appt.client_id, lock=False)
        priced = [await _price_line(session, store, inp, i) for i, inp in enumerate(inputs)]
        totals = quote(
            CheckoutRequest(
                lines=tuple(p.line for p in priced),
                currency=cur,
                membership_discount_percent=await _membership_discount(session, appt.client_id),
            )
        )
        balances = {
            acc.kind: acc.balance
            for acc in (
                await session.execute(
                    select(StoredValueAccount).where(
                        StoredValueAccount.client_id == appt.client_id,
                        StoredValueAccount.kind.in_(
                            [
                                StoredValueKind.WALLET_MONEY.value,
                                StoredValueKind.ACCOUNT_MONEY.value,
                            ]
                        ),
                    )
                )
            ).scalars()
        }
        return AmountDue(
            currency=cur,
            lines=tuple(
                ResultLine(
                    kind=p.inp.kind,
                    description=p.description,
                    quantity=p.inp.quantity,
                    gross=lt.gross,
                    discount=lt.membership_discount + lt.promotion_discount,
                    net=lt.net,
                )
                for p, lt in zip(priced, totals.lines, strict=True)
            ),
            subtotal=totals.subtotal,
            membership_discount=totals.membership_discount,
            total=totals.total_after_discounts,
            wallet_available=from_minor(
                max(balances.get(StoredValueKind.WALLET_MONEY.value, 0), 0), cur
            ),
            account_credit_available=from_minor(
                max(balances.get(StoredValueKind.ACCOUNT_MONEY.value, 0), 0), cur
            ),
        )


async def _membership_discount(session: AsyncSession, client_id: int) -> Decimal:
    best = await session.scalar(
        select(MembershipPlan.discount_percent)
        .join(Membership, Membership.plan_id == MembershipPlan.id)
        .where(Membership.client_id == client_id, Membership.status == "active")
        .order_by(MembershipPlan.discount_percent.desc())
        .limit(1)
    )
    return Decimal(best) if best is not None else Decimal(0)


async def _existing(session: AsyncSession, key: str) -> CheckoutResult | None:
    ticket = (
        await session.execute(select(Ticket).where(Ticket.idempotency_key == key))
    ).scalar_one_or_none()
    if ticket is None or not ticket.result_json:
        return None
    first = CheckoutResult.model_validate_json(ticket.result_json)
    return first.model_copy(update={"replayed": True})


async def checkout(ctx: ServiceContext, data: CheckoutInput) -> CheckoutResult:
    """Complete a ticket exactly once for its idempotency key."""
    if not data.idempotency_key or len(data.idempotency_key) > 64:
        raise ValidationError("idempotency_key", "A checkout needs a key of 1-64 characters")
    try:
        async with ctx.transaction() as session:
            replay = await _existing(session, data.idempotency_key)
            if replay is not None:
                return replay
            return await _checkout(session, ctx, data)
    except IntegrityError:
        # Another terminal committed the same key between our read and our insert.
        async with ctx.read() as session:
            replay = await _existing(session, data.idempotency_key)
        if replay is None:
            raise
        return replay


async def _checkout(
    session: AsyncSession, ctx: ServiceContext, data: CheckoutInput
) -> CheckoutResult:
    store = await load_store(session)
    cur = store.currency
    if await session.get(Client, data.client_id) is None:
        raise NotFound("client")
    # Claim the key first: a concurrent duplicate now waits on the unique index instead
    # of also locking balances and doing all the work.
    ticket = Ticket(
        idempotency_key=data.idempotency_key,
        client_id=data.client_id,
        location_id=data.location_id,
        staff_id=ctx.actor.staff_id,
        terminal=ctx.actor.terminal,
        status="completed",
    )
    session.add(ticket)
    await session.flush()

    inputs = list(data.lines)
    if data.appointment_id is not None:
        inputs = [*await appointment_lines(session, data.appointment_id, data.client_id), *inputs]
    priced = [await _price_line(session, store, inp, i) for i, inp in enumerate(inputs)]

    # Every account this ticket touches, created if new, then locked in id order.
    async def account(kind: StoredValueKind, **kw: int | None) -> int:
        acc = await ledger.get_or_create_account(session, data.client_id, kind, **kw)  # type: ignore[arg-type]
        return acc.id

    wallet_id = await account(StoredValueKind.WALLET_MONEY)
    credit_id = await account(StoredValueKind.ACCOUNT_MONEY)
    prepaid_ids: dict[int, int] = {}
    product_ids: dict[int, int] = {}
    for p in priced:
        if p.service and p.inp.kind in (LineKind.PREPAID_SALE, LineKind.PREPAID_REDEEM):
            prepaid_ids[p.service.id] = await account(
                StoredValueKind.PREPAID_VISITS,
                service_id=p.service.id,
                unit_value_minor=p.visit_value_minor,
            )
        for product_id, _units, price in p.bank:
            product_ids[product_id] = await account(
                StoredValueKind.PRODUCT_UNITS, product_id=product_id, unit_value_minor=price
            )
    balances = await ledger.lock_accounts(
        session, [wallet_id, credit_id, *prepaid_ids.values(), *product_ids.values()]
    )

    # Redemptions are checked against the fresh, locked balance.
    redeem_total: dict[int, int] = {}
    for p in priced:
        if p.inp.kind is LineKind.PREPAID_REDEEM and p.service:
            redeem_total[p.service.id] = redeem_total.get(p.service.id, 0) + p.inp.quantity
    for service_id, qty in redeem_total.items():
        validate_redeem(balances[prepaid_ids[service_id]], qty)

    promotion = None
    if data.promotion_percent is not None or data.promotion_fixed is not None:
        promotion = Promotion(percent=data.promotion_percent, fixed=data.promotion_fixed)
    totals: CheckoutTotals = settle(
        CheckoutRequest(
            lines=tuple(p.line for p in priced),
            currency=cur,
            membership_discount_percent=await _membership_discount(session, data.client_id),
            promotion=promotion,
            use_wallet=data.use_wallet,
            wallet_balance=from_minor(balances[wallet_id], cur),
            wallet_amount=data.wallet_amount,
            use_account_credit=data.use_account_credit,
            account_credit_balance=from_minor(balances[credit_id], cur),
            tenders=tuple(Tender(method=t.method, amount=t.amount) for t in data.tenders),
        )
    )

    actor = ctx.actor
    tid = ticket.id

    async def post(
        account_id: int, amount: int, reason: Reason, desc: str, appointment_id: int | None = None
    ) -> LedgerEntry:
        return await ledger.post(
            session,
            account_id,
            amount,
            reason=reason.value,
            description=desc[:200],
            actor=actor,
            ticket_id=tid,
            appointment_id=appointment_id,
        )

    wallet_minor = to_minor(totals.wallet_applied, cur)
    credit_minor = to_minor(totals.account_credit_applied, cur)
    if wallet_minor:
        await post(wallet_id, -wallet_minor, Reason.CHECKOUT_SPEND, f"Spent at checkout #{tid}")
    if credit_minor:
        await post(credit_id, -credit_minor, Reason.CHECKOUT_SPEND, f"Spent at checkout #{tid}")
    for tender in totals.tenders:
        change = totals.change if tender.method == "cash" else Decimal(0)
        session.add(
            Payment(
                ticket_id=tid,
                client_id=data.client_id,
                method=tender.method,
                amount_minor=to_minor(tender.amount, cur),
                change_minor=to_minor(change, cur),
                staff_id=actor.staff_id,
                terminal=actor.terminal,
            )
        )

    system = CommissionSystem(store.commission_system)
    prepaid_added: list[tuple[str, int]] = []
    units_banked: list[tuple[str, int]] = []
    wallet_credited = 0
    result_lines: list[ResultLine] = []
    today = dt.date.today()
    for p, lt in zip(priced, totals.lines, strict=True):
        inp = p.inp
        row = TicketLine(
            ticket_id=tid,
            kind=inp.kind.value,
            description=p.description[:200],
            service_id=p.service.id if p.service else None,
            product_id=inp.product_id,
            package_id=inp.package_id,
            appointment_id=inp.appointment_id,
            membership_id=inp.membership_id,
            staff_id=inp.staff_id,
            unit_price_minor=to_minor(p.line.unit_price, cur),
            quantity=inp.quantity,
            qty_used=inp.qty_used if inp.kind is LineKind.PREPAID_SALE else 0,
            gross_minor=to_minor(lt.gross, cur),
            discount_minor=to_minor(lt.membership_discount + lt.promotion_discount, cur),
            net_minor=to_minor(lt.net, cur),
        )
        session.add(row)
        await session.flush()
        result_lines.append(
            ResultLine(
                kind=inp.kind,
                description=p.description,
                quantity=inp.quantity,
                gross=lt.gross,
                discount=lt.membership_discount + lt.promotion_discount,
                net=lt.net,
            )
        )
        if p.service and inp.kind is LineKind.PREPAID_SALE and p.prepaid_credit:
            await post(
                prepaid_ids[p.service.id],
                p.prepaid_credit,
                Reason.SALE,
                f"{p.prepaid_credit} visits bought on ticket #{tid}",
            )
            prepaid_added.append((p.service.name, p.prepaid_credit))
        if p.service and inp.kind is LineKind.PREPAID_REDEEM:
            await post(
                prepaid_ids[p.service.id],
                -inp.quantity,
                Reason.REDEEM,
                f"Redeemed on ticket #{tid}",
                inp.appointment_id,
            )
        for product_id, units, _price in p.bank:
            banked = await session.get(Product, product_id)
            assert banked is not None
            await post(
                product_ids[product_id],
                units,
                Reason.BANK,
                f"{units} {banked.unit_name}s banked, ticket #{tid}",
            )
            units_banked.append((banked.name, units))
        if inp.kind is LineKind.ACCOUNT_CREDIT_PURCHASE:
            await post(
                credit_id,
                to_minor(lt.net, cur),
                Reason.PAYMENT,
                f"Account credit bought, ticket #{tid}",
            )
        if p.plan is not None:
            wallet_credited += await _membership_payment(
                session, data, p, post, wallet_id, today, cur
            )
        if inp.appointment_id is not None:
            appt = await session.get(Appointment, inp.appointment_id)
            if appt is not None and appt.status in ("booked", "checked_in"):
                appt.status = "completed"
        await _commission(session, system, p, lt.net, row.id, tid, cur)

    ticket.subtotal_minor = to_minor(totals.subtotal, cur)
    ticket.discount_minor = to_minor(totals.membership_discount + totals.promotion_discount, cur)
    ticket.total_minor = to_minor(totals.total_after_discounts, cur)
    ticket.wallet_minor = wallet_minor
    ticket.account_credit_minor = credit_minor
    ticket.paid_minor = to_minor(totals.tendered, cur)
    ticket.change_minor = to_minor(totals.change, cur)
    result = CheckoutResult(
        ticket_id=tid,
        idempotency_key=data.idempotency_key,
        client_id=data.client_id,
        currency=cur,
        lines=tuple(result_lines),
        subtotal=totals.subtotal,
        membership_discount=totals.membership_discount,
        promotion_discount=totals.promotion_discount,
        total=totals.total_after_discounts,
        wallet_applied=totals.wallet_applied,
        account_credit_applied=totals.account_credit_applied,
        tendered=totals.tendered,
        change=totals.change,
        card=totals.tendered_by("card"),
        prepaid_added=tuple(prepaid_added),
        units_banked=tuple(units_banked),
        wallet_credited=from_minor(wallet_credited, cur),
    )
    ticket.result_json = result.model_dump_json()
    await session.flush()
    return result


async def _membership_payment(
    session: AsyncSession,
    data: CheckoutInput,
    p: _Priced,
    post: _Post,
    wallet_id: int,
    today: dt.date,
    cur: str,
) -> int:
    """First payment starts the membership; a renewal credits the Beauty Bank per mode."""
    plan = p.plan
    assert plan is not None
    if p.inp.kind is LineKind.MEMBERSHIP_FIRST:
        session.add(
            Membership(
                client_id=data.client_id,
                plan_id=plan.id,
                status="active",
                started_on=today,
                next_renewal=_next_month(today),
            )
        )
        return 0
    membership = p.membership
    assert membership is not None
    membership.next_renewal = _next_month(membership.next_renewal or today)
    credit = renewal_wallet_credit(
        plan.beauty_bank,
        "select" if plan.mode == "select" else "auto",
        from_minor(plan.credit_minor, cur),
        from_minor(plan.cash_alternative_minor, cur),
        data.renewal_choice,
        cur,
    )
    minor = to_minor(credit, cur)
    if minor:
        await post(wallet_id, minor, Reason.RENEWAL, "Monthly Membership Credit")
    return minor


def _next_month(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


async def _commission(
    session: AsyncSession,
    system: CommissionSystem,
    p: _Priced,
    net: Decimal,
    line_id: int,
    ticket_id: int,
    cur: str,
) -> None:
    service = p.service
    staff_id = p.inp.staff_id
    if service is None or staff_id is None:
        return
    kind = p.inp.kind
    visit_value = from_minor(p.visit_value_minor, cur)
    rows: list[tuple[str, Decimal]] = []
    args = (
        Decimal(service.commission_percent),
        from_minor(service.commission_sale_minor, cur),
        from_minor(service.commission_redeem_minor, cur),
        cur,
    )
    if kind is LineKind.SERVICE:
        rows.append(("service", commission_for_line(system, kind, net, *args)))
    elif kind is LineKind.PREPAID_REDEEM:
        rows.append(
            (
                "redeem",
                commission_for_line(
                    system, kind, visit_value * p.inp.quantity, *args, quantity=p.inp.quantity
                ),
            )
        )
    elif kind is LineKind.PREPAID_SALE:
        rows.append(
            ("sale", commission_for_line(system, kind, net, *args, quantity=p.inp.quantity))
        )
        if p.inp.qty_used:
            # A visit performed on the day of the sale earns like any performed visit.
            per_visit = net / p.inp.quantity if p.inp.quantity else Decimal(0)
            rows.append(
                (
                    "redeem",
                    commission_for_line(
                        system,
                        LineKind.PREPAID_REDEEM,
                        per_visit * p.inp.qty_used,
                        *args,
                        quantity=p.inp.qty_used,
                    ),
                )
            )
    for kind_name, amount in rows:
        minor = to_minor(amount, cur)
        if minor:
            session.add(
                Commission(
                    ticket_id=ticket_id,
                    ticket_line_id=line_id,
                    staff_id=staff_id,
                    kind=kind_name,
                    amount_minor=minor,
                )
            )


async def reverse_checkout(ctx: ServiceContext, ticket_id: int, reason: str) -> int:
    """Refund a whole ticket by new entries: wallet money, visits and units come back,
    payments and commissions get negative twins. Returns the number of entries written."""
    text = clean_description(reason, field="reason")
    async with ctx.transaction() as session:
        ticket = await session.get(Ticket, ticket_id)
        if ticket is None:
            raise NotFound("ticket")
        if ticket.reversed_at is not None:
            raise ValidationError("ticket", f"Ticket #{ticket_id} was already refunded")
        entries = (
            (
                await session.execute(
                    select(LedgerEntry)
                    .where(
                        LedgerEntry.ticket_id == ticket_id, LedgerEntry.reverses_entry_id.is_(None)
                    )
                    .order_by(LedgerEntry.id)
                )
            )
            .scalars()
            .all()
        )
        reversed_ids = set(
            (
                await session.execute(
                    select(LedgerEntry.reverses_entry_id).where(
                        LedgerEntry.reverses_entry_id.in_([e.id for e in entries])
                    )
                )
            )
            .scalars()
            .all()
        )
        await ledger.lock_accounts(session, [e.account_id for e in entries])
        count = 0
        for entry in entries:
            if entry.id in reversed_ids:
                continue
            await ledger.reverse(
                session,
                entry.id,
                description=f"Refund: {text}",
                actor=ctx.actor,
                reason=Reason.REFUND.value,
                ticket_id=ticket_id,
            )
            count += 1
        payments = (
            (
                await session.execute(
                    select(Payment).where(
                        Payment.ticket_id == ticket_id, Payment.reverses_payment_id.is_(None)
                    )
                )
            )
            .scalars()
            .all()
        )
        for pay in payments:
            session.add(
                Payment(
                    ticket_id=ticket_id,
                    client_id=pay.client_id,
                    method=pay.method,
                    amount_minor=-(pay.amount_minor - pay.change_minor),
                    staff_id=ctx.actor.staff_id,
                    terminal=ctx.actor.terminal,
                    reverses_payment_id=pay.id,
                )
            )
        commissions = (
            (await session.execute(select(Commission).where(Commission.ticket_id == ticket_id)))
            .scalars()
            .all()
        )
        for c in commissions:
            session.add(
                Commission(
                    ticket_id=ticket_id,
                    ticket_line_id=c.ticket_line_id,
                    staff_id=c.staff_id,
                    kind="reversal",
                    amount_minor=-c.amount_minor,
                )
            )
        # Add-on Use entries belong to the visit, not the ticket: the units were consumed
        # on the client, so a refund of the payment does not put them back in the bank.
        ticket.reversed_at = dt.datetime.now(dt.UTC)
        ticket.status = "reversed"
        return count
