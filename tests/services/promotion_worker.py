"""Runs in a separate process: several tasks completing tickets with one promotion code."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from frontdesk.db.engine import create_engine
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import ValidationError
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput


def run(
    url: str,
    staff_id: int,
    client_id: int,
    service_id: int,
    code: str,
    card: str,
    tasks: int,
    tag: str,
) -> list[str]:
    """One outcome per task: "ok", the field message it was refused with, or the error."""
    return asyncio.run(_run(url, staff_id, client_id, service_id, code, Decimal(card), tasks, tag))


async def _run(
    url: str,
    staff_id: int,
    client_id: int,
    service_id: int,
    code: str,
    card: Decimal,
    tasks: int,
    tag: str,
) -> list[str]:
    ctx = ServiceContext.create(create_engine(url), terminal=f"proc-{tag}", staff_id=staff_id)

    async def one(n: int) -> str:
        try:
            await Desk(ctx).till.complete(
                CheckoutInput(
                    idempotency_key=f"{tag}-{code}-{n}",
                    client_id=client_id,
                    lines=(LineInput(kind=LineKind.SERVICE, service_id=service_id),),
                    promotion_code=code,
                    tenders=(TenderInput(method="card", amount=card),),
                )
            )
            return "ok"
        except ValidationError as exc:
            return f"{exc.field}: {exc}"
        except Exception as exc:  # reported, never hidden: the test asserts none of these
            return f"error {type(exc).__name__}: {exc}"

    try:
        return list(await asyncio.gather(*(one(n) for n in range(tasks))))
    finally:
        await ctx.dispose()
