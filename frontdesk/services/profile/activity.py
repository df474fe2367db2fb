"""Activity: bookings, cancellations/no-shows, purchases, adjustments and banked units
used on an appointment (named, with the units left after), newest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import String, Subquery, case, func, literal_column, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Appointment,
    LedgerEntry,
    Location,
    Service,
    Staff,
    StoredValueAccount,
    Ticket,
    TicketLine,
    UtcDateTime,
)
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.context import ServiceContext
from frontdesk.services.profile.lookups import as_utc, check_page, load_client, staff_names
from frontdesk.services.profile.units import worded
from frontdesk.services.stored_value import entry_views
from frontdesk.views.balances import EntryView
from frontdesk.views.profile import ActivityItem, ActivityKind, ActivityPage, UnitEntryView

# Ledger reasons the Activity tab lists as adjustments.
ADJUSTMENT_REASONS = (Reason.ADJUST, Reason.CREDIT, Reason.CHARGE, Reason.REVERSAL)
# Stored-value events listed on their own in Activity when no ticket carries them (a
# ticket is listed as one purchase): adjustments, Pay Balance, membership renewal credits,
# units or visits banked outside a checkout, and banked units used on an appointment.
ACTIVITY_ENTRY_REASONS = (
    *ADJUSTMENT_REASONS,
    Reason.PAYMENT,
    Reason.RENEWAL,
    Reason.BANK,
    Reason.SALE,
    Reason.USE,
)
_APPOINTMENT_KINDS = ("booking", "cancellation", "no_show")
_APPOINTMENT_TITLES = {"booking": "Booked", "cancellation": "Cancelled", "no_show": "No-show"}
_ENTRY_TITLES = {
    Reason.ADJUST.value: "Adjustment",
    Reason.CREDIT.value: "Account credit",
    Reason.CHARGE.value: "Account charge",
    Reason.REVERSAL.value: "Reversal",
    Reason.PAYMENT.value: "Payment",
    Reason.RENEWAL.value: "Membership credit",
    Reason.BANK.value: "Banked",
    Reason.SALE.value: "Bought",
}
# Product units say what happened in the Service Add-ons history's words.
_UNIT_TITLES = {
    "bought": "Bought",
    "banked": "Banked",
    "used": "Used",
    "returned": "Returned",
    "adjusted": "Adjustment",
    "reversed": "Reversal",
}

# (kind, when in UTC, appointment/ticket/ledger entry id): one row of the merged list.
_Key = tuple[ActivityKind, dt.datetime, int]
# An appointment with its service, staff and location names.
_ApptRow = tuple[Appointment, str, str, str]


def _as_utc_sql(ctx: ServiceContext, column: Any) -> Any:
    """A naive wall-clock column as a UTC timestamp for ordering next to UTC columns."""
    if ctx.is_postgres:
        return type_coerce(func.timezone("UTC", column), UtcDateTime)
    return type_coerce(column, UtcDateTime)


def _kind(text: str) -> Any:
    return literal_column(f"'{text}'", String)


def _activity_union(ctx: ServiceContext, client_id: int) -> Subquery:
    """(kind, at, ref_id) of every activity row of the client, in no particular order."""
    bookings = select(
        _kind("booking").label("kind"),
        type_coerce(Appointment.created_at, UtcDateTime).label("at"),
        Appointment.id.label("ref_id"),
    ).where(Appointment.client_id == client_id)
    cancels = select(
        case(
            (Appointment.status == "no_show", _kind("no_show")),
            else_=_kind("cancellation"),
        ).label("kind"),
        _as_utc_sql(ctx, Appointment.starts_at).label("at"),
        Appointment.id.label("ref_id"),
    ).where(
        Appointment.client_id == client_id,
        Appointment.status.in_(("cancelled", "no_show")),
    )
    purchases = select(
        _kind("purchase").label("kind"),
        type_coerce(Ticket.created_at, UtcDateTime).label("at"),
        Ticket.id.label("ref_id"),
    ).where(Ticket.client_id == client_id)
    adjustments = (
        select(
            _kind("adjustment").label("kind"),
            type_coerce(LedgerEntry.created_at, UtcDateTime).label("at"),
            LedgerEntry.id.label("ref_id"),
        )
        .join(StoredValueAccount, StoredValueAccount.id == LedgerEntry.account_id)
        .where(
            StoredValueAccount.client_id == client_id,
            LedgerEntry.reason.in_([r.value for r in ACTIVITY_ENTRY_REASONS]),
            LedgerEntry.ticket_id.is_(None),
        )
    )
    return bookings.union_all(cancels, purchases, adjustments).subquery("activity")


async def _describe(session: AsyncSession, keys: list[_Key], currency: str) -> list[ActivityItem]:
    appts = await _appointments(session, {ref for k, _, ref in keys if k in _APPOINTMENT_KINDS})
    tickets, lines = await _tickets(session, {ref for k, _, ref in keys if k == "purchase"})
    staff = await staff_names(session, {t.staff_id for t in tickets.values()})
    entries = await _entries(session, {ref for k, _, ref in keys if k == "adjustment"}, currency)

    out: list[ActivityItem] = []
    for kind, at, ref in keys:
        if kind in _APPOINTMENT_KINDS:
            out.append(_appointment_item(kind, at, ref, appts[ref]))
        elif kind == "purchase":
            ticket = tickets[ref]
            staff_name = staff.get(ticket.staff_id or 0, "")
            out.append(_purchase_item(at, ticket, lines.get(ref, []), staff_name, currency))
        else:
            out.append(_entry_item(at, entries[ref]))
    return out


async def _appointments(session: AsyncSession, ids: set[int]) -> dict[int, _ApptRow]:
    if not ids:
        return {}
    rows = await session.execute(
        select(Appointment, Service.name, Staff.name, Location.name)
        .join(Service, Service.id == Appointment.service_id)
        .join(Staff, Staff.id == Appointment.staff_id)
        .join(Location, Location.id == Appointment.location_id)
        .where(Appointment.id.in_(ids))
    )
    return {a.id: (a, svc, staff, loc) for a, svc, staff, loc in rows.all()}


async def _tickets(
    session: AsyncSession, ids: set[int]
) -> tuple[dict[int, Ticket], dict[int, list[str]]]:
    """The tickets, and each one's line descriptions in line order."""
    if not ids:
        return {}, {}
    tickets = {t.id: t for t in (await session.scalars(select(Ticket).where(Ticket.id.in_(ids))))}
    lines: dict[int, list[str]] = {}
    for tid, desc in (
        await session.execute(
            select(TicketLine.ticket_id, TicketLine.description)
            .where(TicketLine.ticket_id.in_(ids))
            .order_by(TicketLine.id)
        )
    ).all():
        lines.setdefault(tid, []).append(desc)
    return tickets, lines


