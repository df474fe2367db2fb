"""No silent overwrite, as two desks see it (issue 15, must show): two apps, each its own
terminal, open the same appointment's add-ons; the front desk saves, then the back room
saves from what it read before. The back room's save is refused naming the front desk,
and its picker reloads showing the front desk's lines. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from frontdesk.db.tables import Appointment, AppointmentAddon, LedgerEntry
from frontdesk.services.context import ServiceContext
from frontdesk.views.addons import AddonResult
from screens.addon_picker import AddonPickerScreen
from screens.addon_rows import QuantityInput
from tests.screens.picker_fixtures import (
    SIZE,
    Clinic,
    HostApp,
    build_clinic_at,
    picker_opened,
    picker_ready,
    text_of,
)
from tests.waiting import wait_until

REFUSED = re.compile(
    r"^Changed on front-desk at \d\d:\d\d — reloaded; check and save again"
    r" \(the quantities typed here were replaced by the saved lines\)$"
)


def desk_app(url: str, clinic: Clinic, terminal: str) -> HostApp:
    return HostApp(
        url,
        lambda desk: AddonPickerScreen(desk, clinic.appointment_id),
        staff_id=clinic.staff_id,
        terminal=terminal,
    )


def split_shown(app: HostApp, product_id: int) -> tuple[str, str]:
    screen = app.screen
    return (
        screen.query_one(f"#use-{product_id}", QuantityInput).value,
        screen.query_one(f"#buy-{product_id}", QuantityInput).value,
    )


async def saved(app: HostApp, clinic: Clinic) -> tuple[int, list[tuple[int, int]], int]:
    """What the database holds: the appointment's version, its active lines (use, buy)
    and the number of ledger entries."""
    ctx: ServiceContext = app.desk.ctx
    async with ctx.read() as session:
        version = await session.scalar(
            select(Appointment.version).where(Appointment.id == clinic.appointment_id)
        )
        lines = (
            await session.execute(
                select(AppointmentAddon.use_units, AppointmentAddon.buy_units)
                .where(
                    AppointmentAddon.appointment_id == clinic.appointment_id,
                    AppointmentAddon.removed_at.is_(None),
                )
                .order_by(AppointmentAddon.id)
            )
        ).all()
        entries = await session.scalar(select(func.count()).select_from(LedgerEntry))
    return int(version or 0), [(u, b) for u, b in lines], int(entries or 0)


async def test_a_stale_addon_save_is_refused_naming_the_other_terminal_and_reloads(
    db_url: str,
) -> None:
    clinic = await build_clinic_at(db_url)
    front = desk_app(db_url, clinic, "front-desk")
    back = desk_app(db_url, clinic, "back-room")
    async with front.run_test(size=SIZE) as at_front, back.run_test(size=SIZE) as at_back:
        await picker_opened(at_front)
        await picker_opened(at_back)
        assert split_shown(front, clinic.botox_id) == split_shown(back, clinic.botox_id)
        assert split_shown(back, clinic.botox_id) == ("10", "5")

        # The back room types its own split: Use 3 from the bank (the rest bought).
        box = back.screen.query_one(f"#use-{clinic.botox_id}", QuantityInput)
        box.focus()
        await at_back.pause()
        box.select_all()
        await at_back.press("3")
        await wait_until(
            at_back,
            lambda: split_shown(back, clinic.botox_id)[0] == "3",
            what="the back room's typed Use 3",
        )

        # The front desk saves first: Use 10, Buy 5.
        await at_front.press("ctrl+s")
        await wait_until(at_front, lambda: front.results, what="the front desk's picker saved")
        [result] = front.results
        assert isinstance(result, AddonResult)
        after_front = await saved(back, clinic)
        assert after_front[:2] == (2, [(10, 5)])

        # The back room saves from its old read: refused, named, reloaded.
        await at_back.press("ctrl+s")
        await wait_until(
            at_back,
            lambda: bool(REFUSED.match(text_of(back, "#picker-message"))) and picker_ready(back),
            what="the refusal naming the front desk, over the reloaded lines",
        )
        screen = back.screen
        assert isinstance(screen, AddonPickerScreen)  # still open: nothing dismissed
        assert back.results == []
        assert split_shown(back, clinic.botox_id) == ("10", "5")  # the front desk's line
        assert screen.rows[clinic.botox_id].existing
        assert screen.picker is not None and screen.picker.version == 2
        assert await saved(back, clinic) == after_front  # nothing written by the back room
        assert "back-room" not in text_of(back, "#picker-message")

        # Checked and saved again, from the fresh read: it goes through.
        await at_back.press("ctrl+s")
        await wait_until(at_back, lambda: back.results, what="the back room's picker saved")
        assert (await saved(back, clinic))[0] == 3
