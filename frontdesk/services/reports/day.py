"""The day report (Z report) of one business day at one location (issue 17, item 2).

Read only, one read transaction: the day's tickets, payments and ledger entries, each
placed at a location and put on its lines by `frontdesk.domain.day_report`, whose
docstring says what "the day" and "the place" are. Everything is summed in integer minor
units and turned into the store's currency once, in the read model.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from frontdesk.db.tables import (
    Appointment,
    LedgerEntry,
    Location,
    Payment,
    Staff,
    StoredValueAccount,
    Ticket,
)
from frontdesk.domain.business_day import business_day
from frontdesk.domain.checkout import TENDER_METHODS
from frontdesk.domain.day_report import (
    LINE_WORDS,
    Line,
    Movement,
    TakingsCheck,
    local_hour,
    place_of,
    shares,
)
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.money import from_minor, to_minor
from frontdesk.domain.permissions import Perm
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.reports.drawers import drawer_lines
from frontdesk.services.staff import require
from frontdesk.views.reports import (
    DayReport,
    HourTakings,
    MovementLine,
    RefundLine,
    StaffTakings,
    TakingsCheckView,
    TenderTakings,
)

TicketStaff = aliased(Staff)
RowStaff = aliased(Staff)


@dataclass(frozen=True)
class _Sold:
    """One ticket completed that day, in minor units."""

    staff_id: int | None
    staff_name: str
    subtotal: int
    membership_discount: int
    promotion_discount: int
    total: int
    wallet: int
    account_credit: int


def _promotion_minor(result_json: str, discount: int, currency: str) -> int:
    """The promotion's part of a ticket's discount, from the result it saved; the rest
    of the discount is the membership's. A ticket that saved none had no promotion."""
    try:
        saved = json.loads(result_json) if result_json else {}
        promotion = to_minor(Decimal(str(saved.get("promotion_discount", "0"))), currency)
    except (ValueError, InvalidOperation, TypeError):
        return 0
    return min(max(promotion, 0), discount)


def _where(location_id: int | None, place: int | None) -> bool:
    return location_id is None or place == location_id


async def _sold(
    session: AsyncSession, start: dt.datetime, end: dt.datetime, loc: int | None, cur: str
) -> list[_Sold]:
    rows = await session.execute(
        select(Ticket, TicketStaff.location_id, TicketStaff.name)
        .outerjoin(TicketStaff, TicketStaff.id == Ticket.staff_id)
        .where(Ticket.created_at >= start, Ticket.created_at < end)
        .order_by(Ticket.id)
    )
    sold = []
    for ticket, staff_loc, name in rows.all():
        if not _where(loc, place_of(ticket.location_id, None, staff_loc)):
            continue
        promotion = _promotion_minor(ticket.result_json, ticket.discount_minor, cur)
        sold.append(
            _Sold(
                staff_id=ticket.staff_id,
                staff_name=name or "(nobody signed in)",
                subtotal=ticket.subtotal_minor,
                membership_discount=ticket.discount_minor - promotion,
                promotion_discount=promotion,
                total=ticket.total_minor,
                wallet=ticket.wallet_minor,
                account_credit=ticket.account_credit_minor,
            )
        )
    return sold


async def _refunds(
    session: AsyncSession, start: dt.datetime, end: dt.datetime, loc: int | None, cur: str
) -> list[RefundLine]:
    rows = await session.execute(
        select(Ticket, TicketStaff.location_id)
        .outerjoin(TicketStaff, TicketStaff.id == Ticket.staff_id)
        .where(Ticket.reversed_at >= start, Ticket.reversed_at < end)
        .order_by(Ticket.reversed_at, Ticket.id)
    )
    return [
        RefundLine(
            ticket_id=t.id,
            refunded_at=t.reversed_at,
            total=from_minor(t.total_minor, cur),
            tenders_back=from_minor(t.paid_minor - t.change_minor, cur),
            wallet_back=from_minor(t.wallet_minor, cur),
            account_credit_back=from_minor(t.account_credit_minor, cur),
            reason=t.refund_reason or "",
        )
        for t, staff_loc in rows.all()
        if t.reversed_at is not None and _where(loc, place_of(t.location_id, None, staff_loc))
    ]


@dataclass
class _Tenders:
    taken: dict[str, int]
    refunded: dict[str, int]
    by_hour: dict[int, int]
    balance_payments: int = 0


