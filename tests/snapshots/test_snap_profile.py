"""Screenshots of the client profile at 80x24: Overview, Account (Beauty Bank), and the
Adjust Beauty Bank dialog showing its before→after line.

Update after an intended change with
`pytest tests/snapshots/test_snap_profile.py --snapshot-update` and look at the SVGs first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import TabbedContent

from screens.profile import ClientProfileScreen
from tests.screens.profile_fixtures import (
    NOW,
    SIZE,
    ProfileHost,
    build_profile_clinic_sync,
    settle,
)

SnapCompare = Callable[..., bool]


def profile_app(url: str) -> ProfileHost:
    clinic = build_profile_clinic_sync(url)
    return ProfileHost(
        url,
        lambda s: ClientProfileScreen(
            s, clinic.ann_id, location_id=clinic.home_id, clock=lambda: NOW
        ),
    )


def test_profile_overview(snap_compare: SnapCompare, sqlite_url: str) -> None:
    assert snap_compare(profile_app(sqlite_url), terminal_size=SIZE, run_before=settle)


def test_profile_account_beauty_bank(snap_compare: SnapCompare, sqlite_url: str) -> None:
    async def open_wallet(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)
        pilot.app.screen.query_one("#account-sections", TabbedContent).active = "acct-wallet"
        await settle(pilot)

    assert snap_compare(profile_app(sqlite_url), terminal_size=SIZE, run_before=open_wallet)


def test_adjust_beauty_bank_modal(snap_compare: SnapCompare, sqlite_url: str) -> None:
    async def deduct(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press(*"-10", "tab", *"Goodwill correction")
        await settle(pilot)

    assert snap_compare(profile_app(sqlite_url), terminal_size=SIZE, run_before=deduct)
