"""Tickets left open: park one, list them, take one to this terminal, release it.

A parked ticket is its `CheckoutInput` under its idempotency key in `open_tickets`, with
who left it open, when, and the terminal holding it now. Taking a ticket another terminal
holds changes nothing and returns it with that terminal's name, so the screen opens it
read-only; `complete` calls `settle_open_ticket`, which refuses a key held elsewhere and
deletes the open row in checkout's own transaction.

Every park, take and release bumps the row's `version` and records the terminal, staff
member and time. A ticket screen passes the version it holds (`expected_version`) when it
parks or takes the ticket back: if another terminal changed the ticket meanwhile (took it
while this terminal was locked, edited it, left it open again), the screen's lines are
stale and the save is refused with `StaleVersion` instead of replacing the other's lines.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.ledger import Actor
from frontdesk.db.tables import (
    Appointment,
    Client,
    OpenTicket,
    Package,
    Product,
    Service,
    Staff,
    Ticket,
    utcnow,
)
from frontdesk.domain.errors import Conflict, NotFound, ValidationError
from frontdesk.services.area import Area
from frontdesk.services.checkout.pricing import check_line_quantities
from frontdesk.services.versions import check_version, mark_changed
from frontdesk.views.open_tickets import OpenTicketView
from frontdesk.views.till import CheckoutInput, LineInput

SUMMARY_W = 200


def held_elsewhere_message(terminal: str) -> str:
    return f"This ticket is held by {terminal}; it cannot be completed here"


async def _locked(session: AsyncSession, key: str) -> OpenTicket | None:
    """The open row for `key`, locked until the transaction ends (PostgreSQL; SQLite's
    write transactions already exclude each other)."""
    query = (
        select(OpenTicket)
        .where(OpenTicket.idempotency_key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def settle_open_ticket(session: AsyncSession, actor: Actor, key: str) -> None:
    """Checkout's step: a ticket held by another terminal is not completed here; one held
    here (or by nobody) stops being open in the same transaction that completes it."""
    row = await _locked(session, key)
    if row is None:
        return
    if row.held_by is not None and row.held_by != actor.terminal:
        raise Conflict(held_elsewhere_message(row.held_by))
    await session.delete(row)


async def _line_name(session: AsyncSession, line: LineInput) -> str:
    """A line in words, e.g. "2 × Cream": its product, package or service name."""
    found: Product | Package | Service | None = None
    if line.product_id is not None:
        found = await session.get(Product, line.product_id)
    elif line.package_id is not None:
        found = await session.get(Package, line.package_id)
    elif line.service_id is not None:
        found = await session.get(Service, line.service_id)
    name = found.name if found is not None else line.description or line.kind.value
    return f"{line.quantity} × {name}" if line.quantity > 1 else name


async def _summary(session: AsyncSession, data: CheckoutInput) -> str:
    """What is on the ticket, in words: the visit's service first, then the lines."""
    names: list[str] = []
    if data.appointment_id is not None:
        appt = await session.get(Appointment, data.appointment_id)
        service = await session.get(Service, appt.service_id) if appt is not None else None
        names.append(service.name if service is not None else "Appointment")
    names += [await _line_name(session, line) for line in data.lines]
    text = ", ".join(names) or "Nothing yet"
    return text if len(text) <= SUMMARY_W else text[: SUMMARY_W - 1] + "…"


def _view(row: OpenTicket, client: Client, staff: Staff | None) -> OpenTicketView:
    return OpenTicketView(
        idempotency_key=row.idempotency_key,
        client_id=row.client_id,
        client_name=f"{client.first_name} {client.last_name}".strip(),
        location_id=row.location_id,
        summary=row.summary,
        parked_by=staff.name if staff is not None else None,
        parked_terminal=row.parked_terminal,
        parked_at=row.parked_at,
        held_by=row.held_by,
        version=row.version,
        ticket=CheckoutInput.model_validate_json(row.input_json),
    )


