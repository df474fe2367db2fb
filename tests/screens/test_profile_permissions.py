"""The profile as each role sees it (docs/rules.md, X1, X2), 80x24, keys only.

A manager edits the Goals and Transformation Log tabs; front desk is refused both, by
name. A key the person may not use is not offered (footer, palette) and says why when
pressed (tests/screens/test_footer_permissions.py has the travel member and the palette);
and when the screen believed otherwise (the role changed meanwhile), the service refuses
all the same. The Beauty Bank below zero: tests/screens/test_profile_screen.py
(`test_manager_goes_below_zero_after_second_confirm`,
`test_staff_without_permission_cannot_go_below_zero`).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from textual.binding import ActiveBinding
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import ClientGoal, Staff, TransformationEntry
from frontdesk.services.context import ServiceContext
from screens.adjust_balance import AdjustBalanceModal
from screens.profile import ClientProfileScreen
from screens.reason import QuantityModal, ReasonModal
from screens.widgets.form import FormModal
from screens.widgets.section_bar import SectionBar
from tests.money import typed
from tests.screens.profile_fixtures import (
    NOW,
    SIZE,
    ProfileClinic,
    ProfileHost,
    build_profile_clinic_at,
    ledger_count,
    notes,
    profile_opened,
    section_shown,
    tab_ready,
    text_of,
)
from tests.services.factories import make_staff
from tests.waiting import wait_until

TRANSFORMATION = "You need the “edit transformation log” permission to do this"


@pytest.fixture
async def clinic(sqlite_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(sqlite_url)


def profile_app(url: str, clinic: ProfileClinic, staff_id: int) -> ProfileHost:
    return ProfileHost(
        url,
        lambda s: ClientProfileScreen(
            s, clinic.ann_id, location_id=clinic.home_id, clock=lambda: NOW
        ),
        staff_id=staff_id,
    )


def binding(app: ProfileHost, binding_id: str) -> ActiveBinding:
    return next(b for b in app.screen.active_bindings.values() if b.binding.id == binding_id)


def offered(app: ProfileHost, binding_id: str) -> bool:
    return any(b.binding.id == binding_id for b in app.screen.active_bindings.values())


async def count(url: str, table: type[TransformationEntry] | type[ClientGoal]) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(table)) or 0)
    finally:
        await engine.dispose()


async def set_role(url: str, staff_id: int, role: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(update(Staff).where(Staff.id == staff_id).values(role=role))
    finally:
        await engine.dispose()


async def add_therapist(url: str) -> int:
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        return (await make_staff(ctx, name="Tia Therapist", role="therapist")).id
    finally:
        await ctx.dispose()


async def open_tab(pilot: Pilot[None], key: str, pane_id: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: tab_ready(pilot.app, pane_id), what=f"the {pane_id} tab")


async def add_in_form(pilot: Pilot[None], field: str, text: str) -> None:
    """`n`, then `text` in the form's `field`, then ctrl+s; back on the profile."""
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormModal), what="the form")
    box = pilot.app.screen.query_one(f"#form-{field}")
    assert isinstance(box, Input | TextArea)
    box.focus()
    await pilot.press(*text)
    await pilot.press("ctrl+s")
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, ClientProfileScreen), what="the form saved"
    )


def listed(app: ProfileHost, name: str, text: str) -> bool:
    table = app.screen.query_one(f"#{name}-table", DataTable)
    return any(text in str(table.get_row_at(i)) for i in range(table.row_count))


