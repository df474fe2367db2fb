"""The fault suite (issue 15, item 9): what a terminal sees, and what the books hold, when
the database or a terminal fails mid-write, and after many terminals work at once.

- a terminal SIGKILLed mid-write, then the same write retried with the same key;
- PostgreSQL ending the connection mid-session (`pg_terminate_backend`);
- SQLite opened read-only, and SQLite full (`PRAGMA max_page_count`);
- the soak: terminals doing random desk work, the books audited after. A few seconds of
  it run here; the two-minute, eight-terminal one runs with `-m soak` (see README).

Every wait is bounded: a stuck worker is killed by a watchdog and fails its test.
"""

from __future__ import annotations

import os

import pytest

from frontdesk.services.context import ServiceContext
from tests.services.soak import SoakCounts, run_soak

SOAK_SECONDS = float(os.environ.get("FRONTDESK_SOAK_SECONDS", "120"))


def assert_clean(counts: SoakCounts) -> None:
    print(f"\nsoak: {counts.line()}")
    assert counts.operations > 0
    assert counts.errors == {}, counts.errors
    assert (counts.lost, counts.double_spent) == (0, 0), counts.problems


async def test_a_short_soak_loses_nothing_and_spends_nothing_twice(
    db_url: str, ctx: ServiceContext
) -> None:
    assert_clean(await run_soak(ctx, db_url, terminals=4, seconds=3))


@pytest.mark.soak
async def test_eight_terminals_for_two_minutes_lose_nothing_and_spend_nothing_twice(
    db_url: str, ctx: ServiceContext
) -> None:
    assert_clean(await run_soak(ctx, db_url, terminals=8, seconds=SOAK_SECONDS))
