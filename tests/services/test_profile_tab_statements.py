"""Statement budgets for the client profile's first look (issue 19): what Enter on a
search hit reads before the balances show, and what each tab reads the first time it is
shown, as the tab asks for it (screens/profile_tabs/*.py `load`). A tab is one or two
read transactions, its lists paged; a new query on one of these paths shows here.

Counts are statements proper (tests/statements.py) with a warm pool, never timings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest

from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.permissions import ROLE_PERMISSIONS, Perm, Role
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.world import World, build_world
from tests.statements import count_statements

NOW = dt.datetime(2025, 11, 23, 9, 0)
PAGE = 50  # the tabs' page (screens/profile_tabs: activity, ledger_history)

# Enter on a hit: the header (its badges and who is signed in one statement), the
# balances and the next appointments in one read transaction (were 2 and 8). The client row
# once, the store once, the upcoming ids (two more when there are some: their rows).
OPENING = 6
OPENING_TRANSACTIONS = 1

Load = Callable[[Desk, World], Awaitable[object]]


async def account(desk: Desk, w: World) -> None:
    # The balances and the Account balance section's first page, in one read; the other
    # four sections are read when first shown.
    await desk.balances.with_history(w.client, StoredValueKind.ACCOUNT_MONEY, limit=PAGE)


async def activity(desk: Desk, w: World) -> None:
    await desk.catalog.store()
    await desk.profile.activity(w.client, offset=0, limit=PAGE)


async def rewards(desk: Desk, w: World) -> None:
    await desk.profile.prizes()
    await desk.profile.rewards(w.client, 0, PAGE)


async def attendance(desk: Desk, w: World) -> None:
    await desk.catalog.store()
    await desk.profile.attendance(w.client, now=NOW)


# tab: (its first load, read transactions, statements proper at most)
TABS: dict[str, tuple[Load, int, int]] = {
    "details": (lambda d, w: d.clients.summary(w.client), 1, 4),
    "notifications": (lambda d, w: d.profile.notification_prefs(w.client), 1, 2),
    "relationships": (lambda d, w: d.profile.relationships(w.client), 1, 2),
    "activity": (activity, 2, 6),
    "attendance": (attendance, 2, 7),
    "account": (account, 1, 6),
    "rewards": (rewards, 2, 5),
    "contact": (lambda d, w: d.profile.contact_history(w.client, 0, PAGE), 1, 3),
    "documents": (lambda d, w: d.profile.documents(w.client), 1, 2),
    "transformation": (lambda d, w: d.profile.transformation_log(w.client), 1, 3),
    "goals": (lambda d, w: d.profile.goals(w.client), 1, 3),
}


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    w = await build_world(ctx)
    desk = Desk(ctx.as_staff(w.owner))
    await desk.balances.adjust_wallet(w.client, Decimal("40"), "Goodwill", key=new_key())
    return w


async def test_opening_a_profile_is_one_read(ctx: ServiceContext, world: World) -> None:
    desk = Desk(ctx.as_staff(world.owner))
    await desk.profile.opening(world.client, world.location, NOW)  # warm the pool
    with count_statements(ctx.engine) as seen:
        opened = await desk.profile.opening(world.client, world.location, NOW)
    assert opened.summary.wallet_balance == Decimal("40.00")
    assert opened.may == await desk.staff.mine()
    assert opened.header.client_id == world.client
    print("profile opening", seen.report())
    assert seen.kinds["BEGIN"] == OPENING_TRANSACTIONS, seen.report()
    assert seen.proper <= OPENING, seen.report()


@pytest.mark.parametrize("tab", list(TABS))
async def test_a_tab_first_load_is_one_or_two_reads(
    ctx: ServiceContext, world: World, tab: str
) -> None:
    load, transactions, budget = TABS[tab]
    desk = Desk(ctx.as_staff(world.owner))
    await load(desk, world)  # warm the pool
    with count_statements(ctx.engine) as seen:
        await load(desk, world)
    print(tab, seen.report())
    assert seen.kinds["BEGIN"] == transactions <= 2, seen.report()
    assert seen.proper <= budget, seen.report()


async def test_the_opening_reads_who_may_do_what_each_time(
    ctx: ServiceContext, world: World
) -> None:
    """The opening carries the signed-in person's permissions as this read finds them:
    a manager's change counts at the next open; nobody signed in may do nothing."""
    desk = Desk(ctx.as_staff(world.therapist))
    before = await desk.profile.opening(world.client, world.location, NOW)
    assert Perm.ADJUST_BALANCES not in before.may
    await Desk(ctx.as_staff(world.owner)).team.set_role(world.therapist, "front_desk")
    after = await desk.profile.opening(world.client, world.location, NOW)
    assert after.may == ROLE_PERMISSIONS[Role.FRONT_DESK] == await desk.staff.mine()
    nobody = await Desk(ctx.as_staff(None)).profile.opening(world.client, world.location, NOW)
    assert nobody.may == frozenset()
