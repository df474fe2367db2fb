"""What the catalogue setup areas share: the store's money, product lines, stale refusal.

Catalogue rows carry no version column (unlike membership plans), so an editor's save
sends the row as it opened it (`expected`) and the service compares it with the row read
under the lock: anything changed since on another terminal refuses the save
(docs/rules.md#catalogue-setup, G6). Two saves racing on the same row take turns on that
lock, so the second one sees the first's change and is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Product
from frontdesk.domain.catalogue_rules import ProductUnits
from frontdesk.domain.errors import Conflict, ValidationError
from frontdesk.domain.money_context import MoneyContext
from frontdesk.services.catalog import load_store
from frontdesk.views.catalogue import UnitsLineView

CHANGED_ELSEWHERE = (
    "This was changed on another terminal since you opened it — nothing was saved. "
    "Save again to put yours over it, or Esc to keep theirs."
)


async def store_money(session: AsyncSession) -> MoneyContext:
    return (await load_store(session)).money


def refuse_stale(current: object, expected: object | None) -> None:
    """`Conflict` unless the row still reads as the editor saw it (None: nothing to check)."""
    if expected is not None and current != expected:
        raise Conflict(CHANGED_ELSEWHERE)


async def product_lines(
    session: AsyncSession,
    lines: Sequence[ProductUnits],
    field: str,
    *,
    addon_only: bool = False,
) -> tuple[UnitsLineView, ...]:
    """The lines with their products' names, each product known (and an add-on product
    when `addon_only`), or a `ValidationError` at `field`."""
    ids = [line.product_id for line in lines]
    rows = {
        p.id: p
        for p in (await session.execute(select(Product).where(Product.id.in_(ids)))).scalars()
    }
    views = []
    for line in lines:
        product = rows.get(line.product_id)
        if product is None:
            raise ValidationError(field, f"No product with number {line.product_id}")
        if addon_only and not product.addon_eligible:
            raise ValidationError(
                field, f"{product.name} is not an add-on product: turn on “Add-on” on it first"
            )
        views.append(
            UnitsLineView(
                product_id=product.id,
                product_name=product.name,
                unit_name=product.unit_name,
                units=line.units,
            )
        )
    return tuple(views)
