"""Search by any word of a name, without apostrophes or hyphens, and by a phone's last
digits (issue 14), on both engines; and every writer keeps the words right."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from sqlalchemy import Table, delete, insert, select, text

from frontdesk.db.tables import Client, ClientNameWord
from frontdesk.db.tables.client_index import reindex_clients
from frontdesk.domain.normalize import digits, fold
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.factories import make_client, make_store

PEOPLE = [
    ("Seán", "Ó Briain", "07700 900001"),
    ("Aoife", "Mac Giolla", "+44 7700 900102"),
    ("Liam", "O'Connor", "(07700) 900-203"),
    ("Ruth", "Smith-Jones", "07700900304"),
    ("Mary Ann", "Hart", "07700 900405"),
    ("Olivia", "Connor", "07700 911111"),
    ("Brian", "Briars", ""),
]


@pytest.fixture
async def people(ctx: ServiceContext) -> dict[str, int]:
    await make_store(ctx)
    ids = {}
    for first, last, phone in PEOPLE:
        c = await make_client(ctx, first_name=first, last_name=last, phone=phone)
        ids[f"{first} {last}"] = c.id
    return ids


async def names(ctx: ServiceContext, query: str) -> list[str]:
    return sorted(h.name for h in await Desk(ctx).clients.search(query))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # the second word of a two-word surname, alone
        ("briain", ["Seán Ó Briain"]),
        ("bria", ["Brian Briars", "Seán Ó Briain"]),
        ("giolla", ["Aoife Mac Giolla"]),
        ("GIOL", ["Aoife Mac Giolla"]),
        # the whole surname, with or without its accent and space
        ("Ó Briain", ["Seán Ó Briain"]),
        ("o briain", ["Seán Ó Briain"]),
        ("obriain", ["Seán Ó Briain"]),
        ("mac giolla", ["Aoife Mac Giolla"]),
        ("macgiolla", ["Aoife Mac Giolla"]),
        # no apostrophe, a typographic one, the part after it
        ("oconnor", ["Liam O'Connor"]),
        ("ocon", ["Liam O'Connor"]),
        ("o'connor", ["Liam O'Connor"]),
        ("O’Connor", ["Liam O'Connor"]),
        ("connor", ["Liam O'Connor", "Olivia Connor"]),
        ("o connor", ["Liam O'Connor", "Olivia Connor"]),
        # hyphens
        ("jones", ["Ruth Smith-Jones"]),
        ("smithjones", ["Ruth Smith-Jones"]),
        ("smith-jo", ["Ruth Smith-Jones"]),
        ("smith jones", ["Ruth Smith-Jones"]),
        # names in any order, with a later word of either name
        ("sean briain", ["Seán Ó Briain"]),
        ("briain seán", ["Seán Ó Briain"]),
        ("aoife giolla", ["Aoife Mac Giolla"]),
        ("giolla mac aoife", ["Aoife Mac Giolla"]),
        ("liam oconnor", ["Liam O'Connor"]),
        ("ann hart", ["Mary Ann Hart"]),
        ("mary hart", ["Mary Ann Hart"]),
        ("mary ann hart", ["Mary Ann Hart"]),
        ("maryann", ["Mary Ann Hart"]),
        ("liam briain", []),
        # a phone number by its last digits, as well as from the start
        ("0001", ["Seán Ó Briain"]),
        ("900 102", ["Aoife Mac Giolla"]),
        ("203", ["Liam O'Connor"]),
        ("1111", ["Olivia Connor"]),
        ("07700 9003", ["Ruth Smith-Jones"]),
        ("+44 7700 900405", ["Mary Ann Hart"]),
        ("7700 900405", ["Mary Ann Hart"]),
    ],
)
async def test_search_finds(
    ctx: ServiceContext, people: dict[str, int], query: str, expected: list[str]
) -> None:
    assert await names(ctx, query) == expected


async def test_renaming_in_profile_details_moves_the_words(
    ctx: ServiceContext, people: dict[str, int]
) -> None:
    client_id = people["Liam O'Connor"]
    await Desk(ctx).profile.update_details(
        client_id,
        current_location_id=None,
        first_name="Liam",
        last_name="Ní Dhomhnaill",
        phone="07700 955555",
        email="",
        birthday="",
        notes="",
        today=dt.date(2026, 12, 1),
    )
    assert await names(ctx, "oconnor") == []
    assert await names(ctx, "0203") == []
    assert await names(ctx, "dhomhnaill") == ["Liam Ní Dhomhnaill"]
    assert await names(ctx, "5555") == ["Liam Ní Dhomhnaill"]
    assert await _words(ctx, client_id) == ["dhomhnaill", "nidhomhnaill"]


async def test_other_edits_leave_the_words_alone(
    ctx: ServiceContext, people: dict[str, int]
) -> None:
    client_id = people["Seán Ó Briain"]
    await Desk(ctx).profile.update_details(
        client_id,
        current_location_id=None,
        first_name="Seán",
        last_name="Ó Briain",
        phone="07700 900001",
        email="sean@example.ie",
        birthday="",
        notes="Prefers Tuesdays",
        today=dt.date(2026, 12, 1),
    )
    assert await _words(ctx, client_id) == ["briain", "obriain"]
    assert await names(ctx, "briain") == ["Seán Ó Briain"]


async def test_deleting_a_client_deletes_its_words(
    ctx: ServiceContext, people: dict[str, int]
) -> None:
    async with ctx.transaction() as s:
        await s.execute(delete(Client).where(Client.id == people["Aoife Mac Giolla"]))
    async with ctx.read() as s:
        left = (await s.execute(select(ClientNameWord.client_id))).scalars().all()
    assert people["Aoife Mac Giolla"] not in left
    assert await names(ctx, "giolla") == []


async def test_core_writers_reindex_what_they_wrote(ctx: ServiceContext) -> None:
    """A bulk Core insert runs no mapper events: `reindex_clients` puts the words and
    phone tails of the rows it names right (as the migration did for existing ones)."""
    await make_store(ctx)
    rows: list[dict[str, Any]] = [
        {
            "client_number": f"B{i:06d}",
            "first_name": first,
            "last_name": last,
            "search_first": fold(first),
            "search_last": fold(last),
            "phone": phone,
            "phone_digits": digits(phone),
            "email_lower": "",
        }
        for i, (first, last, phone) in enumerate(PEOPLE)
    ]
    async with ctx.transaction() as s:
        await s.execute(insert(cast(Table, Client.__table__)), rows)
    assert await names(ctx, "giolla") == []  # not yet
    async with ctx.transaction() as s:
        ids = list((await s.execute(select(Client.id))).scalars())
        assert await reindex_clients(s, ids) == len(PEOPLE)
    assert await names(ctx, "giolla") == ["Aoife Mac Giolla"]
    assert await names(ctx, "0001") == ["Seán Ó Briain"]
    async with ctx.transaction() as s:  # again, over all clients: the same words
        assert await reindex_clients(s) == len(PEOPLE)
    assert await names(ctx, "oconnor") == ["Liam O'Connor"]


async def _words(ctx: ServiceContext, client_id: int) -> list[str]:
    async with ctx.read() as s:
        found = await s.execute(
            select(ClientNameWord.word)
            .where(ClientNameWord.client_id == client_id)
            .order_by(ClientNameWord.word)
        )
        return list(found.scalars())


async def test_the_demo_writes_every_clients_words_and_phone_tail(ctx: ServiceContext) -> None:
    """The demo inserts clients with Core (no mapper events): its own words and tails
    must equal what the events would have written."""
    from frontdesk.db.tables.client_index import word_rows
    from frontdesk.demo.seed import seed_demo
    from frontdesk.domain.normalize import phone_tail

    await seed_demo(ctx, clients=300, seed=1, today=dt.date(2026, 12, 1))
    async with ctx.read() as s:
        clients = (await s.execute(select(Client))).scalars().all()
        stored = set((await s.execute(select(ClientNameWord.client_id, ClientNameWord.word))).all())
    expected = {
        (w["client_id"], w["word"])
        for c in clients
        for w in word_rows(c.id, c.search_first, c.search_last)
    }
    assert stored == expected and len(expected) > 10
    assert all(c.phone_tail == phone_tail(c.phone_digits) for c in clients)
    assert "Siobhán Ó Briain" in await names(ctx, "briain")


async def test_migration_0009_backfills_existing_clients(db_url: str) -> None:
    """Clients written before 0009 get their words and phone tails from the upgrade."""
    from frontdesk.db import migrate
    from frontdesk.db.engine import create_engine

    engine = create_engine(db_url)
    try:
        await migrate.downgrade(engine, "0008")
        async with engine.begin() as conn:
            for i, (first, last, phone) in enumerate(PEOPLE):
                await conn.execute(
                    text(
                        "INSERT INTO clients (client_number, first_name, last_name, phone, "
                        "email, notes, search_first, search_last, phone_digits, email_lower, "
                        "created_at) VALUES (:n, :f, :l, :p, '', '', :sf, :sl, :pd, '', :at)"
                    ),
                    {
                        "n": f"M{i:06d}",
                        "f": first,
                        "l": last,
                        "p": phone,
                        "sf": fold(first),
                        "sl": fold(last),
                        "pd": digits(phone),
                        "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                    },
                )
        await migrate.upgrade(engine)
        ctx = ServiceContext.create(engine, terminal="test-desk")
        assert await names(ctx, "giolla") == ["Aoife Mac Giolla"]
        assert await names(ctx, "oconnor") == ["Liam O'Connor"]
        assert await names(ctx, "900102") == ["Aoife Mac Giolla"]
        async with ctx.read() as s:
            tails = dict((await s.execute(select(Client.phone, Client.phone_tail))).all())
        assert tails == {p: digits(p)[::-1] for _, _, p in PEOPLE}
    finally:
        await migrate.upgrade(engine)
        await engine.dispose()
