"""2 processes × 4 tasks spending the same value: nothing lost, nothing over-spent,
no "database is locked". Prints the counts (run with -s to see them)."""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

import pytest

from frontdesk.domain.checkout import LineKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services import concurrency_worker
from tests.services.factories import bank_units, make_appointment
from tests.services.world import assert_ledger_consistent, build_world

PROCESSES, TASKS, EACH = 2, 4, 40  # 320 attempts


async def hammer(
    url: str, staff_id: int, what: str, client_id: int, items: list[list[int]]
) -> dict[str, int]:
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(PROCESSES, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = await asyncio.gather(
            *(
                loop.run_in_executor(
                    pool,
                    concurrency_worker.run,
                    url,
                    staff_id,
                    what,
                    client_id,
                    items[p],
                    TASKS,
                    EACH,
                    f"{what}{p}",
                )
                for p in range(PROCESSES)
            )
        )
    total = {k: sum(p[k] for p in parts) for k in parts[0]}
    print(f"\n{what}: {total}")
    return total


@pytest.mark.parametrize("what", ["wallet", "prepaid", "units"])
async def test_concurrent_spending_loses_nothing(
    db_url: str, ctx: ServiceContext, what: str
) -> None:
    w = await build_world(ctx)
    # The manager: may adjust and take payments; a deduction below zero is refused as
    # unconfirmed (InsufficientBalance), which is what this test counts.
    ctx = ctx.as_staff(w.manager)
    start = 250
    if what == "wallet":
        await Desk(ctx).balances.adjust_wallet(
            w.client, Decimal(start), "Float for the test", key=new_key()
        )
        items = [[0]] * PROCESSES
    elif what == "units":
        await bank_units(ctx, client_id=w.client, product_id=w.botox, units=start)
        items = []
        for p in range(PROCESSES):
            visits = [
                (
                    await make_appointment(
                        ctx,
                        client_id=w.client,
                        service_id=w.botox_service,
                        staff_id=w.therapist,
                        location_id=w.location,
                        starts_at=dt.datetime(2026, 11, 1) + dt.timedelta(hours=p * 1000 + n),
                    )
                ).id
                for n in range(TASKS * EACH)
            ]
            items.append([w.botox, *visits])
    else:
        await Desk(ctx).till.complete(
            CheckoutInput(
                idempotency_key="buy",
                client_id=w.client,
                lines=(
                    LineInput(
                        kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=start, qty_used=0
                    ),
                ),
                tenders=(TenderInput(method="card", amount=Decimal(80 * start)),),
            ),
        )
        items = [[w.massage]] * PROCESSES
    counts = await hammer(db_url, w.manager, what, w.client, items)
    attempts = PROCESSES * TASKS * EACH
    assert counts["locked"] == 0 and counts["other"] == 0
    assert counts["ok"] == start  # every unit of value spent exactly once
    assert counts["refused"] == attempts - start
    summary = await Desk(ctx).clients.summary(w.client)
    left = {
        "wallet": summary.wallet_balance,
        "prepaid": sum(p.visits for p in summary.prepaid),
        "units": sum(b.units for b in summary.banked),
    }[what]
    assert left == 0
    await assert_ledger_consistent(ctx)
