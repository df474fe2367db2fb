"""Runs in a separate process: several tasks hammering the same stored value."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from frontdesk.db.engine import create_engine
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import Conflict, DatabaseBusy, InsufficientBalance
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from frontdesk.views.till import CheckoutInput, LineInput


def run(
    url: str,
    staff_id: int,
    what: str,
    client_id: int,
    item_ids: list[int],
    tasks: int,
    each: int,
    tag: str,
) -> dict[str, int]:
    return asyncio.run(_run(url, staff_id, what, client_id, item_ids, tasks, each, tag))


async def _run(
    url: str,
    staff_id: int,
    what: str,
    client_id: int,
    item_ids: list[int],
    tasks: int,
    each: int,
    tag: str,
) -> dict[str, int]:
    ctx = ServiceContext.create(create_engine(url), terminal=f"proc-{tag}", staff_id=staff_id)
    counts = {"ok": 0, "refused": 0, "locked": 0, "other": 0}

    async def one(task: int, i: int) -> None:
        try:
            if what == "wallet":
                await Desk(ctx).balances.adjust_wallet(
                    client_id, Decimal("-1.00"), "Spend", key=new_key()
                )
            elif what == "prepaid":
                await Desk(ctx).till.complete(
                    CheckoutInput(
                        idempotency_key=f"{tag}-{task}-{i}",
                        client_id=client_id,
                        lines=(LineInput(kind=LineKind.PREPAID_REDEEM, service_id=item_ids[0]),),
                    ),
                )
            elif what == "units":
                # item_ids: [product, appointment per attempt...]; one unit on each visit.
                appointment = item_ids[1 + task * each + i]
                await Desk(ctx).addons.add_to_service(
                    appointment,
                    [AddonSelection(item_ids[0], 1, 0, expected_owned=1)],
                    key=new_key(),
                )
            else:
                raise ValueError(what)
            counts["ok"] += 1
        except (InsufficientBalance, Conflict):
            counts["refused"] += 1
        except Exception as exc:  # counted, never hidden: the test asserts zero of these
            if isinstance(exc, DatabaseBusy) or "locked" in str(exc).lower():
                counts["locked"] += 1
            else:
                counts["other"] += 1
                print(f"unexpected: {type(exc).__name__}: {exc}")

    async def task(n: int) -> None:
        for i in range(each):
            await one(n, i)

    try:
        await asyncio.gather(*(task(n) for n in range(tasks)))
    finally:
        await ctx.dispose()
    return counts
