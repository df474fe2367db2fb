"""The membership plan editor and the plans list, driven with the keyboard (issue 16,
item 1): the mode switch shows Credit amount (Auto) or Cash alternative value and the
included treatment (Select); seed 003's common mistakes show as warnings while typing
and never stop a save; a refused field shows its error and nothing is written."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import insert, select
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import MembershipPlan, Staff
from frontdesk.domain.plans import PlanInput, PlanMode
from frontdesk.views import ServiceView
from frontdesk.views.plans import PlanView
from screens.plan_editor import PlanEditorModal
from screens.plans import VIEW_ONLY, PlansScreen
from tests.desks import open_desk
from tests.money import TEST_MONEY, amount, money, typed
from tests.screens.palette_fixtures import desk_app, titles
from tests.screens.profile_fixtures import ProfileHost
from tests.waiting import wait_until

SIZE = (80, 24)
OWNER = 9
SERVICES = (
    ServiceView(id=1, name="Cut & Blow-dry", category="", duration_minutes=45, price=amount("55")),
    ServiceView(id=2, name="Botox", category="", duration_minutes=30, price=amount("200")),
    ServiceView(id=3, name="Manicure", category="", duration_minutes=30, price=amount("25")),
)


@pytest.fixture
async def url(salon_url: str) -> str:
    engine = create_engine(salon_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(Staff), [{"id": OWNER, "name": "Olive", "role": "owner", "location_id": 1}]
            )
    finally:
        await engine.dispose()
    return salon_url


async def stored_plans(url: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(
                    MembershipPlan.name,
                    MembershipPlan.price_minor,
                    MembershipPlan.mode,
                    MembershipPlan.credit_minor,
                    MembershipPlan.cash_alternative_minor,
                    MembershipPlan.included_service_id,
                ).order_by(MembershipPlan.id)
            )
            return [tuple(r) for r in rows]
    finally:
        await engine.dispose()


def editor_app(url: str, staff_id: int = OWNER) -> ProfileHost:
    return ProfileHost(
        url, lambda desk: PlanEditorModal(desk, TEST_MONEY, SERVICES), staff_id=staff_id
    )


def editor(app: App[Any]) -> PlanEditorModal:
    screen = app.screen
    assert isinstance(screen, PlanEditorModal), screen
    return screen


def focused_id(app: App[Any]) -> str | None:
    return app.focused.id if app.focused is not None else None


def shown(app: App[Any], field: str) -> bool:
    """The field and every container up to the screen are displayed."""
    node: Widget | None = app.screen.query_one(f"#{field}", Widget)
    while isinstance(node, Widget):
        if not node.display:
            return False
        node = node.parent if isinstance(node.parent, Widget) else None
    return True


async def open_editor(pilot: Pilot[Any]) -> None:
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, PlanEditorModal), what="the plan editor"
    )


async def to_mode(pilot: Pilot[Any]) -> None:
    """Tab from Name to the mode switch: Price, Cycle, Discount, Beauty Bank, Mode."""
    await pilot.press("tab", "tab", "tab", "tab", "tab")
    await wait_until(pilot, lambda: focused_id(pilot.app) == "mode", what="the mode switch")


async def choose_select_mode(pilot: Pilot[Any]) -> None:
    await to_mode(pilot)
    await pilot.press("down", "enter")
    await wait_until(pilot, lambda: editor(pilot.app).mode is PlanMode.SELECT, what="Select mode")


def glyphs(app: App[Any]) -> tuple[str, str]:
    """What each mode's radio button shows inside its brackets (16 colours or none)."""
    return tuple(  # type: ignore[return-value]
        str(app.screen.query_one(f"#mode-{mode}").render()).split("▌")[0][-1]
        for mode in ("auto", "select")
    )


