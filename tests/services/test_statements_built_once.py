"""The hot writes build no statement per call (issue 19: Python per write): every
statement a warm posting or checkout sends was built once, at import or on first use,
and goes out with its values as parameters. Building one per call costs its
construction and its cache key on every write, more than some of the statements cost to
run. Counted by wrapping what builds a statement: a Core construct's `__init__` and the
generative step every `.where()`/`.values()`/`.returning()` takes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.sql.base import Generative
from sqlalchemy.sql.dml import Delete, Insert, Update
from sqlalchemy.sql.selectable import Select

from frontdesk.domain.checkout import LineKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.world import World, build_world

D = Decimal


@contextmanager
def statements_built(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    built: Counter[str] = Counter()
    for cls in (Select, Insert, Update, Delete):

        def init(
            self: Any, *a: Any, _orig: Any = cls.__init__, _n: str = cls.__name__, **k: Any
        ) -> None:
            built[_n] += 1
            _orig(self, *a, **k)

        monkeypatch.setattr(cls, "__init__", init)
    generate = Generative._generate

    def step(self: Any) -> Any:
        built["generative step"] += 1
        return generate(self)

    monkeypatch.setattr(Generative, "_generate", step)
    try:
        yield built
    finally:
        monkeypatch.undo()


async def test_a_warm_posting_builds_no_statement(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await build_world(ctx)
    desk = Desk(ctx.as_staff(world.desk))
    await desk.balances.adjust_wallet(world.client, D("50"), "Opening credit", key=new_key())
    with statements_built(monkeypatch) as built:
        await desk.balances.adjust_wallet(world.client, D("-5"), "Counted", key=new_key())
    assert built == Counter()


def _cash_ticket(world: World) -> CheckoutInput:
    line = LineInput(kind=LineKind.SERVICE, service_id=world.facial, staff_id=world.therapist)
    return CheckoutInput(
        idempotency_key=new_key(),
        client_id=world.client,
        lines=(line,),
        tenders=(TenderInput(method="cash", amount=D("200")),),  # cash may be over
    )


async def test_a_warm_checkout_and_its_receipt_build_no_statement(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await build_world(ctx)
    desk = Desk(ctx.as_staff(world.desk))
    await desk.till.complete(_cash_ticket(world))
    with statements_built(monkeypatch) as built:
        await desk.till.complete(_cash_ticket(world))
    assert built == Counter()
