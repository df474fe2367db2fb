"""Screenshots of the client profile at 80x24: Overview, Account (Beauty Bank), and the
Adjust Beauty Bank dialog showing its before→after line.

Update after an intended change with
`pytest tests/snapshots/test_snap_profile.py --snapshot-update` and look at the SVGs first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from screens.adjust_balance import AdjustBalanceModal
from screens.profile import ClientProfileScreen
from screens.widgets.section_bar import SectionBar
from tests.screens.profile_fixtures import (
    NOW,
    SIZE,
    ProfileHost,
    build_profile_clinic_sync,
    profile_opened,
    section_shown,
    tab_ready,
    text_of,
)
from tests.waiting import wait_until

SnapCompare = Callable[..., bool]


def profile_app(url: str) -> ProfileHost:
    clinic = build_profile_clinic_sync(url)
    return ProfileHost(
        url,
        lambda s: ClientProfileScreen(
            s, clinic.ann_id, location_id=clinic.home_id, clock=lambda: NOW
        ),
        staff_id=clinic.reception_id,  # front desk: the balance keys are live
    )


def test_profile_overview(snap_compare: SnapCompare, sqlite_url: str) -> None:
    assert snap_compare(profile_app(sqlite_url), terminal_size=SIZE, run_before=profile_opened)


def test_profile_account_beauty_bank(snap_compare: SnapCompare, sqlite_url: str) -> None:
    async def open_wallet(pilot: Pilot[Any]) -> None:
        await profile_opened(pilot)
        await pilot.press("7")
        await wait_until(pilot, lambda: tab_ready(pilot.app, "account"), what="the Account tab")
        pilot.app.screen.query_one("#account-sections", SectionBar).active = "acct-wallet"
        await wait_until(
            pilot, lambda: section_shown(pilot.app, "acct-wallet"), what="the Beauty Bank section"
        )

    assert snap_compare(profile_app(sqlite_url), terminal_size=SIZE, run_before=open_wallet)


def test_adjust_beauty_bank_modal(snap_compare: SnapCompare, sqlite_url: str) -> None:
    async def deduct(pilot: Pilot[Any]) -> None:
        await profile_opened(pilot)
        await pilot.press("b")
        await wait_until(
            pilot,
            lambda: isinstance(pilot.app.screen, AdjustBalanceModal),
            what="the Adjust Beauty Bank dialog",
        )
        await pilot.press(*"-10", "tab", *"Goodwill correction")
        await wait_until(
            pilot,
            lambda: "Deduct £10.00" in text_of(pilot.app, "#adjust-preview"),
            what="the before→after line",
        )

    assert snap_compare(profile_app(sqlite_url), terminal_size=SIZE, run_before=deduct)
