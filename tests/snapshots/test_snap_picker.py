"""Screenshots of "Select add-ons" at 80x24: own 10 Botox units, the service needs 15.

Update after an intended change with
`pytest tests/snapshots/test_snap_picker.py --snapshot-update` and look at the SVGs first.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from screens.addon_picker import AddonPickerScreen
from tests.screens.picker_fixtures import SIZE, HostApp, build_clinic_sync, picker_opened

SnapCompare = Callable[..., bool]


def picker_app(url: str) -> HostApp:
    clinic = build_clinic_sync(url)  # own 10, need 15: Use 10 / Buy 5
    return HostApp(
        url, lambda desk: AddonPickerScreen(desk, clinic.appointment_id), staff_id=clinic.staff_id
    )


def test_picker_own_10_need_15(snap_compare: SnapCompare, sqlite_url: str) -> None:
    assert snap_compare(picker_app(sqlite_url), terminal_size=SIZE, run_before=picker_opened)


def test_picker_own_10_need_15_16_colours(
    snap_compare: SnapCompare, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    assert snap_compare(picker_app(sqlite_url), terminal_size=SIZE, run_before=picker_opened)
