"""Client search by name (any order, prefix, accents ignored), phone, email, number."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from frontdesk.domain.normalize import digits, fold
from frontdesk.services.clients import search_query
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.factories import make_client, make_store

PEOPLE = [
    ("Amelia", "Hart", "07700 900001", "amelia.hart@example.com"),
    ("Amelia", "Stone", "+44 7700 900002", "amelia.s@example.org"),
    ("Harriet", "Amesbury", "(07700) 900-003", "h.a@example.net"),
    ("Zoë", "Ångström", "07700 900004", "zoe@example.com"),
    ("Søren", "Østergaard", "07700 900005", "soren@example.dk"),
    ("王", "芳", "07700 900006", "wang@example.cn"),
]


@pytest.fixture
async def people(ctx: ServiceContext) -> dict[str, int]:
    await make_store(ctx)
    ids = {}
    for first, last, phone, email in PEOPLE:
        c = await make_client(ctx, first_name=first, last_name=last, phone=phone, email=email)
        ids[f"{first} {last}"] = c.id
    return ids


async def names(ctx: ServiceContext, query: str) -> list[str]:
    return [h.name for h in await Desk(ctx).clients.search(query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("am", ["Harriet Amesbury", "Amelia Hart", "Amelia Stone"]),  # first or last
        ("AMELIA", ["Amelia Hart", "Amelia Stone"]),
        ("amelia h", ["Amelia Hart"]),
        ("hart amelia", ["Amelia Hart"]),  # any order
        ("h am", ["Harriet Amesbury", "Amelia Hart"]),
        ("zoe", ["Zoë Ångström"]),  # accents ignored
        ("angstr", ["Zoë Ångström"]),
        ("oster", ["Søren Østergaard"]),  # letters with no decomposition
        ("王", ["王 芳"]),
        ("07700 900-00", [p[0] + " " + p[1] for p in PEOPLE]),  # formatting ignored
        ("077009000", [p[0] + " " + p[1] for p in PEOPLE]),
        ("+44 7700 900002", ["Amelia Stone"]),
        ("07700900002", ["Amelia Stone"]),
        ("amelia.s@", ["Amelia Stone"]),
        ("AMELIA.HART@EXAMPLE.COM", ["Amelia Hart"]),
        ("nobody", []),
        ("   ", []),
    ],
)
async def test_search(
    ctx: ServiceContext, people: dict[str, int], query: str, expected: list[str]
) -> None:
    assert sorted(await names(ctx, query)) == sorted(expected)


async def test_search_by_client_number(ctx: ServiceContext, people: dict[str, int]) -> None:
    summary = await Desk(ctx).clients.summary(people["Amelia Hart"])
    number = summary.client_number
    assert [h.id for h in await Desk(ctx).clients.search(number)] == [summary.id]
    assert [h.id for h in await Desk(ctx).clients.search(number.lower())] == [summary.id]
    c = await make_client(ctx, first_name="Numbered", client_number="C000123")
    for typed in ("C000123", "c000123", "123", "000123"):
        assert c.id in [h.id for h in await Desk(ctx).clients.search(typed)], typed


async def test_results_ordered_by_last_name_and_limited(ctx: ServiceContext) -> None:
    await make_store(ctx)
    for i in range(30):
        await make_client(ctx, first_name=f"Sam{i:02d}", last_name=f"Sa{29 - i:02d}")
    hits = await Desk(ctx).clients.search("sa", limit=10)
    assert [h.last_name for h in hits] == [f"Sa{i:02d}" for i in range(10)]
    assert len({h.id for h in hits}) == 10  # matches on both names appear once


def test_normalisation() -> None:
    assert fold("  Zoë ÅNGSTRÖM ") == "zoe angstrom"
    assert fold("Łukasz Æbelø") == "lukasz aebelo"
    assert digits("+44 7700 900123") == digits("07700 900123") == "07700900123"
    assert digits("0044 7700 900123") == "07700900123"
    assert digits("٣٣٣") == ""


async def test_sqlite_search_uses_indexes_only(sqlite_url: str) -> None:
    from frontdesk.db.engine import create_engine

    ctx = ServiceContext.create(create_engine(sqlite_url), terminal="t")
    try:
        for query in ("mar", "daniel mar", "07700 9", "a@b", "C000123"):
            found = search_query(query)
            assert found is not None
            stmt = found[0].params(found[1])  # the values bound in, for EXPLAIN
            async with ctx.read() as s:
                compiled = stmt.compile(s.bind, compile_kwargs={"literal_binds": True})
                plan = (await s.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))).all()
            details = [row[-1] for row in plan]
            scans = [d for d in details if d.startswith("SCAN clients")]
            assert not scans, (query, details)
            assert any("USING" in d and "INDEX" in d for d in details), (query, details)
    finally:
        await ctx.dispose()
