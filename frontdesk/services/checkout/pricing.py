"""Pricing a ticket's lines from the catalogue, and the visit's own lines.

Each `LineInput` becomes a `Priced` line: the domain `CheckoutLine` the checkout order
works on, plus what completing it must write (visits to credit, units to bank, the plan or
membership it pays). Units bank only when the store has future product usage on *and* the
product tracks usage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Appointment,
    AppointmentAddon,
    Client,
    Membership,
    MembershipPlan,
    Package,
    PackageItem,
    Product,
    Service,
    StoreSettings,
)
from frontdesk.domain.checkout import CheckoutLine, LineKind, LineTotals
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.memberships import CURRENT
from frontdesk.domain.money import from_minor, to_minor
from frontdesk.domain.parsing import check_quantity
from frontdesk.domain.prepaid import visits_to_credit
from frontdesk.services.appointments import lock_appointment
from frontdesk.views import StoreView
from frontdesk.views.till import CheckoutInput, LineInput, ResultLine

_SERVICE_KINDS = frozenset({LineKind.SERVICE, LineKind.PREPAID_SALE, LineKind.PREPAID_REDEEM})
_PRODUCT_KINDS = frozenset(
    {
        LineKind.PRODUCT,
        LineKind.ADDON_BUY,
        LineKind.ADDON_USE,
        LineKind.BANKED_UNITS_PURCHASE,
    }
)


@dataclass
class Priced:
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


@dataclass(frozen=True)
class _LineMaker:
    """Builds the domain line for one input: its key, kind, quantity and staff are fixed."""

    inp: LineInput
    index: int
    currency: str

    def __call__(self, desc: str, unit_minor: int, eligible: bool = True) -> CheckoutLine:
        return CheckoutLine(
            key=f"{self.index}",
            kind=self.inp.kind,
            description=desc,
            unit_price=from_minor(unit_minor, self.currency),
            quantity=self.inp.quantity,
            discount_eligible=eligible,
            staff_id=self.inp.staff_id,
        )


# The most rows the one catalogue read may multiply out to (services x products on one
# ticket); a larger ticket reads them one by one, as before.
_CATALOG_ROWS = 64


# `read_catalog`'s statement, built once for each set of extra columns (issue 19: Python
# per checkout): the ids go in as parameters.
_CATALOG: dict[tuple[ColumnElement[Any], ...], Select[Any]] = {}


async def read_catalog(
    session: AsyncSession,
    lines: Sequence[LineInput],
    also: tuple[ColumnElement[Any], ...] = (),
    bind: dict[str, Any] | None = None,
) -> tuple[Any, ...]:
    """The store settings and every service and product `lines` name, in one statement
    (issue 19: a checkout's statements are a budget), with `also`, scalar values the
    caller wants read with them (the checkout: who is taking the payment), built once
    and given their parameters in `bind`; returns those values.

    The rows stay in the session (held in its `info`: its identity map holds them
    weakly), so `load_store` and the pricing's `session.get` of them send nothing. One
    row per service x product named: the store row is the base every catalogue row is
    outer-joined to, so nothing named still gives the store."""
    service_ids = sorted({i.service_id for i in lines if i.service_id is not None})
    product_ids = sorted({i.product_id for i in lines if i.product_id is not None})
    if max(len(service_ids), 1) * max(len(product_ids), 1) > _CATALOG_ROWS:
        service_ids = product_ids = []
    stmt = _CATALOG.get(also)
    if stmt is None:
        stmt = _CATALOG[also] = (
            select(StoreSettings, Service, Product, *also)
            .select_from(StoreSettings)
            .outerjoin(Service, Service.id.in_(bindparam("service_ids", expanding=True)))
            .outerjoin(Product, Product.id.in_(bindparam("product_ids", expanding=True)))
            .where(StoreSettings.id == 1)
        )
    params = {"service_ids": service_ids, "product_ids": product_ids, **(bind or {})}
    rows = (await session.execute(stmt, params)).all()
    if not rows:
        raise NotFound("store settings (run `frontdesk db upgrade` and seed the store)")
    held: list[object] = session.info.setdefault("frontdesk.catalog_rows", [])
    held.extend(x for row in rows for x in row[1:3] if x is not None)
    session.info["frontdesk.store_settings"] = rows[0][0]
    return tuple(rows[0][3:])


def check_line_quantities(lines: Sequence[LineInput]) -> None:
    """Every line's quantity (and a prepaid sale's visits used today) within range: a
    field error before anything is read or written, never an overflow in the driver."""
    for inp in lines:
        if inp.quantity < 1:
            raise ValidationError("quantity", "Quantity must be at least 1")
        check_quantity(inp.quantity, field="quantity", minimum=1)
        if inp.kind is LineKind.PREPAID_SALE:
            check_quantity(inp.qty_used, field="qty_used")


async def price_line(session: AsyncSession, store: StoreView, inp: LineInput, index: int) -> Priced:
    """Price one ticket line at today's catalogue price; refuse what can't be sold."""
    kind = inp.kind
    check_line_quantities((inp,))
    line = _LineMaker(inp, index, store.currency)
    if kind in _SERVICE_KINDS:
        return await _price_service(session, inp, line)
    if kind in _PRODUCT_KINDS:
        if inp.package_id is not None:
            return await _price_package(session, store, inp, line)
        return await _price_product(session, store, inp, line)
    if kind is LineKind.MEMBERSHIP_FIRST:
        return await _price_first_payment(session, inp, line)
    if kind is LineKind.MEMBERSHIP_RENEWAL:
        return await _price_renewal(session, inp, line)
    if kind is LineKind.ACCOUNT_CREDIT_PURCHASE:
        return _price_account_credit(store, inp, line)
    raise ValidationError("lines", f"Unknown line kind {kind}")


async def _price_service(session: AsyncSession, inp: LineInput, line: _LineMaker) -> Priced:
    """A service performed, a prepaid package of it sold, or a prepaid visit redeemed."""
    kind = inp.kind
    service = await session.get(Service, inp.service_id) if inp.service_id else None
    if service is None:
        raise ValidationError("lines", "Choose a service for this line")
    # Switched off in setup: no longer sold. A visit booked before is still paid for, and
    # a prepaid visit already bought is still redeemed.
    sold_now = kind is LineKind.PREPAID_SALE or (
        kind is LineKind.SERVICE and inp.appointment_id is None
    )
    if sold_now and not service.active:
        raise ValidationError("lines", f"{service.name} is no longer offered")
    if kind is LineKind.PREPAID_SALE and not service.prepaid_allowed:
        raise ValidationError("lines", f"{service.name} is not sold as prepaid visits")
    if kind is LineKind.SERVICE:
        return Priced(
            inp,
            line(service.name, service.price_minor),
            service.name,
            service=service,
            visit_value_minor=service.price_minor,
        )
    if kind is LineKind.PREPAID_SALE:
        credit = visits_to_credit(inp.quantity, inp.qty_used)
        desc = f"{service.name} — prepaid ×{inp.quantity}"
        return Priced(
            inp,
            line(desc, service.price_minor),
            desc,
            service=service,
            prepaid_credit=credit,
            visit_value_minor=service.price_minor,
        )
    desc = f"{service.name} — prepaid visit redeemed"
    return Priced(inp, line(desc, 0), desc, service=service, visit_value_minor=service.price_minor)


async def _price_package(
    session: AsyncSession, store: StoreView, inp: LineInput, line: _LineMaker
) -> Priced:
    """A package at its own price; its usage-tracked items bank when the store banks."""
    package = await session.get(Package, inp.package_id)
    if package is None:
        raise ValidationError("lines", "That package no longer exists")
    if not package.active:
        raise ValidationError("lines", f"{package.name} is no longer offered")
    items = (
        await session.execute(
            select(PackageItem, Product)
            .join(Product, Product.id == PackageItem.product_id)
            .where(PackageItem.package_id == package.id)
        )
    ).all()
    priced = Priced(inp, line(package.name, package.price_minor), package.name)
    for item, item_product in items:
        if store.future_product_usage and item_product.usage_tracking:
            priced.bank.append(
                (item_product.id, item.units * inp.quantity, item_product.unit_price_minor)
            )
    return priced


async def _price_product(
    session: AsyncSession, store: StoreView, inp: LineInput, line: _LineMaker
) -> Priced:
    """Units used from the bank (0.00), bought and used today, or bought (to bank)."""
    kind = inp.kind
    product = await session.get(Product, inp.product_id) if inp.product_id else None
    if product is None:
        raise ValidationError("lines", "Choose a product for this line")
    unit = f"{product.unit_name}s" if inp.quantity != 1 else product.unit_name
    if kind is LineKind.ADDON_USE:
        desc = f"{product.name} — {inp.quantity} {unit} from the client's bank"
        return Priced(inp, line(desc, 0), desc)
    if kind is LineKind.ADDON_BUY:
        desc = f"{product.name} — {inp.quantity} {unit} used today"
        return Priced(inp, line(desc, product.unit_price_minor), desc)
    if not product.active and inp.appointment_id is None:
        # Switched off in setup: no longer sold (an appointment's add-on chosen before is
        # still paid for; units the client owns are still used, above).
        raise ValidationError("lines", f"{product.name} is no longer offered")
    banks = store.future_product_usage and product.usage_tracking
    if kind is LineKind.BANKED_UNITS_PURCHASE and not banks:
        raise ValidationError(
            "lines",
            f"{product.name} can't be banked: future product usage or usage tracking is off",
        )
    desc = f"{product.name} — {inp.quantity} {unit}" + (" to bank" if banks else "")
    priced = Priced(inp, line(desc, product.unit_price_minor), desc)
    if banks:
        priced.bank.append((product.id, inp.quantity, product.unit_price_minor))
    return priced


async def _price_first_payment(session: AsyncSession, inp: LineInput, line: _LineMaker) -> Priced:
    plan = await session.get(MembershipPlan, inp.plan_id) if inp.plan_id else None
    if plan is None:
        raise ValidationError("lines", "Choose a membership plan")
    if not plan.active:
        raise ValidationError("lines", f"{plan.name} is no longer offered")
    if inp.quantity != 1:
        raise ValidationError("quantity", "A membership is sold one at a time")
    desc = f"{plan.name} — first payment"
    return Priced(inp, line(desc, plan.price_minor, False), desc, plan=plan)


async def _price_renewal(session: AsyncSession, inp: LineInput, line: _LineMaker) -> Priced:
    membership = await session.get(Membership, inp.membership_id) if inp.membership_id else None
    if membership is None or membership.status != "active":
        raise ValidationError("lines", "That membership is not active")
    plan = await session.get(MembershipPlan, membership.plan_id)
    assert plan is not None
    desc = f"{plan.name} — renewal"
    return Priced(inp, line(desc, plan.price_minor, False), desc, plan=plan, membership=membership)


def _price_account_credit(store: StoreView, inp: LineInput, line: _LineMaker) -> Priced:
    if inp.unit_price is None or inp.unit_price <= 0:
        raise ValidationError("amount", "Enter the credit amount to buy")
    desc = "Account credit"
    return Priced(inp, line(desc, to_minor(inp.unit_price, store.currency), False), desc)


def result_line(p: Priced, lt: LineTotals) -> ResultLine:
    """The line as the receipt and the amount-due panel show it."""
    return ResultLine(
        kind=p.inp.kind,
        description=p.description,
        quantity=p.inp.quantity,
        gross=lt.gross,
        discount=lt.membership_discount + lt.promotion_discount,
        net=lt.net,
    )


async def price_ticket(
    session: AsyncSession, store: StoreView, data: CheckoutInput, *, lock: bool
) -> list[Priced]:
    """The ticket's lines priced, the visit's own lines first. With `lock` (completing)
    every visit the ticket carries is locked and checked open; a quote only reads."""
    inputs = list(data.lines)
    if data.appointment_id is not None:
        visit = await appointment_lines(session, data.appointment_id, data.client_id, lock=lock)
        inputs = [*visit, *inputs]
    if lock:
        await lock_line_visits(session, data.appointment_id, inputs, data.client_id)
    priced = [await price_line(session, store, inp, i) for i, inp in enumerate(inputs)]
    await check_new_membership(session, data.client_id, priced, lock=lock)
    return priced


async def check_new_membership(
    session: AsyncSession, client_id: int, priced: list[Priced], *, lock: bool
) -> None:
    """A plan's first payment starts a membership, so it is refused for a client who is
    already a member (active or paused, of any plan: the plan is changed on the profile
    instead), and only one can be on a ticket. Completing locks the client's row first
    (PostgreSQL; SQLite's write lock already covers it), so two terminals selling the
    same client a plan at once start one membership, not two."""
    firsts = [p for p in priced if p.inp.kind is LineKind.MEMBERSHIP_FIRST]
    if not firsts:
        return
    if len(firsts) > 1:
        raise ValidationError("lines", "Only one membership can be sold on a ticket")
    if lock:
        # NO KEY UPDATE: the ticket this checkout already inserted holds a KEY SHARE on
        # the client (its foreign key), as does the other terminal's; a plain FOR UPDATE
        # would wait on that share and the two would deadlock.
        await session.execute(
            select(Client.id).where(Client.id == client_id).with_for_update(key_share=True)
        )
    current = (
        await session.execute(
            select(MembershipPlan.name, Membership.status)
            .join(Membership, Membership.plan_id == MembershipPlan.id)
            .where(Membership.client_id == client_id, Membership.status.in_(CURRENT))
            .limit(1)
        )
    ).first()
    if current is not None:
        name, status = current
        raise ValidationError(
            "lines",
            f"The client is already a member ({name}, {status}): change plan on the profile",
        )


def check_open_visit(appt: Appointment, client_id: int) -> None:
    """A visit can be paid for only by its own client, and only while it is still open."""
    if appt.client_id != client_id:
        raise ValidationError("appointment", "That appointment belongs to another client")
    if appt.status not in ("booked", "checked_in"):
        raise ValidationError(
            "appointment", f"This appointment is {appt.status.replace('_', ' ')}; nothing to pay"
        )


async def lock_line_visits(
    session: AsyncSession, data_appointment_id: int | None, inputs: list[LineInput], client_id: int
) -> None:
    """A ticket may carry a visit's lines itself (the ticket screen does, to redeem the
    visit's service from prepaid): lock each such visit and check it is still open, as
    `appointment_lines` does for the ticket's own appointment."""
    ids = sorted(
        {i.appointment_id for i in inputs if i.appointment_id is not None} - {data_appointment_id}
    )
    for appointment_id in ids:
        check_open_visit(await lock_appointment(session, appointment_id), client_id)


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
    check_open_visit(appt, client_id)
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


def best_discount(client_id: int | BindParameter[int]) -> Select[Any]:
    """The best discount percent among the client's active memberships (NULL without
    one). A paused or cancelled membership gives none: seed 003 ties the discount to being
    a member, and a paused member pays nothing that cycle (docs/rules.md#memberships).
    Checkout reads it in the RETURNING of the ticket row it inserts, where SQLite's
    compiler leaves column names unqualified: so each level reads one table, no join."""
    # Core on the tables: the checkout's claim, which carries it, stays a Core statement.
    members, plans = Membership.__table__.c, MembershipPlan.__table__.c
    held = select(members.plan_id).where(members.client_id == client_id, members.status == "active")
    return select(func.max(plans.discount_percent)).where(plans.id.in_(held))


def discount_percent(best: Decimal | None) -> Decimal:
    return Decimal(best) if best is not None else Decimal(0)


async def membership_discount(session: AsyncSession, client_id: int) -> Decimal:
    """The best discount among the client's active memberships (0 without one)."""
    return discount_percent(await session.scalar(best_discount(client_id)))
