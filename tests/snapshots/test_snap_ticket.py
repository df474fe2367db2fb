"""Screenshot of the ticket at 80x24: seed 003's £90 treatment for a 15% member with the
£35 Beauty Bank toggled on, £41.50 left on card.

Update after an intended change with
`pytest tests/snapshots/test_snap_ticket.py --snapshot-update` and look at the SVG first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from tests.screens.picker_fixtures import SIZE
from tests.screens.ticket_fixtures import build_spa, field, ticket_app, ticket_opened
from tests.waiting import wait_until

SnapCompare = Callable[..., bool]


def test_ticket_with_beauty_bank(snap_compare: SnapCompare, sqlite_url: str) -> None:
    spa = asyncio.run(build_spa(sqlite_url))

    async def beauty_bank_on(pilot: Pilot[Any]) -> None:
        await ticket_opened(pilot)
        await pilot.press("w")
        await ticket_opened(pilot)
        await wait_until(
            pilot, lambda: field(pilot.app, "#tender-card") == "41.50", what="card £41.50"
        )

    app = ticket_app(
        sqlite_url, spa.member_id, spa.location_id, spa.treatment_appt, staff_id=spa.staff_id
    )
    assert snap_compare(app, terminal_size=SIZE, run_before=beauty_bank_on)
