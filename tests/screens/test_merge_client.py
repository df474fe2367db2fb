"""Merging two records of one person from the profile: a manager finds the other record,
sees both and what will move, gives a reason and merges; front desk is not offered the
key (footer or palette) and pressing it is refused, and nothing moves."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from textual.widgets import Input

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Client, StoredValueAccount
from screens.merge_client import MergeClientScreen
from screens.profile import ClientProfileScreen
from tests.money import money
from tests.screens.profile_fixtures import (
    NOW,
    SIZE,
    ProfileClinic,
    ProfileHost,
    build_profile_clinic_at,
    notes,
    profile_opened,
    text_of,
)
from tests.screens.test_profile_permissions import binding, offered
from tests.waiting import wait_until

MERGE = "You need the “merge clients” permission to do this"


@pytest.fixture
async def clinic(sqlite_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(sqlite_url)


def bobs_profile(url: str, clinic: ProfileClinic, staff_id: int) -> ProfileHost:
    return ProfileHost(
        url,
        lambda s: ClientProfileScreen(
            s, clinic.bob_id, location_id=clinic.home_id, clock=lambda: NOW
        ),
        staff_id=staff_id,
    )


async def state(url: str, client_id: int) -> tuple[int | None, dict[str, int]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            merged = await conn.scalar(select(Client.merged_into_id).where(Client.id == client_id))
            rows = await conn.execute(
                select(StoredValueAccount.item_key, StoredValueAccount.balance).where(
                    StoredValueAccount.client_id == client_id
                )
            )
            return merged, {k: b for k, b in rows.all() if b}
    finally:
        await engine.dispose()


def merge_screen(app: Any) -> MergeClientScreen | None:
    screen = app.screen
    return screen if isinstance(screen, MergeClientScreen) else None


async def test_a_manager_merges_anns_record_into_bobs(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    _, ann_before = await state(sqlite_url, clinic.ann_id)
    app = bobs_profile(sqlite_url, clinic, clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        assert binding(app, "profile.merge").enabled
        await pilot.press("M")
        await wait_until(pilot, lambda: merge_screen(app) is not None, what="the merge form")
        await pilot.press(*"C1001")
        modal = merge_screen(app)
        assert modal is not None
        await wait_until(pilot, lambda: len(modal.hits) == 1, what="Ann found")
        await pilot.press("enter", "enter")  # into the list, take Ann
        await wait_until(pilot, lambda: modal.preview is not None, what="what will move")
        summary = text_of(app, ".mc-summary")
        assert "Keep:  Bob Empty" in summary and "Merge: Ann" in summary
        bank, debt = money("40.00"), money("30.00")
        assert f"Beauty Bank: {bank} → kept record {bank}" in summary
        assert f"Account: −{debt} → kept record −{debt}" in summary  # a debt moves too
        await pilot.press("ctrl+s")  # no reason yet
        await wait_until(
            pilot, lambda: text_of(app, ".nc-error-reason") != "", what="the reason asked for"
        )
        box = app.screen.query_one(".mc-reason", Input)
        box.focus()
        await pilot.press(*"Same person, booked twice", "enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ClientProfileScreen), what="back on Bob"
        )
        await wait_until(pilot, lambda: any("moved" in n for n in notes(app)), what="merged")
    merged_into, ann_after = await state(sqlite_url, clinic.ann_id)
    assert merged_into == clinic.bob_id
    assert ann_after == {}  # every balance moved out
    _, bob_after = await state(sqlite_url, clinic.bob_id)
    assert bob_after == ann_before  # and into Bob's matching accounts


async def test_front_desk_is_not_offered_merge_and_is_refused(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = bobs_profile(sqlite_url, clinic, clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        assert not offered(app, "profile.merge")
        await pilot.press("M")
        await wait_until(pilot, lambda: MERGE in notes(app), what="the refusal")
        assert merge_screen(app) is None
    assert (await state(sqlite_url, clinic.ann_id))[0] is None