async def _read(session: AsyncSession, row: OpenTicket) -> OpenTicketView:
    client = await session.get(Client, row.client_id)
    if client is None:
        raise NotFound("client")
    staff = await session.get(Staff, row.parked_by) if row.parked_by is not None else None
    return _view(row, client, staff)


class OpenTicketCases(Area):
    """The till's open tickets: `park`, `open_tickets`, `take`, `release`."""

    async def park(
        self, data: CheckoutInput, *, expected_version: int | None = None
    ) -> OpenTicketView:
        """Leave the ticket open: keep it under its key, held by nobody, for any terminal.
        ``expected_version``: the open ticket's version the screen's lines came from (None
        for a ticket never left open); a stale one is refused (`StaleVersion`)."""
        if not data.idempotency_key or len(data.idempotency_key) > 64:
            raise ValidationError("idempotency_key", "A ticket needs a key of 1-64 characters")
        check_line_quantities(data.lines)
        actor = self.ctx.actor
        stored = data.model_copy(update={"tenders": ()})
        async with self.ctx.transaction() as session:
            if await session.get(Client, data.client_id) is None:
                raise NotFound("client")
            done = await session.scalar(
                select(Ticket.id).where(Ticket.idempotency_key == data.idempotency_key)
            )
            if done is not None:
                raise Conflict("This ticket is already completed")
            summary = await _summary(session, data)
            row = await _locked(session, data.idempotency_key)
            if row is None:
                row = OpenTicket(idempotency_key=data.idempotency_key)
                session.add(row)
            elif row.held_by is not None and row.held_by != actor.terminal:
                raise Conflict(f"This ticket is held by {row.held_by}; it cannot be left open here")
            else:
                check_version(row, expected_version)
            mark_changed(row, actor)
            row.client_id = data.client_id
            row.location_id = data.location_id
            row.input_json = stored.model_dump_json()
            row.summary = summary
            row.parked_by = actor.staff_id
            row.parked_terminal = actor.terminal
            row.parked_at = utcnow()
            row.held_by = None
            await session.flush()
            return await _read(session, row)

    async def open_tickets(self, location_id: int | None) -> tuple[OpenTicketView, ...]:
        """The tickets left open at a location (None: everywhere), oldest first."""
        query = (
            select(OpenTicket, Client, Staff)
            .join(Client, Client.id == OpenTicket.client_id)
            .outerjoin(Staff, Staff.id == OpenTicket.parked_by)
            .order_by(OpenTicket.parked_at, OpenTicket.id)
        )
        if location_id is not None:
            query = query.where(OpenTicket.location_id == location_id)
        async with self.ctx.read() as session:
            rows = (await session.execute(query)).all()
        return tuple(_view(row, client, staff) for row, client, staff in rows)

    async def take(self, key: str, *, expected_version: int | None = None) -> OpenTicketView:
        """Hold the ticket on this terminal. One another terminal holds is returned as it
        is (`held_elsewhere`), to be shown read-only. ``expected_version``: a screen taking
        back the ticket it shows (after a lock) passes the version it left it at; if
        another terminal changed it since, nothing is taken (`StaleVersion`)."""
        async with self.ctx.transaction() as session:
            row = await _locked(session, key)
            if row is None:
                raise NotFound("open ticket (completed or no longer open)")
            check_version(row, expected_version)
            if row.held_by is None:
                row.held_by = self.ctx.actor.terminal
                mark_changed(row, self.ctx.actor)
                await session.flush()
            return await _read(session, row)

    async def release(self, key: str) -> None:
        """Stop holding the ticket here; it stays open for any terminal. Releasing one this
        terminal does not hold (or that is gone) changes nothing."""
        async with self.ctx.transaction() as session:
            row = await _locked(session, key)
            if row is not None and row.held_by == self.ctx.actor.terminal:
                row.held_by = None
                mark_changed(row, self.ctx.actor)
