"""Choose monthly benefit (issue 16, item 4), driven with the keyboard at 80x24: `C` on the
profile opens it; it shows the plan, the cycle and both options with their values in
the store's currency; ↑↓ moves the choice (●), Enter confirms once; a second choice is
refused; with nothing pending it says so."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.pilot import Pilot

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Membership, MembershipCycle, MembershipPlan
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.services.context import ServiceContext
from frontdesk.views.renewals import BenefitChosen
from screens.benefit_choice import NOTHING_PENDING, BenefitChoiceModal
from screens.profile import ClientProfileScreen
from tests.money import money
from tests.screens.profile_fixtures import (
    NOW,
    SIZE,
    ProfileClinic,
    ProfileHost,
    build_profile_clinic_at,
    notes,
    text_of,
)
from tests.services.factories import make_service
from tests.services.renewals_helpers import balance, wallet
from tests.waiting import wait_until


@pytest.fixture
async def clinic(sqlite_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(sqlite_url)


async def pending_cycle(url: str, client_id: int) -> int:
    """A Select cycle paid three days ago, its choice waiting until the next one starts."""
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    today = dt.date.today()  # the modal asks for what is pending today
    try:
        peel = await make_service(ctx, name="Glow Peel", price_minor=6_000)
        async with ctx.transaction() as s:
            plan = MembershipPlan(
                name="Glow Choice",
                price_minor=9_900,
                beauty_bank=True,
                mode="select",
                cash_alternative_minor=4_000,
                included_service_id=peel.id,
            )
            s.add(plan)
            await s.flush()
            membership = Membership(
                client_id=client_id,
                plan_id=plan.id,
                status="active",
                started_on=today - dt.timedelta(days=33),
                next_renewal=today + dt.timedelta(days=27),
            )
            s.add(membership)
            await s.flush()
            cycle = MembershipCycle(
                membership_id=membership.id,
                cycle_start=today - dt.timedelta(days=3),
                cycle_end=today + dt.timedelta(days=27),
                status="paid",
                attempts=1,
                amount_minor=9_900,
                decline_reason="",
                benefit="pending",
                offer_service_id=peel.id,
                offer_cash_minor=4_000,
                terminal="setup",
            )
            s.add(cycle)
            await s.flush()
            return cycle.id
    finally:
        await ctx.dispose()


async def balances(url: str, client_id: int) -> tuple[int, int]:
    ctx = ServiceContext.create(create_engine(url), terminal="check")
    try:
        visits = await balance(ctx, client_id, StoredValueKind.PREPAID_VISITS)
        return await wallet(ctx, client_id), visits
    finally:
        await ctx.dispose()


def modal_app(url: str, client_id: int, staff_id: int) -> ProfileHost:
    return ProfileHost(url, lambda desk: BenefitChoiceModal(desk, client_id), staff_id=staff_id)


def loaded(pilot: Pilot[None]) -> bool:
    screen = pilot.app.screen
    return isinstance(screen, BenefitChoiceModal) and "Loading" not in text_of(
        pilot.app, "#benefit-cycle"
    )


async def test_cash_is_chosen_with_down_and_enter(sqlite_url: str, clinic: ProfileClinic) -> None:
    await pending_cycle(sqlite_url, clinic.bob_id)
    app = modal_app(sqlite_url, clinic.bob_id, clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: loaded(pilot), what="the pending choice")
        shown = text_of(app, "#benefit-cycle")
        assert "Glow Choice" in shown and "Choose by" in shown
        treatment = str(app.screen.query_one("#benefit-treatment").render())
        cash = str(app.screen.query_one("#benefit-cash").render())
        assert "one Glow Peel" in treatment and money("60.00") in treatment
        assert money("40.00") in cash and "●" in treatment and "●" not in cash
        await pilot.press("down")
        assert "●" in str(app.screen.query_one("#benefit-cash").render())
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(app.results), what="the choice saved")
    (chosen,) = app.results
    assert isinstance(chosen, BenefitChosen) and chosen.choice == "cash"
    assert await balances(sqlite_url, clinic.bob_id) == (4_000, 0)


async def test_treatment_is_the_first_option_and_a_second_choice_is_refused(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    await pending_cycle(sqlite_url, clinic.bob_id)
    app = modal_app(sqlite_url, clinic.bob_id, clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: loaded(pilot), what="the pending choice")
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(app.results), what="the choice saved")
    (chosen,) = app.results
    assert isinstance(chosen, BenefitChosen) and chosen.choice == "treatment"
    assert await balances(sqlite_url, clinic.bob_id) == (0, 1)
    # Opened again: nothing is pending any more, and Enter only closes.
    again = modal_app(sqlite_url, clinic.bob_id, clinic.reception_id)
    async with again.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: loaded(pilot), what="nothing pending")
        assert text_of(again, "#benefit-cycle") == NOTHING_PENDING
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(again.results), what="the modal closed")
    assert again.results == [None]
    assert await balances(sqlite_url, clinic.bob_id) == (0, 1)


async def test_a_choice_made_elsewhere_meanwhile_is_refused_in_the_modal(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    cycle = await pending_cycle(sqlite_url, clinic.bob_id)
    app = modal_app(sqlite_url, clinic.bob_id, clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: loaded(pilot), what="the pending choice")
        # Another terminal takes the cash while this modal is open.
        other = app.desk.as_staff(clinic.manager_id)
        await other.renewals.choose(cycle, "cash", key="elsewhere")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "already chosen" in text_of(app, "#benefit-message"),
            what="the refusal",
        )
        assert app.results == [] and isinstance(app.screen, BenefitChoiceModal)
    assert await balances(sqlite_url, clinic.bob_id) == (4_000, 0)


async def test_the_profile_key_opens_it_and_says_when_nothing_is_pending(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = ProfileHost(
        sqlite_url,
        lambda s: ClientProfileScreen(
            s, clinic.bob_id, location_id=clinic.home_id, clock=lambda: NOW
        ),
        staff_id=clinic.reception_id,
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ClientProfileScreen) and app.screen.header is not None,
            what="the profile",
        )
        await pilot.press("C")
        await wait_until(pilot, lambda: loaded(pilot), what="the benefit modal")
        assert text_of(app, "#benefit-cycle") == NOTHING_PENDING
        await pilot.press("escape")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ClientProfileScreen), what="back to the profile"
        )
        assert not any("benefit" in n.lower() for n in notes(app))
