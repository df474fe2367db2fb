"""Client search after issue 19 shortened its debounce: keys typed closer together than
the debounce still send one query, and new rows arrive with the cursor on the first."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from frontdesk.services.clients import Clients
from frontdesk.views import ClientHit
from screens.search import ClientSearchScreen
from tests.screens.profile_fixtures import SIZE, ProfileClinic, ProfileHost, build_profile_clinic_at
from tests.waiting import wait_until


@pytest.fixture
async def clinic(sqlite_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(sqlite_url)


class CountingClients(Clients):
    queries: ClassVar[list[str]] = []

    async def search(self, text: str, limit: int = 50) -> tuple[ClientHit, ...]:
        type(self).queries.append(text)
        return await super().search(text, limit)


def _app(url: str) -> ProfileHost:
    return ProfileHost(
        url, lambda desk: ClientSearchScreen(desk), areas={"clients": CountingClients}
    )


async def _opened(app: ProfileHost, pilot: Pilot[None]) -> ClientSearchScreen:
    await wait_until(pilot, lambda: isinstance(app.screen, ClientSearchScreen), what="the search")
    screen = app.screen
    assert isinstance(screen, ClientSearchScreen)
    return screen


async def test_a_burst_of_keys_within_the_debounce_sends_one_query(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    CountingClients.queries = []
    app = _app(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _opened(app, pilot)
        # Wider than Pilot's gap between keys even on a loaded machine: the burst is
        # what is tested here, not the default's length.
        screen.debounce = 0.3
        await pilot.press(*"ann lee")
        await wait_until(pilot, lambda: screen.hits_for == "ann lee", what="the rows for ann lee")
        assert CountingClients.queries == ["ann lee"]


async def test_new_rows_come_with_the_cursor_on_the_first(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    CountingClients.queries = []
    app = _app(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _opened(app, pilot)
        table = screen.query_one("#search-results", DataTable)
        await pilot.press("a")
        await wait_until(pilot, lambda: screen.hits_for == "a", what="the rows for a")
        assert table.row_count >= 2
        await pilot.press("down")
        assert table.cursor_row == 1
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.hits_for == "an", what="the rows for an")
        assert table.row_count >= 2
        assert table.cursor_row == 0
        assert screen.hits[0].name == screen.hits[table.cursor_row].name
