"""The profile header says "Membership past due" while a renewal is declined (retrying) or
failed, and stops once it is paid (issue 16, item 3). Derived from the cycles: past due
is not a membership status."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Membership, MembershipCycle
from frontdesk.services.context import ServiceContext
from screens.profile import ClientProfileScreen
from tests.screens.profile_fixtures import (
    NOW,
    SIZE,
    ProfileClinic,
    ProfileHost,
    build_profile_clinic_at,
    text_of,
)
from tests.waiting import wait_until


@pytest.fixture
async def clinic(sqlite_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(sqlite_url)


async def set_cycle(url: str, client_id: int, status: str) -> None:
    """Ann's due cycle, as a renewal run left it."""
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        async with ctx.transaction() as s:
            membership = (
                await s.execute(select(Membership).where(Membership.client_id == client_id))
            ).scalar_one()
            found = await s.scalar(select(MembershipCycle.id))
            if found is None:
                s.add(
                    MembershipCycle(
                        membership_id=membership.id,
                        cycle_start=membership.next_renewal or dt.date(2026, 12, 5),
                        status=status,
                        attempts=1,
                        amount_minor=7_900,
                        decline_reason="Card declined",
                        benefit="none",
                        offer_cash_minor=0,
                        terminal="renewals",
                    )
                )
            else:
                await s.execute(update(MembershipCycle).values(status=status))
    finally:
        await ctx.dispose()


async def header_of(url: str, clinic: ProfileClinic) -> str:
    app = ProfileHost(
        url,
        lambda s: ClientProfileScreen(
            s, clinic.ann_id, location_id=clinic.home_id, clock=lambda: NOW
        ),
        staff_id=clinic.reception_id,
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ClientProfileScreen) and app.screen.header is not None,
            what="the profile header",
        )
        return text_of(app, "#profile-header")


@pytest.mark.parametrize("status", ["declined", "failed"])
async def test_a_declined_or_failed_renewal_shows_past_due(
    sqlite_url: str, clinic: ProfileClinic, status: str
) -> None:
    assert "past due" not in await header_of(sqlite_url, clinic)
    await set_cycle(sqlite_url, clinic.ann_id, status)
    assert "Glow Gold · Membership past due" in await header_of(sqlite_url, clinic)
    await set_cycle(sqlite_url, clinic.ann_id, "paid")
    assert "past due" not in await header_of(sqlite_url, clinic)
