"""Commission rows for one ticket line: what the staff member on it earns by the store's system."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Commission
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.commission import CommissionSystem, commission_for_line
from frontdesk.domain.money import from_minor, to_minor
from frontdesk.services.checkout.pricing import Priced


async def write_commissions(
    session: AsyncSession,
    system: CommissionSystem,
    p: Priced,
    net: Decimal,
    line_id: int,
    ticket_id: int,
    cur: str,
) -> None:
    staff_id = p.inp.staff_id
    if p.service is None or staff_id is None:
        return
    for kind_name, amount in _commission_rows(system, p, net, cur):
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


def _commission_rows(
    system: CommissionSystem, p: Priced, net: Decimal, cur: str
) -> list[tuple[str, Decimal]]:
    service = p.service
    assert service is not None
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
    return rows
