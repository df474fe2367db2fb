"""What holds clients' details is readable by its owner only (issue 13, item 7): the
SQLite database and its WAL 0600, the receipts folder 0700 and its files 0600."""

from __future__ import annotations

import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.test_receipts import full_ticket
from tests.services.world import build_world

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX permissions")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_new_database_and_its_wal_are_the_owners_only(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await migrate.upgrade(engine)
        ctx = ServiceContext.create(engine, terminal="t")
        world = await build_world(ctx)
        desk = Desk(ctx.as_staff(world.desk))
        await desk.balances.adjust_wallet(world.client, Decimal(5), "Goodwill", key=new_key())
        assert Path(f"{path}-wal").exists()
        assert (mode(path), mode(Path(f"{path}-wal"))) == (0o600, 0o600)
    finally:
        await engine.dispose()


async def test_an_older_database_left_readable_is_made_the_owners_only(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    assert mode(path) == 0o600


async def test_receipts_folder_and_files_are_the_owners_only(
    tmp_path: Path, receipts_folder: Path
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}")
    try:
        await migrate.upgrade(engine)
        ctx = ServiceContext.create(engine, terminal="t")
        ticket_id = await full_ticket(ctx, await build_world(ctx))
    finally:
        await engine.dispose()
    receipt = receipts_folder / f"{ticket_id}.txt"
    assert receipt.exists()
    assert (mode(receipts_folder), mode(receipt)) == (0o700, 0o600)
