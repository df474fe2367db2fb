"""A ticket that carries a visit's lines itself (the ticket screen does, to redeem the
visit's service from prepaid) is held to the same visit rules as one that names the
appointment: the visit is locked, must be the client's own and still open; on SQLite
and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import ValidationError
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.services.factories import make_appointment
from tests.services.world import World, build_world, ledger_rows

D = Decimal


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


def visit_ticket(w: World, appointment_id: int, client_id: int, key: str) -> CheckoutInput:
    line = LineInput(
        kind=LineKind.SERVICE,
        service_id=w.facial,
        staff_id=w.therapist,
        appointment_id=appointment_id,
    )
    return CheckoutInput(idempotency_key=key, client_id=client_id, lines=(line,))


async def _visit(ctx: ServiceContext, w: World) -> int:
    appt = await make_appointment(
        ctx, client_id=w.client, service_id=w.facial, staff_id=w.therapist, location_id=w.location
    )
    return appt.id


async def test_a_visit_cancelled_meanwhile_is_not_charged(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.desk)
    appointment_id = await _visit(ctx, world)
    quote = await Desk(ctx).till.quote(visit_ticket(world, appointment_id, world.client, "q"))
    await Desk(ctx).appointments.cancel(appointment_id, "Client called to cancel")
    before = await ledger_rows(ctx)
    data = visit_ticket(world, appointment_id, world.client, "k1").model_copy(
        update={"tenders": (TenderInput(method="card", amount=quote.due),)}
    )
    with pytest.raises(ValidationError) as refused:
        await Desk(ctx).till.complete(data)
    assert refused.value.field == "appointment"
    assert "cancelled" in str(refused.value)
    assert await ledger_rows(ctx) == before


async def test_another_clients_visit_is_refused(ctx: ServiceContext, world: World) -> None:
    ctx = ctx.as_staff(world.desk)
    appointment_id = await _visit(ctx, world)
    data = visit_ticket(world, appointment_id, world.other_client, "k2").model_copy(
        update={"tenders": (TenderInput(method="card", amount=D("500")),)}
    )
    with pytest.raises(ValidationError, match="another client"):
        await Desk(ctx).till.complete(data)


async def test_an_open_visit_carried_by_its_lines_is_paid_and_completed(
    ctx: ServiceContext, world: World
) -> None:
    ctx = ctx.as_staff(world.desk)
    appointment_id = await _visit(ctx, world)
    quote = await Desk(ctx).till.quote(visit_ticket(world, appointment_id, world.client, "q"))
    data = visit_ticket(world, appointment_id, world.client, "k3").model_copy(
        update={"tenders": (TenderInput(method="card", amount=quote.due),)}
    )
    result = await Desk(ctx).till.complete(data)
    assert result.card == quote.due
    assert (await Desk(ctx).appointments.get(appointment_id)).status == "completed"