async def test_switching_the_mode_shows_its_fields(url: str) -> None:
    app = editor_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot)
        assert editor(app).mode is PlanMode.AUTO
        assert shown(app, "credit")
        assert not shown(app, "cash_alternative") and not shown(app, "included_service")
        assert glyphs(app) == ("●", " ")  # the chosen mode by its glyph, not colour alone
        await choose_select_mode(pilot)
        assert not shown(app, "credit")
        assert shown(app, "cash_alternative") and shown(app, "included_service")
        assert glyphs(app) == (" ", "●")
        assert "Explain the monthly choice" in editor(app).warnings_text()
        await pilot.press("up", "enter")  # back to Auto
        await wait_until(pilot, lambda: shown(app, "credit"), what="Credit amount again")
        assert not shown(app, "cash_alternative")
        assert "monthly choice" not in editor(app).warnings_text()


async def test_a_too_low_credit_warns_and_still_saves(url: str) -> None:
    app = editor_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot)
        await pilot.press(*"Glow Lite", "tab", *typed("120.00"))
        await to_credit(pilot)
        await pilot.press(*typed("10.00"))
        warning = editor(app).warnings_text()
        assert money("10.00") in warning and money("120.00") in warning
        assert "under a third" in warning
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the editor closed with the plan")
    (saved,) = app.results
    assert isinstance(saved, PlanView)
    assert (saved.price, saved.credit) == (amount("120.00"), amount("10.00"))
    minor = TEST_MONEY.to_minor
    assert await stored_plans(url) == [
        ("Glow Lite", minor(amount("120")), "auto", minor(amount("10")), 0, None)
    ]


async def to_credit(pilot: Pilot[Any]) -> None:
    """From Price: Cycle, Discount, Beauty Bank, Mode, Credit amount."""
    await pilot.press("tab", "tab", "tab", "tab", "tab")
    await wait_until(pilot, lambda: focused_id(pilot.app) == "credit", what="Credit amount")


async def test_a_missing_name_shows_its_error_and_writes_nothing(url: str) -> None:
    app = editor_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot)
        await pilot.press("tab", *typed("79.00"))
        await to_credit(pilot)
        await pilot.press(*typed("50.00"), "enter")  # Enter on the last field saves
        await wait_until(pilot, lambda: editor(app).error_of("name"), what="the name's error")
        assert editor(app).error_of("name") == "Enter a plan name"
        assert app.focused is not None and app.focused.id == "name"
        assert editor(app).calls == 0 and not app.results
    assert await stored_plans(url) == []


async def test_select_mode_saves_the_cash_alternative_and_treatment(url: str) -> None:
    app = editor_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot)
        await pilot.press(*"Choice", "tab", *typed("99.00"), "shift+tab")
        await choose_select_mode(pilot)
        await pilot.press("ctrl+s")  # no cash alternative, no treatment: refused
        await wait_until(
            pilot, lambda: editor(app).error_of("included_service"), what="the treatment's error"
        )
        assert "Cash alternative" in editor(app).error_of("cash_alternative")
        assert await stored_plans(url) == []
        await pilot.press(*typed("60.00"), "tab", "enter", "down", "down", "enter")
        await wait_until(
            pilot, lambda: not editor(app).error_of("included_service"), what="a treatment"
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the editor closed with the plan")
    minor = TEST_MONEY.to_minor
    (row,) = await stored_plans(url)
    assert row[2:] == ("select", 0, minor(amount("60")), 2)


async def test_without_setup_the_refusal_shows_and_nothing_is_written(url: str) -> None:
    app = editor_app(url, staff_id=1)  # Anna, a stylist
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot)
        await pilot.press(*"Glow", "tab", *typed("79.00"))
        await to_credit(pilot)
        await pilot.press(*typed("50.00"), "ctrl+s")
        await wait_until(pilot, lambda: "“setup”" in editor(app).message_text(), what="the refusal")
        assert not app.results
    assert await stored_plans(url) == []


def plans_shown(app: App[Any]) -> bool:
    screen = app.screen
    return isinstance(screen, PlansScreen) and not screen.query_one(DataTable).loading


