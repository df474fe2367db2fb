"""`frontdesk demo seed --currency JPY --locale ja_JP`: the demo in another currency, every
amount converted (whole, tidy yen), the ledger whole, the store's pair what was asked."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.cli import main
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import (
    LedgerEntry,
    MembershipPlan,
    Product,
    PromotionCode,
    Service,
    StoreSettings,
)
from frontdesk.services.audit import verify_ledger
from frontdesk.services.context import ServiceContext
from tests.cli.demo_db import url_of
from tests.cli.test_cli import assert_one_line_error, run


async def _read(url: str) -> dict[str, object]:
    engine = create_engine(url)
    try:
        ctx = ServiceContext.create(engine, terminal="t")
        async with ctx.read() as s:
            store = await s.get(StoreSettings, 1)
            assert store is not None
            prices = {r.name: r.price_minor for r in (await s.scalars(select(Service)))}
            units = {r.name: r.unit_price_minor for r in (await s.scalars(select(Product)))}
            plans = [r.price_minor for r in (await s.scalars(select(MembershipPlan)))]
            spring = await s.scalar(select(PromotionCode).where(PromotionCode.code == "SPRING5"))
            money_entries = [
                e.amount
                for e in await s.scalars(select(LedgerEntry))
                if e.description == "Welcome credit: new client offer"
            ]
        audit = await verify_ledger(ctx)
        return {
            "pair": (store.currency, store.locale),
            "threshold": store.approval_threshold_minor,
            "prices": prices,
            "units": units,
            "plans": plans,
            "spring": (spring.fixed_minor, spring.description) if spring else None,
            "welcome": money_entries,
            "whole": audit.whole,
        }
    finally:
        await engine.dispose()


def test_demo_seed_in_jpy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = url_of(tmp_path / "yen.db")
    args = ["demo", "seed", "--database", url, "--clients", "30", "--currency", "JPY"]
    assert main([*args, "--locale", "ja_JP"]) == 0
    assert "seeded 30 clients" in capsys.readouterr().out
    seen = asyncio.run(_read(url))
    assert seen["pair"] == ("JPY", "ja_JP")
    # £90 facial, £9 a Botox unit, £79 plan, £100 threshold at ¥200 to the pound.
    prices = seen["prices"]
    assert isinstance(prices, dict) and prices["Signature Facial"] == 18_000
    units = seen["units"]
    assert isinstance(units, dict) and units["Botox"] == 1_800
    plans = seen["plans"]
    assert isinstance(plans, list) and 15_800 in plans
    assert seen["threshold"] == 20_000
    assert all(v % 10 == 0 for v in [*prices.values(), *units.values(), *plans])
    assert seen["spring"] == (1_000, "Spring offer: ￥1,000 off")
    assert seen["whole"] is True


def test_the_demo_keeps_its_own_gbp_when_not_told(tmp_path: Path) -> None:
    url = url_of(tmp_path / "gbp.db")
    assert main(["demo", "seed", "--database", url, "--clients", "5"]) == 0
    seen = asyncio.run(_read(url))
    assert seen["pair"] == ("GBP", "en_GB")
    prices = seen["prices"]
    assert isinstance(prices, dict) and prices["Signature Facial"] == 9_000
    assert seen["spring"] == (500, "Spring offer: £5.00 off")


def test_demo_seed_refuses_an_unknown_currency(tmp_path: Path) -> None:
    result = run(
        "demo", "seed", "--database", url_of(tmp_path / "x.db"), "--currency", "YEN",
        "--locale", "ja_JP",
    )  # fmt: skip
    assert_one_line_error(result, "unknown currency code")
    assert not (tmp_path / "x.db").exists()
