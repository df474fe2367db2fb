"""The picker bounds Buy by the product's own per-line limit (issue 14, item 4): the
message is at the field, nothing is sent, and `+` stops at the limit."""

from __future__ import annotations

from sqlalchemy import update
from textual.widgets import Button

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Product
from frontdesk.services.context import ServiceContext
from screens.addon_picker import AddonPickerScreen
from screens.addon_rows import QuantityInput
from tests.screens.picker_fixtures import (
    SIZE,
    HostApp,
    build_clinic_at,
    picker_opened,
    text_of,
)
from tests.waiting import wait_until


async def set_line_limit(url: str, product_id: int, limit: int) -> None:
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        async with ctx.transaction() as session:
            await session.execute(
                update(Product).where(Product.id == product_id).values(max_units_per_line=limit)
            )
    finally:
        await ctx.dispose()


async def test_buy_over_the_products_limit_is_refused_at_the_field(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url)  # owns 10, needs 15: Use 10 / Buy 5
    await set_line_limit(sqlite_url, clinic.botox_id, 20)
    app = HostApp(
        sqlite_url,
        lambda desk: AddonPickerScreen(desk, clinic.appointment_id),
        staff_id=clinic.staff_id,
    )
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        buy = app.screen.query_one(f"#buy-{clinic.botox_id}", QuantityInput)
        buy.focus()
        await wait_until(pilot, lambda: buy.has_focus, what="Buy focused")
        buy.select_all()
        await pilot.press("2", "1")
        error = f"#sel-{clinic.botox_id} .sel-error"
        await wait_until(
            pilot,
            lambda: text_of(app, error) == "Buy: At most 20 units can be bought on one line",
            what="the limit's message under the row",
        )
        assert app.screen.query_one("#picker-save", Button).disabled
        # The row keeps its last good split: Buy 2.
        assert text_of(app, "#picker-totals").startswith("From bank: 10 units · To buy: 2 units")
        await pilot.press("backspace")
        await wait_until(pilot, lambda: text_of(app, error) == "", what="the message cleared")
        buy.value = "19"
        await pilot.press("+", "+")  # 20, then it stops
        await wait_until(pilot, lambda: buy.value == "20", what="Buy 20")
        await pilot.press("+")
        await wait_until(
            pilot,
            lambda: text_of(app, "#picker-totals").startswith(
                "From bank: 10 units · To buy: 20 units"
            ),
            what="Buy stopped at 20",
        )
        assert buy.value == "20"