async def test_as_a_manager_goals_and_the_transformation_log_are_editable(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = profile_app(sqlite_url, clinic, clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await open_tab(pilot, "minus", "transformation")
        assert not app.screen.query_one("#transformation-denied").display
        assert binding(app, "profile.transformation.add").enabled
        await add_in_form(pilot, "note", "Week 1: baseline photos")
        await wait_until(
            pilot,
            lambda: listed(app, "transformation", "Week 1: baseline photos"),
            what="the entry listed",
        )
        await open_tab(pilot, "equals_sign", "goals")
        assert binding(app, "profile.goals.add").enabled
        await add_in_form(pilot, "title", "Clearer skin")
        await wait_until(pilot, lambda: listed(app, "goals", "Clearer skin"), what="the goal")
    assert await count(sqlite_url, TransformationEntry) == 1
    assert await count(sqlite_url, ClientGoal) == 1


@pytest.mark.parametrize(
    ("key", "name", "what"),
    [("minus", "transformation", "transformation log"), ("equals_sign", "goals", "goals")],
)
async def test_as_front_desk_goals_and_the_transformation_log_are_refused_by_name(
    sqlite_url: str, clinic: ProfileClinic, key: str, name: str, what: str
) -> None:
    app = profile_app(sqlite_url, clinic, clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await open_tab(pilot, key, name)
        assert text_of(app, f"#{name}-denied") == (
            f"You need the “edit transformation log” permission to view this client's {what}."
        )
        assert not app.screen.query_one(f"#{name}-table", DataTable).display
        assert not offered(app, f"profile.{name}.add")  # not in the footer or palette
        await pilot.press("n")
        await wait_until(pilot, lambda: TRANSFORMATION in notes(app), what="n refused")
        assert isinstance(app.screen, ClientProfileScreen)  # no form
    assert await count(sqlite_url, TransformationEntry) == 0
    assert await count(sqlite_url, ClientGoal) == 0


async def test_a_practitioner_is_told_they_may_not_adjust_balances(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    """A therapist takes payments but adjusts no balance: b, a and j are not offered and
    say so when pressed; y (Pay Balance) still opens."""
    refusal = "You need the “adjust balances” permission to do this"
    app = profile_app(sqlite_url, clinic, await add_therapist(sqlite_url))
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        before = await ledger_count(sqlite_url)
        assert not offered(app, "profile.adjust_wallet")
        assert not offered(app, "profile.adjust_account")
        assert binding(app, "profile.pay_balance").enabled
        for key in ("b", "a"):
            app.clear_notifications()
            await pilot.press(key)
            await wait_until(pilot, lambda: refusal in notes(app), what=f"{key} refused")
            assert isinstance(app.screen, ClientProfileScreen)
        await open_tab(pilot, "7", "account")
        app.screen.query_one("#account-sections", SectionBar).active = "acct-prepaid"
        await wait_until(
            pilot, lambda: section_shown(app, "acct-prepaid"), what="the Prepaid section"
        )
        app.clear_notifications()
        await pilot.press("j")
        await wait_until(pilot, lambda: refusal in notes(app), what="j refused")
        assert not isinstance(app.screen, QuantityModal)
        assert await ledger_count(sqlite_url) == before


async def test_front_desk_is_told_they_may_not_reverse_an_entry(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    refusal = "You need the “reverse entries” permission to do this"
    app = profile_app(sqlite_url, clinic, clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        before = await ledger_count(sqlite_url)
        await open_tab(pilot, "7", "account")
        app.screen.query_one("#account-sections", SectionBar).active = "acct-wallet"
        await wait_until(
            pilot, lambda: section_shown(app, "acct-wallet"), what="the Beauty Bank section"
        )
        await pilot.press("r")
        await wait_until(pilot, lambda: refusal in notes(app), what="r refused")
        assert not isinstance(app.screen, ReasonModal)
        assert await ledger_count(sqlite_url) == before


async def test_the_service_refuses_what_the_screen_still_offered(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    """Rita opens the profile as front desk; meanwhile she is made a stylist, who may not
    adjust balances. The screen still offers b; the service refuses, naming it."""
    app = profile_app(sqlite_url, clinic, clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        assert binding(app, "profile.adjust_wallet").enabled
        await set_role(sqlite_url, clinic.reception_id, "stylist")
        before = await ledger_count(sqlite_url)
        await pilot.press("b")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, AdjustBalanceModal),
            what="the Adjust Beauty Bank dialog",
        )
        await pilot.press(*typed("25"), "tab", *"Goodwill", "enter")
        await wait_until(
            pilot,
            lambda: (
                text_of(app, "#adjust-message")
                == "You need the “adjust balances” permission to do this"
            ),
            what="the service's refusal",
        )
        modal = app.screen
        assert isinstance(modal, AdjustBalanceModal) and modal.calls == 1
        assert await ledger_count(sqlite_url) == before
