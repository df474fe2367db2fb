"""Buy on one add-on line is bounded by the product (`products.max_units_per_line`,
999 unless it says otherwise): the picker is told the bound, and the service refuses a
line over it whatever the screen sent, writing nothing (issue 14, item 4)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from frontdesk.db.tables import AppointmentAddon, LedgerEntry, Product
from frontdesk.domain.addons import MAX_BUY_PER_LINE
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from tests.services.clinic import Clinic, build_clinic


async def set_line_limit(ctx: ServiceContext, product_id: int, limit: int) -> None:
    async with ctx.transaction() as session:
        await session.execute(
            update(Product).where(Product.id == product_id).values(max_units_per_line=limit)
        )


async def written(ctx: ServiceContext) -> tuple[int, int]:
    """(ledger entries, add-on lines) in the database."""
    async with ctx.read() as session:
        entries = len((await session.execute(select(LedgerEntry.id))).all())
        lines = len((await session.execute(select(AppointmentAddon.id))).all())
        return entries, lines


@pytest.fixture
async def clinic(ctx: ServiceContext) -> Clinic:
    return await build_clinic(ctx)  # owns 10 Botox units


async def test_a_new_product_buys_up_to_999_on_a_line(ctx: ServiceContext, clinic: Clinic) -> None:
    picker = await Desk(ctx.as_staff(clinic.staff_id)).addons.picker(clinic.appointment_id)
    (botox,) = picker.client_owns
    assert botox.max_units_per_line == MAX_BUY_PER_LINE == 999


async def test_the_products_own_limit_reaches_the_picker(
    ctx: ServiceContext, clinic: Clinic
) -> None:
    await set_line_limit(ctx, clinic.botox_id, 20)
    picker = await Desk(ctx.as_staff(clinic.staff_id)).addons.picker(clinic.appointment_id)
    (botox,) = picker.client_owns
    assert botox.max_units_per_line == 20


async def test_a_line_over_the_products_limit_is_refused_and_nothing_written(
    ctx: ServiceContext, clinic: Clinic
) -> None:
    await set_line_limit(ctx, clinic.botox_id, 20)
    desk = Desk(ctx.as_staff(clinic.staff_id))
    before = await written(ctx)
    with pytest.raises(ValidationError) as caught:
        await desk.addons.add_to_service(
            clinic.appointment_id,
            [AddonSelection(clinic.botox_id, 10, 21, expected_owned=10)],
            key=new_key(),
        )
    assert caught.value.field == "buy"
    assert str(caught.value) == "At most 20 units can be bought on one line"
    assert await written(ctx) == before

    result = await desk.addons.add_to_service(
        clinic.appointment_id,
        [AddonSelection(clinic.botox_id, 10, 20, expected_owned=10)],
        key=new_key(),
    )
    (line,) = result.appointment.addons
    assert (line.use_units, line.buy_units) == (10, 20)


async def test_buy_more_counts_against_the_same_line_limit(
    ctx: ServiceContext, clinic: Clinic
) -> None:
    await set_line_limit(ctx, clinic.botox_id, 20)
    desk = Desk(ctx.as_staff(clinic.staff_id))
    await desk.addons.buy_more(clinic.appointment_id, clinic.botox_id, 15)
    with pytest.raises(ValidationError) as caught:
        await desk.addons.buy_more(clinic.appointment_id, clinic.botox_id, 6)  # 21 on the line
    assert caught.value.field == "units"
    (line,) = (await desk.addons.picker(clinic.appointment_id)).current
    assert line.bank_units == 15
    await desk.addons.buy_more(clinic.appointment_id, clinic.botox_id, 5)
    (line,) = (await desk.addons.picker(clinic.appointment_id)).current
    assert line.bank_units == 20
