"""One terminal starting up, run as its own process by test_migration_lock.py.

`python -m tests.services.migration_worker URL`: imports everything, prints "ready",
waits for a line on stdin (so every terminal starts together), then runs the CLI's
start-up path (`startup.prepare`) and reads the store. Prints one JSON line: whether
this terminal ran the upgrade, the revision it found, the store's locations."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from frontdesk import startup
from frontdesk.db import migrate
from frontdesk.db.engine import create_engine
from frontdesk.db.schema_version import stored_revision
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk


async def start(url: str) -> dict[str, Any]:
    upgraded: list[bool] = []
    real_upgrade = migrate.upgrade

    async def counted(*args: Any, **kwargs: Any) -> bool:
        # The start-up path as it is; only the answer "did this call migrate?" is kept.
        ran = await real_upgrade(*args, **kwargs)
        upgraded.append(ran)
        return ran

    migrate.upgrade = counted
    prepared = await startup.prepare(url)
    engine = create_engine(url)
    try:
        desk = Desk(ServiceContext.create(engine, terminal="worker"))
        locations = [loc.name for loc in await desk.catalog.locations()]
        revision = await stored_revision(engine)
    finally:
        await engine.dispose()
    return {
        "prepared": prepared,
        "upgraded": any(upgraded),
        "upgrade_calls": len(upgraded),
        "revision": revision,
        "locations": locations,
    }


def main() -> None:
    url = sys.argv[1]
    print("ready", flush=True)
    sys.stdin.readline()
    print(json.dumps(asyncio.run(start(url))), flush=True)


if __name__ == "__main__":
    main()