async def _payments(
    session: AsyncSession, start: dt.datetime, end: dt.datetime, loc: int | None
) -> _Tenders:
    """Every payment of the day: a ticket's, its refund's negative twin, a Pay Balance."""
    rows = await session.execute(
        select(Payment, Ticket.location_id, TicketStaff.location_id, RowStaff.location_id)
        .outerjoin(Ticket, Ticket.id == Payment.ticket_id)
        .outerjoin(TicketStaff, TicketStaff.id == Ticket.staff_id)
        .outerjoin(RowStaff, RowStaff.id == Payment.staff_id)
        .where(Payment.created_at >= start, Payment.created_at < end)
        .order_by(Payment.id)
    )
    out = _Tenders(defaultdict(int), defaultdict(int), defaultdict(int))
    for pay, ticket_loc, ticket_staff_loc, staff_loc in rows.all():
        if pay.ticket_id is not None:
            place = place_of(ticket_loc, None, ticket_staff_loc)
        else:
            place = staff_loc
        if not _where(loc, place):
            continue
        net = pay.amount_minor - pay.change_minor
        if pay.reverses_payment_id is not None:
            out.refunded[pay.method] -= net
        else:
            out.taken[pay.method] += net
        if pay.ticket_id is None:
            out.balance_payments += net
        out.by_hour[local_hour(pay.created_at)] += net
    return out


@dataclass
class _Ledger:
    movements: dict[Line, Movement]
    wallet_spent: int = 0
    credit_spent: int = 0


async def _ledger(
    session: AsyncSession, start: dt.datetime, end: dt.datetime, loc: int | None
) -> _Ledger:
    """The day's ledger entries on the report's stored-value lines."""
    rows = await session.execute(
        select(
            LedgerEntry,
            StoredValueAccount.kind,
            StoredValueAccount.unit_value_minor,
            Ticket.location_id,
            TicketStaff.location_id,
            Appointment.location_id,
            RowStaff.location_id,
        )
        .join(StoredValueAccount, StoredValueAccount.id == LedgerEntry.account_id)
        .outerjoin(Ticket, Ticket.id == LedgerEntry.ticket_id)
        .outerjoin(TicketStaff, TicketStaff.id == Ticket.staff_id)
        .outerjoin(Appointment, Appointment.id == LedgerEntry.appointment_id)
        .outerjoin(RowStaff, RowStaff.id == LedgerEntry.staff_id)
        .where(LedgerEntry.created_at >= start, LedgerEntry.created_at < end)
        .order_by(LedgerEntry.id)
    )
    out = _Ledger({line: Movement(line) for line in Line})
    for entry, kind, unit_value, t_loc, t_staff_loc, a_loc, staff_loc in rows.all():
        ticket_place = place_of(t_loc, None, t_staff_loc) if entry.ticket_id else None
        if not _where(loc, place_of(ticket_place, a_loc, staff_loc)):
            continue
        for share in shares(kind, entry.reason, entry.amount, entry.balance_after, unit_value):
            out.movements[share.line].add(share)
        # Against the tickets' own columns: only the spends a ticket made (an imported
        # or hand-written history may hold spends with no ticket; they still count above).
        if entry.reason == Reason.CHECKOUT_SPEND.value and entry.ticket_id is not None:
            if kind == StoredValueKind.WALLET_MONEY.value:
                out.wallet_spent -= entry.amount
            elif kind == StoredValueKind.ACCOUNT_MONEY.value:
                out.credit_spent -= entry.amount
    return out


def _movement_line(m: Movement, cur: str) -> MovementLine:
    in_word, out_word = LINE_WORDS[m.line]
    return MovementLine(
        line=m.line.value,
        in_word=in_word,
        out_word=out_word,
        count_in=m.count_in,
        count_out=m.count_out,
        amount_in=from_minor(m.amount_in, cur),
        amount_out=from_minor(m.amount_out, cur),
        corrections=from_minor(m.corrections, cur),
        net=from_minor(m.net, cur),
        counted=m.line in (Line.PREPAID_VISITS, Line.BANKED_UNITS),
    )


def _tender_lines(tenders: _Tenders, cur: str) -> tuple[TenderTakings, ...]:
    """Card, cash, other always (a zero says none was taken), then any other method a
    payment was recorded with, so the tenders always add up to their total."""
    seen = set(tenders.taken) | set(tenders.refunded)
    methods = [*TENDER_METHODS, *sorted(seen - set(TENDER_METHODS))]
    return tuple(
        TenderTakings(
            method=method,
            taken=from_minor(tenders.taken.get(method, 0), cur),
            refunded=from_minor(tenders.refunded.get(method, 0), cur),
        )
        for method in methods
    )


