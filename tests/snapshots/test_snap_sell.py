"""Screenshot of the Sell modal at 80x24: a prepaid facial, Qty Prch 5, Qty Used 1.

Update after an intended change with
`pytest tests/snapshots/test_snap_sell.py --snapshot-update` and look at the SVG first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from tests.screens.picker_fixtures import SIZE, text_of
from tests.screens.sell_fixtures import build_shop, choose, sell_app, sell_opened, type_into
from tests.waiting import wait_until

SnapCompare = Callable[..., bool]


def test_sell_prepaid_five_visits(snap_compare: SnapCompare, sqlite_url: str) -> None:
    shop = asyncio.run(build_shop(sqlite_url))

    async def five_facials(pilot: Pilot[Any]) -> None:
        await sell_opened(pilot)
        await choose(pilot, f"prepaid-{shop.facial_id}")
        await type_into(pilot, "#quantity", "5")
        await wait_until(
            pilot, lambda: "(5 × £80.00)" in text_of(pilot.app, "#sell-total"), what="the total"
        )

    assert snap_compare(sell_app(sqlite_url, shop), terminal_size=SIZE, run_before=five_facials)
