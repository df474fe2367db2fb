"""The benchmark command's pure parts (issue 19), in the default run: the maths, the
table, the JSON, and that frontdesk's captured statements replayed through the raw
drivers leave the copy in frontdesk's state. No timing is asserted."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Client
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.benchmarks.capture import (
    Capture,
    Statement,
    replay_aiosqlite,
    replay_sqlite3,
    shape,
    sqlite_copy,
    table_counts,
)
from tests.benchmarks.harness import Figure, Goal, Spread, interleaved, number, table, write_json
from tests.services.factories import make_client, make_staff, make_store


def test_spread_and_ratio_use_medians() -> None:
    assert Spread.of([3.0, 1.0, 2.0, 10.0]) == Spread(1.0, 2.5, 10.0)
    f = Figure("x", "s", [1.0, 2.0, 9.0], [1.0, 1.0, 4.0], "bare")
    assert f.ratio() == 2.0
    assert Figure("x", "s", [1.0]).ratio() is None
    assert Figure("x", "B/s", [5.0], [0.0], "bare").ratio() is None
    with pytest.raises(ValueError):
        Spread.of([])


def test_goals_say_met_or_not() -> None:
    assert Figure("a", "s", [2.0], [1.0], "b", Goal("ratio_max", 2.5)).met() is True
    assert Figure("a", "s", [3.0], [1.0], "b", Goal("ratio_max", 2.5)).met() is False
    assert Figure("a", "/s", [40.0], [100.0], "b", Goal("ratio_min", 0.5)).met() is False
    assert Figure("a", "/s", [60.0], [100.0], "b", Goal("ratio_min", 0.5)).met() is True
    assert Figure("a", "s", [0.2, 0.3, 0.9], goal=Goal("max", 0.25)).met() is False
    assert Figure("a", "B/s", [0.0, 0.0, 82.0], goal=Goal("max", 0)).met() is True
    assert Figure("a", "s", [1.0]).met() is None


def test_interleaving_swaps_the_order_every_round() -> None:
    calls: list[str] = []

    def side(name: str) -> str:
        calls.append(name)
        return name

    a, b = interleaved(4, lambda: side("A"), lambda: side("B"))
    assert calls == ["A", "B", "B", "A", "A", "B", "B", "A"]
    assert a == ["A"] * 4 and b == ["B"] * 4


def test_table_fits_80_columns_and_json_round_trips(tmp_path: Path) -> None:
    figures = [
        Figure(
            "launch → today's rows (with sign-in), a long measure name",
            "s",
            [1.234, 1.1, 1.5],
            [0.4, 0.41, 0.39],
            "bare app",
            Goal("ratio_max", 2.5),
            note="a note " * 20,
        ),
        Figure(
            "checkouts/s, sqlite", "/s", [57.0], [228.0], "raw aiosqlite", Goal("ratio_min", 0.5)
        ),
    ]
    printed = table(figures)
    assert max(len(line) for line in printed.splitlines()) <= 80
    assert f"{number(1.234 / 0.4)}×" in printed and "NO" in printed
    assert "0.390 / 0.400 / 0.410 s" in printed and "0.250×" in printed
    out = tmp_path / "r" / "latest.json"
    write_json(out, figures, {"rounds": 3})
    body = json.loads(out.read_text())
    assert body["meta"] == {"rounds": 3}
    first = body["figures"][0]
    assert first["ours"]["median"] == 1.234 and first["baseline"]["min"] == 0.39
    assert first["met"] is False and first["goal"] == "≤ 2.5×"


def test_numbers_keep_three_figures() -> None:
    assert [number(v) for v in (0, 0.01234, 1.234, 12.34, 1234.5)] == [
        "0",
        "0.012",
        "1.23",
        "12.3",
        "1,234",
    ]


async def test_captured_statements_replayed_raw_leave_the_same_rows(tmp_path: Path) -> None:
    """frontdesk posts to a wallet on database A while Capture listens; the very
    statements replayed through aiosqlite on B and sqlite3 on C (both copies of A from
    before) leave every table with A's row count, and the shape counts them."""
    path_a = tmp_path / "a.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path_a}")

    try:
        await migrate.upgrade(engine)
        ctx = ServiceContext.create(engine, terminal="bench-test")
        await make_store(ctx)
        owner = await make_staff(ctx, role="owner")
        client = await make_client(ctx)
        sqlite_copy(str(path_a), str(tmp_path / "b.db"))
        sqlite_copy(str(path_a), str(tmp_path / "c.db"))
        desk = Desk(ctx.as_staff(owner.id))
        with Capture(engine) as cap:
            for _ in range(3):
                await desk.balances.adjust_wallet(client.id, Decimal("2"), "Smoke", key=new_key())
        async with ctx.read() as s:
            assert await s.scalar(select(Client.id)) == client.id
    finally:
        await engine.dispose()
    events = cap.events
    await replay_aiosqlite(str(tmp_path / "b.db"), events)
    replay_sqlite3(str(tmp_path / "c.db"), events)
    counts = table_counts(str(path_a))
    assert counts["ledger_entries"] == 3
    assert table_counts(str(tmp_path / "b.db")) == counts
    assert table_counts(str(tmp_path / "c.db")) == counts
    kinds = shape(events)
    assert kinds["commit"] >= 3 and kinds["INSERT"] >= 3
    assert all(isinstance(e, Statement | str) for e in events)