def _by_staff(sold: list[_Sold], cur: str) -> tuple[StaffTakings, ...]:
    groups: dict[int | None, list[_Sold]] = defaultdict(list)
    for s in sold:
        groups[s.staff_id].append(s)
    rows = [
        StaffTakings(
            staff_id=staff_id,
            name=items[0].staff_name,
            tickets=len(items),
            total=from_minor(sum(s.total for s in items), cur),
        )
        for staff_id, items in groups.items()
    ]
    return tuple(sorted(rows, key=lambda r: (r.name.casefold(), r.staff_id or 0)))


def _check(
    sold: list[_Sold], refunds: list[RefundLine], tenders: _Tenders, cur: str
) -> TakingsCheck:
    return TakingsCheck(
        sales=sum(s.subtotal for s in sold),
        membership_discount=sum(s.membership_discount for s in sold),
        promotion_discount=sum(s.promotion_discount for s in sold),
        wallet=sum(s.wallet for s in sold),
        account_credit=sum(s.account_credit for s in sold),
        balance_payments=tenders.balance_payments,
        refunds=sum(to_minor(r.tenders_back, cur) for r in refunds),
        tenders=sum(tenders.taken.values()) - sum(tenders.refunded.values()),
    )


def _check_view(c: TakingsCheck, cur: str) -> TakingsCheckView:
    def m(minor: int) -> Decimal:
        return from_minor(minor, cur)

    return TakingsCheckView(
        sales=m(c.sales),
        membership_discount=m(c.membership_discount),
        promotion_discount=m(c.promotion_discount),
        wallet=m(c.wallet),
        account_credit=m(c.account_credit),
        balance_payments=m(c.balance_payments),
        refunds=m(c.refunds),
        expected=m(c.expected),
        tenders=m(c.tenders),
        reconciles=c.reconciles,
    )


class DayReportCases(Area):
    """`desk.reports.day(on, location_id)` and finding the location a person named."""

    async def find_location(self, text: str) -> tuple[int, str]:
        """A location by its number or its name (any case): (id, name); a
        `ValidationError` on "location" listing the names when none matches."""
        wanted = text.strip()
        async with self.ctx.read() as session:
            await require(session, self.ctx.actor, Perm.REPORTS)
            rows = (await session.execute(select(Location.id, Location.name))).all()
        for loc_id, name in rows:
            if (wanted.isascii() and wanted.isdigit() and int(wanted) == loc_id) or (
                name.casefold() == wanted.casefold()
            ):
                return loc_id, name
        known = ", ".join(sorted(name for _, name in rows)) or "none set up"
        raise ValidationError("location", f"No location {wanted!r} (locations: {known})")

    async def day(self, on: dt.date, location_id: int | None = None) -> DayReport:
        """The Z report of the business day `on` at `location_id` (None: the whole store).
        Needs the reports permission; reads, writes nothing."""
        start, end = business_day(on)
        async with self.ctx.read() as session:
            await require(session, self.ctx.actor, Perm.REPORTS)
            store = await load_store(session)
            cur = store.currency
            name = "All locations"
            if location_id is not None:
                place = await session.get(Location, location_id)
                if place is None:
                    raise ValidationError("location", f"No location #{location_id}")
                name = place.name
            sold = await _sold(session, start, end, location_id, cur)
            refunds = await _refunds(session, start, end, location_id, cur)
            tenders = await _payments(session, start, end, location_id)
            stored = await _ledger(session, start, end, location_id)
            drawers = await drawer_lines(session, on, location_id, cur)
        check = _check(sold, refunds, tenders, cur)
        return DayReport(
            currency=cur,
            locale=store.locale,
            day=on,
            location_id=location_id,
            location_name=name,
            starts_at=start,
            ends_at=end,
            tickets=len(sold),
            tenders=_tender_lines(tenders, cur),
            by_staff=_by_staff(sold, cur),
            by_hour=tuple(
                HourTakings(hour=h, amount=from_minor(a, cur))
                for h, a in sorted(tenders.by_hour.items())
            ),
            refunds=tuple(refunds),
            movements=tuple(_movement_line(stored.movements[line], cur) for line in Line),
            check=_check_view(check, cur),
            ledger_wallet_spent=from_minor(stored.wallet_spent, cur),
            ledger_account_credit_spent=from_minor(stored.credit_spent, cur),
            drawers=drawers,
        )
