"""Client search: each field the service matches, the empty state, keys, and stale answers."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from frontdesk.services.clients import Clients
from frontdesk.views import ClientHit
from screens.new_client import NewClientScreen
from screens.search import COLUMN_WIDTHS, ClientSearchScreen
from screens.widgets.cells import fit
from tests.desks import NO_AREAS, Areas
from tests.screens.profile_fixtures import (
    ANN_EMAIL,
    ANN_NUMBER,
    MARKUP_FIRST,
    MARKUP_LAST,
    SIZE,
    ProfileClinic,
    ProfileHost,
    build_profile_clinic_at,
    text_of,
)
from tests.waiting import wait_until


@pytest.fixture
async def clinic(sqlite_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(sqlite_url)


def search_app(url: str, areas: Areas = NO_AREAS) -> ProfileHost:
    return ProfileHost(url, lambda desk: ClientSearchScreen(desk), areas=areas)


def rows(app: ProfileHost) -> list[tuple[str, ...]]:
    table: DataTable[Text] = app.screen.query_one("#search-results", DataTable)
    if not table.display:
        return []
    return [
        tuple(cell.plain for cell in table.get_row_at(index)) for index in range(table.row_count)
    ]


def answered(app: ProfileHost, typed: str) -> bool:
    """The search is on top and its rows (or its empty message) answer `typed`."""
    screen = app.screen
    return isinstance(screen, ClientSearchScreen) and screen.hits_for == typed


async def search_open(pilot: Pilot[None]) -> None:
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, ClientSearchScreen), what="the search"
    )


def names(app: ProfileHost) -> list[str]:
    return [row[0] for row in rows(app)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ann lee", "Ann Lee"),
        ("lee ann", "Ann Lee"),  # reversed name
        ("07700 900-123", "Ann Lee"),  # phone with its own formatting
        ("07700", "Ann Lee"),  # the start of a phone number
        (ANN_EMAIL.upper(), "Ann Lee"),
        (ANN_NUMBER, "Ann Lee"),
    ],
)
async def test_finds_a_client_by_each_field(
    sqlite_url: str, clinic: ProfileClinic, typed: str, expected: str
) -> None:
    app = search_app(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await search_open(pilot)
        await pilot.press(*typed)
        await wait_until(pilot, lambda: answered(app, typed), what=f"the rows for {typed!r}")
        assert names(app)[:1] == [expected], rows(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.results, what="the search closed with a client")
        assert app.results == [clinic.ann_id]


async def test_row_shows_number_phone_and_email(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = search_app(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await search_open(pilot)
        await pilot.press(*"07700")
        await wait_until(pilot, lambda: answered(app, "07700"), what="the rows for 07700")
        assert rows(app) == [("Ann Lee", ANN_NUMBER, "07700 900123", ANN_EMAIL)]


async def test_markup_names_are_shown_literally(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = search_app(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await search_open(pilot)
        await pilot.press(*"C1003")
        await wait_until(pilot, lambda: answered(app, "C1003"), what="the rows for C1003")
        assert names(app) == [fit(f"{MARKUP_FIRST} {MARKUP_LAST}", COLUMN_WIDTHS["name"])]
        assert app.is_running  # the [@click=app.quit] in the name did nothing


async def test_down_and_enter_pick_the_highlighted_row(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = search_app(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await search_open(pilot)
        await pilot.press(*"ann")
        await wait_until(pilot, lambda: answered(app, "ann"), what="the rows for ann")
        found = names(app)
        assert found[:2] == ["Ann Lee", "Annabel Stone"], found
        await pilot.press("down", "down", "up", "down", "enter")
        await wait_until(pilot, lambda: app.results, what="the search closed with a client")
        hit = app.results[0]
        assert isinstance(hit, int) and hit != clinic.ann_id


async def test_no_match_says_so(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = search_app(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await search_open(pilot)
        await pilot.press(*"zzz")
        await wait_until(pilot, lambda: answered(app, "zzz"), what="the answer for zzz")
        assert rows(app) == []
        assert text_of(app, "#search-empty") == (
            "No match for “zzz” — ctrl+n or Enter to add a new client"
        )
        await pilot.press("enter")  # nothing to open: Enter offers to add them instead
        await wait_until(
            pilot, lambda: isinstance(app.screen, NewClientScreen), what="the New Client form"
        )
        await pilot.press("escape")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ClientSearchScreen), what="the search again"
        )
        assert app.results == []


async def test_escape_closes_with_none(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = search_app(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await search_open(pilot)
        await pilot.press(*"ann", "escape")
        await wait_until(pilot, lambda: app.results, what="the search closed")
        assert app.results == [None]


class SlowFirstClients(Clients):
    """The first query ("lee") is answered only after the newer one ("bob") was."""

    newer_answered: ClassVar[asyncio.Event | None] = None
    queries: ClassVar[list[str]] = []

    async def search(self, text: str, limit: int = 50) -> tuple[ClientHit, ...]:
        cls = type(self)
        if cls.newer_answered is None:
            cls.newer_answered = asyncio.Event()
        cls.queries.append(text)
        hits = await super().search(text, limit)
        if text == "lee":
            await cls.newer_answered.wait()
        else:
            cls.newer_answered.set()
        return hits


async def test_a_slow_older_search_never_overwrites_a_newer_one(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    SlowFirstClients.newer_answered = None
    SlowFirstClients.queries = []
    app = search_app(sqlite_url, {"clients": SlowFirstClients})
    async with app.run_test(size=SIZE) as pilot:
        await search_open(pilot)
        screen = app.screen
        assert isinstance(screen, ClientSearchScreen)
        screen.debounce = 0  # let "lee" reach the service before the next keystrokes
        box = screen.query_one("#search-input", Input)
        box.value = "lee"
        await wait_until(
            pilot,
            lambda: "lee" in SlowFirstClients.queries,
            what="the search for lee under way",
            workers=False,  # it waits on purpose until the newer search is answered
        )
        assert SlowFirstClients.queries == ["lee"]
        box.value = "bob"
        await wait_until(pilot, lambda: screen.hits_for == "bob", what="the rows for bob")
        assert SlowFirstClients.queries[-1] == "bob"
        assert screen.hits_for == "bob"
        assert names(app) == ["Bob Empty"]


async def test_enter_before_the_rows_arrive_opens_the_first_match(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    """A fast typist's "ann lee⏎": Enter lands during the debounce, before any rows."""
    app = search_app(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await search_open(pilot)
        screen = app.screen
        assert isinstance(screen, ClientSearchScreen)
        screen.debounce = 0.3
        await pilot.press(*"ann lee", "enter")
        assert app.results == []  # nothing to open yet
        await wait_until(pilot, lambda: app.results, what="the first match opened")
        assert app.results == [clinic.ann_id]


async def test_enter_then_more_typing_waits_for_another_enter(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = search_app(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await search_open(pilot)
        screen = app.screen
        assert isinstance(screen, ClientSearchScreen)
        screen.debounce = 0.3
        await pilot.press(*"ann", "enter", *" lee")
        await wait_until(pilot, lambda: answered(app, "ann lee"), what="the rows for ann lee")
        assert app.results == []
        assert names(app) == ["Ann Lee"]
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.results, what="the search closed with a client")
        assert app.results == [clinic.ann_id]