async def _entries(session: AsyncSession, ids: set[int], currency: str) -> dict[int, EntryView]:
    if not ids:
        return {}
    views = await entry_views(session, [LedgerEntry.id.in_(ids)], currency, limit=len(ids))
    units = [e for e in views if e.kind is StoredValueKind.PRODUCT_UNITS]
    out: dict[int, EntryView] = {e.id: e for e in views}
    out.update({e.id: e for e in await worded(session, units)})
    return out


def _appointment_item(kind: ActivityKind, at: dt.datetime, ref: int, row: _ApptRow) -> ActivityItem:
    appt, service, staff_name, location = row
    when = f"{appt.starts_at:%a %d %b %Y %H:%M}"
    detail = f"{service} with {staff_name}, {when} at {location}"
    if kind == "cancellation" and appt.cancel_reason:
        detail += f" — {appt.cancel_reason}"
    return ActivityItem(
        kind=kind,
        at=at,
        ref_id=ref,
        title=_APPOINTMENT_TITLES[kind],
        detail=detail,
        staff_name=staff_name,
    )


def _purchase_item(
    at: dt.datetime, ticket: Ticket, lines: Iterable[str], staff_name: str, currency: str
) -> ActivityItem:
    return ActivityItem(
        kind="purchase",
        at=at,
        ref_id=ticket.id,
        title="Purchase (reversed)" if ticket.reversed_at is not None else "Purchase",
        detail=", ".join(lines) or f"Ticket {ticket.id}",
        amount=from_minor(ticket.total_minor, currency),
        staff_name=staff_name,
        ticket_id=ticket.id if ticket.status in ("completed", "refunded") else None,
    )


def _entry_item(at: dt.datetime, e: EntryView) -> ActivityItem:
    if isinstance(e, UnitEntryView):
        return ActivityItem(
            kind="adjustment",
            at=at,
            ref_id=e.id,
            title=f"{_UNIT_TITLES[e.event]}: {e.item_name}",
            detail=f"{e.text} · {e.balance_after:,} left",
            amount=e.amount,
            is_money=False,
            staff_name=e.staff_name,
        )
    return ActivityItem(
        kind="adjustment",
        at=at,
        ref_id=e.id,
        title=f"{_ENTRY_TITLES.get(e.reason, e.reason.title())}: {e.item_name}",
        detail=e.description,
        amount=e.amount,
        is_money=e.kind in (StoredValueKind.ACCOUNT_MONEY, StoredValueKind.WALLET_MONEY),
        staff_name=e.staff_name,
    )


class ActivityCases(Area):
    """The Activity tab."""

    async def activity(self, client_id: int, *, offset: int = 0, limit: int = 50) -> ActivityPage:
        """Bookings, cancellations/no-shows, purchases and adjustments, newest first, paged.

        One UNION ALL ordered by time with LIMIT/OFFSET finds the page (each branch an
        indexed client-first look-up); only that page's rows are then described.
        """
        offset, limit = check_page(offset, limit)
        async with self.ctx.read() as session:
            await load_client(session, client_id)
            currency = (await load_store(session)).currency
            union = _activity_union(self.ctx, client_id)
            total = int(await session.scalar(select(func.count()).select_from(union)) or 0)
            page = (
                await session.execute(
                    select(union.c.kind, union.c.at, union.c.ref_id)
                    .order_by(union.c.at.desc(), union.c.ref_id.desc(), union.c.kind)
                    .offset(offset)
                    .limit(limit)
                )
            ).all()
            keys: list[_Key] = [
                (cast(ActivityKind, k), as_utc(at), int(ref)) for k, at, ref in page
            ]
            items = await _describe(session, keys, currency)
            return ActivityPage(items=tuple(items), total=total, offset=offset, limit=limit)
