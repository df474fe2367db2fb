"""The client search screen finds a surname by its second word, a name typed without its
apostrophe and a phone by its last digits (issue 14, item 2), as staff type them."""

from __future__ import annotations

import pytest

from frontdesk.db.engine import create_engine
from frontdesk.services.context import ServiceContext
from tests.screens.profile_fixtures import SIZE, build_profile_clinic_at
from tests.screens.test_search_screen import answered, names, search_app, search_open
from tests.services.factories import make_client
from tests.waiting import wait_until

PEOPLE = (
    ("Seán", "Ó Briain", "07700 900771"),
    ("Aoife", "Mac Giolla", "+44 7700 900882"),
    ("Liam", "O'Connor", "(07700) 900-993"),
)


@pytest.fixture
async def people(sqlite_url: str) -> dict[str, int]:
    await build_profile_clinic_at(sqlite_url)
    ctx = ServiceContext.create(create_engine(sqlite_url), terminal="setup")
    try:
        made = {}
        for first, last, phone in PEOPLE:
            client = await make_client(ctx, first_name=first, last_name=last, phone=phone)
            made[f"{first} {last}"] = client.id
        return made
    finally:
        await ctx.dispose()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("briain", "Seán Ó Briain"),  # the second word of a two-word surname, alone
        ("giolla", "Aoife Mac Giolla"),
        ("oconnor", "Liam O'Connor"),  # typed without its apostrophe
        ("0882", "Aoife Mac Giolla"),  # the last digits of a phone number
        ("900 993", "Liam O'Connor"),
    ],
)
async def test_the_search_screen_finds_them_as_typed(
    sqlite_url: str, people: dict[str, int], typed: str, expected: str
) -> None:
    app = search_app(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await search_open(pilot)
        await pilot.press(*typed)
        await wait_until(pilot, lambda: answered(app, typed), what=f"the rows for {typed!r}")
        assert names(app) == [expected]
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.results, what="the search closed with a client")
        assert app.results == [people[expected]]