async def test_the_plans_list_opens_from_the_palette_and_edits(url: str) -> None:
    app = desk_app(url, OWNER)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.member is not None, what="signed in")
        assert "Membership plans: set up" in titles(app)
        await pilot.press("f9")
        await wait_until(pilot, lambda: plans_shown(app), what="the plans list")
        await pilot.press("n")
        await open_editor(pilot)
        await pilot.press(*"Glow", "tab", *typed("79.00"))
        await to_credit(pilot)
        await pilot.press(*typed("50.00"), "enter")
        await wait_until(
            pilot,
            lambda: plans_shown(app) and app.screen.query_one(DataTable).row_count == 1,
            what="the new plan listed",
        )
        assert "applies from each member's next cycle" in str(
            app.screen.query_one(".setup-message").render()
        )
        await pilot.press("enter")
        await open_editor(pilot)
        assert editor(app).query_one("#credit", Input).value == typed("50.00")
        await pilot.press("escape")
        await wait_until(pilot, lambda: plans_shown(app), what="back on the list")


async def test_without_setup_the_list_is_read_only(url: str) -> None:
    app = desk_app(url, 1)  # Anna, a stylist
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.member is not None, what="signed in")
        await pilot.press("f9")
        await wait_until(pilot, lambda: plans_shown(app), what="the plans list")
        await wait_until(pilot, lambda: VIEW_ONLY in message(app), what="why it is read-only")
        assert "New plan" not in titles(app) and "Edit" not in titles(app)
        await pilot.press("n")
        assert isinstance(app.screen, PlansScreen)


def message(app: App[Any]) -> str:
    return str(app.screen.query_one(".setup-message", Static).render())


async def test_a_plan_changed_elsewhere_is_not_overwritten(url: str) -> None:
    glow = PlanInput(name="Glow", price=amount("79"), beauty_bank=True, credit=amount("50"))
    other = open_desk(url, terminal="desk-2", staff_id=OWNER)
    try:
        plan = await other.plans.create(glow)
        app = ProfileHost(
            url,
            lambda desk: PlanEditorModal(desk, TEST_MONEY, SERVICES, plan),
            staff_id=OWNER,
        )
        async with app.run_test(size=SIZE) as pilot:
            await open_editor(pilot)
            await other.plans.update(plan.id, replace(glow, credit=amount("60")))
            await pilot.press("ctrl+a", "ctrl+k", *"Glow Plus", "ctrl+s")
            await wait_until(
                pilot, lambda: "desk-2" in editor(app).message_text(), what="the conflict"
            )
            assert (await other.plans.get(plan.id)).name == "Glow"
            await pilot.press("ctrl+s")  # saved again, knowingly, over the new version
            await wait_until(pilot, lambda: app.results, what="the editor closed")
        assert (await other.plans.get(plan.id)).name == "Glow Plus"
    finally:
        await other.close()


async def test_the_warnings_follow_what_is_typed(url: str) -> None:
    app = editor_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot)
        await pilot.press(*"Mirror", "tab", *typed("79.00"))
        assert editor(app).warnings_text() == ""  # nothing to compare yet
        await to_credit(pilot)
        await pilot.press(*typed("79.00"))
        assert f"The Credit amount {money('79.00')} equals" in editor(app).warnings_text()
        for _ in typed("79.00"):
            await pilot.press("backspace")
        await pilot.press(*typed("30.00"))
        assert editor(app).warnings_text() == ""  # a third or more, below the fee
        await pilot.press("shift+tab", "shift+tab")  # past the mode switch to Beauty Bank
        await wait_until(pilot, lambda: focused_id(app) == "beauty_bank", what="Beauty Bank")
        await pilot.press("space")
        await wait_until(
            pilot, lambda: "Beauty Bank is off" in editor(app).warnings_text(), what="the off"
        )
        assert editor(app).query_one("#credit", Input).value == typed("30.00")  # kept as typed
