"""Screenshot of Account › Service Add-ons at 80x24: the banked product and its unit
history (banked, used on an appointment, returned, adjusted), the newest entry in full.

Update after an intended change with
`pytest tests/snapshots/test_snap_unit_history.py --snapshot-update` and look at the SVG.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from frontdesk.db import ledger
from frontdesk.db.engine import create_engine
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.services.context import ServiceContext
from screens.profile import ClientProfileScreen
from screens.widgets.section_bar import SectionBar
from tests.screens.profile_fixtures import (
    NOW,
    SIZE,
    ProfileClinic,
    ProfileHost,
    build_profile_clinic_sync,
    profile_opened,
    section_shown,
    tab_ready,
)
from tests.services.factories import make_appointment, make_product, make_service
from tests.waiting import wait_until

SnapCompare = Callable[..., bool]
VISIT = dt.datetime(2026, 11, 9, 11, 0)


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=dt.UTC)


@pytest.fixture
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Entry times are shown on the desk's clock: pin it to UTC for a stable picture."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def bobs_botox(url: str, clinic: ProfileClinic) -> None:
    """Bob banks 10 Botox units, uses 4 on a visit, gets 4 back when it is changed, and a
    stock count takes 1 away: every entry at a fixed time, by the receptionist."""
    setup = ServiceContext.create(create_engine(url), terminal="setup")
    ctx = setup.as_staff(clinic.reception_id)
    try:
        product = await make_product(ctx, name="Botox Cosmetic", unit_price_minor=900)
        service = await make_service(ctx, name="Anti-wrinkle, 3 areas", price_minor=25_000)
        visit = await make_appointment(
            ctx,
            client_id=clinic.bob_id,
            service_id=service.id,
            staff_id=clinic.reception_id,
            location_id=clinic.home_id,
            starts_at=VISIT,
        )
        async with ctx.transaction() as session:
            account = await ledger.get_or_create_account(
                session,
                clinic.bob_id,
                StoredValueKind.PRODUCT_UNITS,
                product_id=product.id,
                unit_value_minor=900,
            )
            steps: list[tuple[int, str, str, int | None, dt.datetime]] = [
                (10, Reason.BANK.value, "Opening balance", None, at(1, 9)),
                (-4, Reason.USE.value, "Used", visit.id, at(9, 11)),
            ]
            use_id = 0
            for amount, reason, text, appointment_id, when in steps:
                entry = await ledger.post(
                    session,
                    account.id,
                    amount,
                    reason=reason,
                    description=text,
                    actor=ctx.actor,
                    appointment_id=appointment_id,
                    when=when,
                )
                use_id = entry.id
            await ledger.post(  # a reversal as `ledger.reverse` writes it, at a fixed time
                session,
                account.id,
                4,
                reason=Reason.REVERSAL.value,
                description="Returned Botox Cosmetic: add-on changed",
                actor=ctx.actor,
                appointment_id=visit.id,
                reverses_entry_id=use_id,
                when=at(9, 12),
            )
            await ledger.post(
                session,
                account.id,
                -1,
                reason=Reason.ADJUST.value,
                description="Stock count: 1 missing",
                actor=ctx.actor,
                when=at(20, 17),
            )
    finally:
        await setup.dispose()


def test_service_addons_unit_history(
    snap_compare: SnapCompare, sqlite_url: str, utc_clock: None
) -> None:
    clinic = build_profile_clinic_sync(sqlite_url)
    asyncio.run(bobs_botox(sqlite_url, clinic))
    app = ProfileHost(
        sqlite_url,
        lambda s: ClientProfileScreen(
            s, clinic.bob_id, location_id=clinic.home_id, clock=lambda: NOW
        ),
        staff_id=clinic.reception_id,
    )

    async def open_addons(pilot: Pilot[Any]) -> None:
        await profile_opened(pilot)
        await pilot.press("7")
        await wait_until(pilot, lambda: tab_ready(pilot.app, "account"), what="the Account tab")
        pilot.app.screen.query_one("#account-sections", SectionBar).active = "acct-addons"
        await wait_until(
            pilot, lambda: section_shown(pilot.app, "acct-addons"), what="Service Add-ons"
        )

    assert snap_compare(app, terminal_size=SIZE, run_before=open_addons)
