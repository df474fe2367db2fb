"""Commission rows for one ticket line: who performed or sold it, and what they earn.

docs/rules.md#commission, K1-K4. A service line (a service, a prepaid visit redeemed)
records the staff member who performed it; a sale line records the seller, the staff
member signed in at the till (the ticket's `staff_id`). Under the single system only
performed visits earn; under dual the seller earns the sale amount for each visit sold
and the performer the redeem amount for each visit performed. A redeemed visit is valued
at what the client paid per visit, never at today's catalogue price.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.core_exec import execute
from frontdesk.db.tables import Commission, Ticket, TicketLine
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.commission import CommissionSystem, commission_for_line, paid_value_of_visits
from frontdesk.domain.money import from_minor, to_minor
from frontdesk.services.checkout.pricing import Priced

# Lines a staff member performs; every other kind but the 0.00 Use line is sold.
PERFORMED_KINDS = frozenset({LineKind.SERVICE, LineKind.PREPAID_REDEEM, LineKind.ADDON_USE})


def line_staff(kind: LineKind, performer: int | None, seller: int | None) -> int | None:
    """Who a ticket line records: its performer for a service performed, the seller (the
    signed-in staff member) for anything sold; the line's own staff if nobody signed in."""
    if kind in PERFORMED_KINDS or seller is None:
        return performer
    return seller


@dataclass(frozen=True)
class _Earned:
    kind: str  # service | sale | redeem
    staff_id: int | None
    amount: Decimal


async def commission_rows(
    session: AsyncSession,
    system: CommissionSystem,
    p: Priced,
    net: Decimal,
    line_id: int,
    ticket_id: int,
    cur: str,
    *,
    seller_id: int | None,
    client_id: int,
) -> list[dict[str, object]]:
    """What each staff member earns on the line (the line already records who:
    `line_staff`), as rows for `insert_commissions`. `seller_id` and `client_id` are the
    ticket's, as the checkout writes it (not read back: issue 19)."""
    if p.service is None:
        return []
    rows: list[dict[str, object]] = []
    for earned in await _earned(session, system, p, net, seller_id, client_id, cur):
        minor = to_minor(earned.amount, cur)
        if minor and earned.staff_id is not None:
            rows.append(
                {
                    "ticket_id": ticket_id,
                    "ticket_line_id": line_id,
                    "staff_id": earned.staff_id,
                    "kind": earned.kind,
                    "amount_minor": minor,
                }
            )
    return rows


# Built once, Core on the table (issue 19: Python per checkout): the ORM's unit of work
# cost more than the INSERT itself. `created_at` comes from the column's default.
_INSERT_COMMISSIONS = insert(cast(Table, Commission.__table__))


async def insert_commissions(session: AsyncSession, rows: list[dict[str, object]]) -> None:
    """The ticket's commissions, all lines' together, in one statement."""
    if rows:
        await execute(session, _INSERT_COMMISSIONS, rows if len(rows) > 1 else rows[0])


async def paid_for_visits(
    session: AsyncSession, client_id: int, p: Priced, visits: int, cur: str
) -> Decimal:
    """What the client paid for `visits` prepaid visits of the line's service: the average
    net per visit of their prepaid sales of it not refunded (this ticket's included), or
    the catalogue price when they bought none (visits only set by an adjustment)."""
    assert p.service is not None
    paid, bought = (
        await session.execute(
            select(func.sum(TicketLine.net_minor), func.sum(TicketLine.quantity))
            .join(Ticket, Ticket.id == TicketLine.ticket_id)
            .where(
                Ticket.client_id == client_id,
                Ticket.reversed_at.is_(None),
                TicketLine.service_id == p.service.id,
                TicketLine.kind == LineKind.PREPAID_SALE.value,
            )
        )
    ).one()
    if not bought:
        return from_minor(p.visit_value_minor, cur) * visits
    return paid_value_of_visits(int(paid), int(bought), visits, cur)


async def _earned(
    session: AsyncSession,
    system: CommissionSystem,
    p: Priced,
    net: Decimal,
    seller: int | None,
    client_id: int,
    cur: str,
) -> list[_Earned]:
    service = p.service
    assert service is not None
    inp = p.inp
    performer = inp.staff_id

    def earn(kind: LineKind, value: Decimal, visits: int) -> Decimal:
        return commission_for_line(
            system,
            kind,
            value,
            Decimal(service.commission_percent),
            from_minor(service.commission_sale_minor, cur),
            from_minor(service.commission_redeem_minor, cur),
            cur,
            quantity=visits,
        )

    if inp.kind is LineKind.SERVICE:
        return [_Earned("service", performer, earn(inp.kind, net, inp.quantity))]
    if inp.kind is LineKind.PREPAID_REDEEM:
        value = Decimal(0)  # dual pays a fixed amount per visit, whatever was paid
        if system is CommissionSystem.SINGLE:
            value = await paid_for_visits(session, client_id, p, inp.quantity, cur)
        return [_Earned("redeem", performer, earn(inp.kind, value, inp.quantity))]
    if inp.kind is not LineKind.PREPAID_SALE:
        return []
    rows = [
        _Earned(
            "sale", seller if seller is not None else performer, earn(inp.kind, net, inp.quantity)
        )
    ]
    if inp.qty_used:
        # Visits performed on the day of the sale earn like any performed visit, on their
        # share of what this sale's line cost.
        used = paid_value_of_visits(to_minor(net, cur), inp.quantity, inp.qty_used, cur)
        who = performer if performer is not None else seller
        rows.append(_Earned("redeem", who, earn(LineKind.PREPAID_REDEEM, used, inp.qty_used)))
    return rows
