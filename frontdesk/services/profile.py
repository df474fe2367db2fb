"""The client profile (seed 001): header, Profile Details, Notifications, Relationships,
Activity, Attendance, Rewards, Contact History, Documents, Transformation Log and Goals.

Balances, history, prepaid items and memberships (Overview and Account tabs) are
`clients.client_summary`, `stored_value.history` and `prepaid.prepaid_items`.

Every function is one transaction. Long lists (activity, rewards, contact history) are
paged in the database (LIMIT/OFFSET over an indexed, client-first ordering), never
loaded whole. A travel member's Profile Details are read-only away from their home
location; the transformation log and goals need "edit_transformation_log".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import String, and_, case, exists, func, literal_column, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Appointment,
    Client,
    ClientDocument,
    ClientGoal,
    ClientRelationship,
    ContactLog,
    LedgerEntry,
    Location,
    Membership,
    MembershipPlan,
    NotificationPreference,
    Prize,
    RewardEntry,
    Service,
    Staff,
    StoredValueAccount,
    Ticket,
    TicketLine,
    TransformationEntry,
    UtcDateTime,
)
from frontdesk.domain.errors import (
    InsufficientBalance,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.domain.normalize import digits, fold
from frontdesk.domain.parsing import clean_description
from frontdesk.domain.permissions import PERM_TRANSFORMATION
from frontdesk.services.catalog import load_store
from frontdesk.services.clients import summary_in
from frontdesk.services.context import ServiceContext
from frontdesk.services.schedule import appointment_views
from frontdesk.services.stored_value import entry_views, has_permission
from frontdesk.views import AppointmentView, ClientSummary
from frontdesk.views.profile import (
    CATEGORIES,
    CHANNELS,
    CONTACT_CHANNELS,
    DOCUMENT_KINDS,
    RELATIONSHIP_KINDS,
    ActivityItem,
    ActivityKind,
    ActivityPage,
    Attendance,
    Category,
    Channel,
    ContactChannel,
    ContactPage,
    ContactView,
    DocumentKind,
    DocumentView,
    GoalView,
    LocationVisits,
    NotificationPrefs,
    NotificationSetting,
    PrizeView,
    ProfileHeader,
    RelationshipKind,
    RelationshipView,
    RewardEntryView,
    RewardReason,
    RewardsPage,
    TransformationEntryView,
    UnpaidVisit,
)

TRANSFORMATION_DENIED = "edit client transformation log"
MAX_PAGE = 500
MAX_UNPAID_LISTED = 100
NOTE_MAX = 2000
# Ledger reasons the Activity tab lists as adjustments.
ADJUSTMENT_REASONS = (Reason.ADJUST, Reason.CREDIT, Reason.CHARGE, Reason.REVERSAL)
# Stored-value events listed on their own in Activity when no ticket carries them (a
# ticket is listed as one purchase): adjustments, Pay Balance, membership renewal credits,
# units or visits banked outside a checkout.
ACTIVITY_ENTRY_REASONS = (
    *ADJUSTMENT_REASONS,
    Reason.PAYMENT,
    Reason.RENEWAL,
    Reason.BANK,
    Reason.SALE,
)
VISIT_STATUSES = ("completed", "checked_in")
UPCOMING_STATUSES = ("booked", "checked_in")
POINTS_PER_VISIT = 10
POINTS_PER_POUND = 1


class TravelMemberReadOnly(PermissionDenied):
    """A travel member's details are edited at their home location, not here."""

    def __init__(self, home_name: str) -> None:
        super().__init__("edit a travel member's details away from their home location")
        self.home_name = home_name
        self.message = (
            f"This client is a travel member (home location: {home_name}); their profile "
            f"details and account are read-only here. Edit them at {home_name}."
        )
        self.args = (self.message,)

    def __reduce__(self) -> tuple[type[PermissionDenied], tuple[str]]:
        return (type(self), (self.home_name,))


# --- field rules (pure) ---------------------------------------------------------------

_FORBIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_PHONE_CHARS = re.compile(r"[0-9 +()\-./]+")
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def clean_name(text: str, field: str, label: str) -> str:
    cleaned = unicodedata.normalize("NFC", text).strip()
    if not cleaned:
        raise ValidationError(field, f"Enter a {label}")
    if any(unicodedata.category(ch) in _FORBIDDEN for ch in cleaned):
        raise ValidationError(field, "Use plain text (no tabs, line breaks or hidden characters)")
    if len(cleaned) > 120:
        raise ValidationError(field, f"Keep the {label} to 120 characters (now {len(cleaned)})")
    return cleaned


def clean_phone(text: str) -> str:
    """Empty, or 7-15 digits written with spaces, +, brackets, dots or dashes."""
    cleaned = text.strip()
    if not cleaned:
        return ""
    if not _PHONE_CHARS.fullmatch(cleaned):
        raise ValidationError("phone", "Type the phone number with digits 0-9 (and + ( ) -)")
    n = sum("0" <= ch <= "9" for ch in cleaned)
    if not 7 <= n <= 15:
        raise ValidationError("phone", f"A phone number has 7 to 15 digits (this has {n})")
    return cleaned


def clean_email(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        return ""
    if len(cleaned) > 120:
        raise ValidationError("email", "Keep the email address to 120 characters")
    if not cleaned.isascii() and any(unicodedata.category(ch) in _FORBIDDEN for ch in cleaned):
        raise ValidationError("email", "Type the email address like name@example.com")
    if not _EMAIL.fullmatch(cleaned):
        raise ValidationError("email", "Type the email address like name@example.com")
    return cleaned


def parse_date(text: str, field: str) -> dt.date | None:
    """ "" -> None; YYYY-MM-DD or DD/MM/YYYY -> a real calendar date."""
    body = text.strip()
    if not body:
        return None
    if m := _ISO.fullmatch(body):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := _DMY.fullmatch(body):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    else:
        raise ValidationError(field, "Type the date as YYYY-MM-DD or DD/MM/YYYY")
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValidationError(field, f"{body} is not a real date") from None


def parse_birthday(text: str, today: dt.date) -> dt.date | None:
    day = parse_date(text, "birthday")
    if day is None:
        return None
    if day >= today:
        raise ValidationError("birthday", "A birthday must be in the past")
    if day.year < 1900:
        raise ValidationError("birthday", "A birthday must be after 1900")
    return day


def clean_note(text: str, field: str = "note", *, required: bool = False) -> str:
    """Free text that may span lines (notes); other control characters are refused."""
    cleaned = unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()
    if not cleaned:
        if required:
            raise ValidationError(field, "Enter a note")
        return ""
    if any(ch != "\n" and unicodedata.category(ch) in _FORBIDDEN for ch in cleaned):
        raise ValidationError(field, "Use plain text (no tabs or hidden characters)")
    if len(cleaned) > NOTE_MAX:
        raise ValidationError(field, f"Keep it to {NOTE_MAX} characters (now {len(cleaned)})")
    return cleaned


def _choice(value: str, allowed: Sequence[str], field: str) -> str:
    if value not in allowed:
        raise ValidationError(field, f"Choose one of: {', '.join(allowed)}")
    return value


def _page(offset: int, limit: int) -> tuple[int, int]:
    if offset < 0:
        raise ValidationError("offset", "Offset must not be negative")
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError("limit", f"Page size must be between 1 and {MAX_PAGE}")
    return offset, limit


def points_for_spend(amount: Decimal) -> int:
    """Points a spend earns: one per whole pound (or other major unit)."""
    return max(int(amount), 0) * POINTS_PER_POUND


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes for UTC columns.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


# --- shared look-ups ------------------------------------------------------------------


async def _client(session: AsyncSession, client_id: int) -> Client:
    client = await session.get(Client, client_id)
    if client is None:
        raise NotFound("client")
    return client


async def _lock_client(ctx: ServiceContext, session: AsyncSession, client_id: int) -> Client:
    """Serialise point postings per client (SQLite already holds the write lock)."""
    if ctx.is_postgres:
        stmt = select(Client).where(Client.id == client_id).with_for_update()
        client = (await session.execute(stmt)).scalar_one_or_none()
        if client is None:
            raise NotFound("client")
        return client
    return await _client(session, client_id)


async def _staff_names(session: AsyncSession, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(wanted)))
    return {i: name for i, name in rows.all()}


async def _require_transformation(ctx: ServiceContext, session: AsyncSession) -> None:
    if not await has_permission(session, ctx.actor.staff_id, PERM_TRANSFORMATION):
        raise PermissionDenied(TRANSFORMATION_DENIED)


async def _opted_out(session: AsyncSession, client_id: int) -> bool:
    off = await session.scalar(
        select(func.count())
        .select_from(NotificationPreference)
        .where(
            NotificationPreference.client_id == client_id,
            NotificationPreference.opted_in.is_(False),
        )
    )
    return (off or 0) >= len(CHANNELS) * len(CATEGORIES)


async def _home_name(session: AsyncSession, client: Client) -> str | None:
    if client.home_location_id is None:
        return None
    return await session.scalar(select(Location.name).where(Location.id == client.home_location_id))


def _is_travel(client: Client, current_location_id: int | None) -> bool:
    return (
        client.home_location_id is not None
        and current_location_id is not None
        and client.home_location_id != current_location_id
    )


# --- header and Overview ---------------------------------------------------------------


async def profile_header(
    ctx: ServiceContext, client_id: int, current_location_id: int | None
) -> ProfileHeader:
    async with ctx.read() as session:
        client = await _client(session, client_id)
        currency = (await load_store(session)).currency
        plan = await session.scalar(
            select(MembershipPlan.name)
            .join(Membership, Membership.plan_id == MembershipPlan.id)
            .where(Membership.client_id == client_id, Membership.status == "active")
            .order_by(Membership.id)
            .limit(1)
        )
        account = await session.scalar(
            select(func.coalesce(func.sum(StoredValueAccount.balance), 0)).where(
                StoredValueAccount.client_id == client_id,
                StoredValueAccount.kind == StoredValueKind.ACCOUNT_MONEY.value,
            )
        )
        balance = int(account or 0)
        return ProfileHeader(
            client_id=client.id,
            client_number=client.client_number,
            first_name=client.first_name,
            last_name=client.last_name,
            membership_plan=plan,
            home_location_id=client.home_location_id,
            home_location_name=await _home_name(session, client),
            travel_member=_is_travel(client, current_location_id),
            opted_out=await _opted_out(session, client_id),
            currency=currency,
            owes=from_minor(max(-balance, 0), currency),
        )


async def upcoming_appointments(
    ctx: ServiceContext, client_id: int, now: dt.datetime, limit: int = 5
) -> tuple[AppointmentView, ...]:
    """The next `limit` booked or checked-in appointments from `now` (wall clock)."""
    _page(0, limit)
    async with ctx.read() as session:
        await _client(session, client_id)
        currency = (await load_store(session)).currency
        ids = list(
            (
                await session.scalars(
                    select(Appointment.id)
                    .where(
                        Appointment.client_id == client_id,
                        Appointment.starts_at >= now.replace(tzinfo=None),
                        Appointment.status.in_(UPCOMING_STATUSES),
                    )
                    .order_by(Appointment.starts_at, Appointment.id)
                    .limit(limit)
                )
            ).all()
        )
        if not ids:
            return ()
        return tuple(await appointment_views(session, [Appointment.id.in_(ids)], currency))


# --- Profile Details --------------------------------------------------------------------


async def update_details(
    ctx: ServiceContext,
    client_id: int,
    *,
    current_location_id: int | None,
    first_name: str,
    last_name: str,
    phone: str,
    email: str,
    birthday: str,
    notes: str,
    today: dt.date | None = None,
) -> ClientSummary:
    """Save Profile Details; every field is checked before anything is written."""
    first = clean_name(first_name, "first_name", "first name")
    last = clean_name(last_name, "last_name", "last name")
    phone_text = clean_phone(phone)
    email_text = clean_email(email)
    born = parse_birthday(birthday, today or dt.date.today())
    notes_text = clean_note(notes, "notes")
    async with ctx.transaction() as session:
        client = await _client(session, client_id)
        if _is_travel(client, current_location_id):
            raise TravelMemberReadOnly(await _home_name(session, client) or "their home location")
        client.first_name = first
        client.last_name = last
        client.phone = phone_text
        client.email = email_text
        client.birthday = born
        client.notes = notes_text
        client.search_first = fold(first)
        client.search_last = fold(last)
        client.phone_digits = digits(phone_text)
        client.email_lower = email_text.casefold()
        await session.flush()
        return await summary_in(session, client_id)


# --- Notifications ---------------------------------------------------------------------


async def _prefs_in(session: AsyncSession, client_id: int) -> NotificationPrefs:
    rows = await session.execute(
        select(
            NotificationPreference.channel,
            NotificationPreference.category,
            NotificationPreference.opted_in,
        ).where(NotificationPreference.client_id == client_id)
    )
    stored = {(ch, cat): opted for ch, cat, opted in rows.all()}
    return NotificationPrefs(
        client_id=client_id,
        settings=tuple(
            NotificationSetting(channel=ch, category=cat, opted_in=stored.get((ch, cat), True))
            for ch in CHANNELS
            for cat in CATEGORIES
        ),
    )


async def notification_prefs(ctx: ServiceContext, client_id: int) -> NotificationPrefs:
    async with ctx.read() as session:
        await _client(session, client_id)
        return await _prefs_in(session, client_id)


async def set_notification(
    ctx: ServiceContext, client_id: int, channel: Channel, category: Category, opted_in: bool
) -> NotificationPrefs:
    _choice(channel, CHANNELS, "channel")
    _choice(category, CATEGORIES, "category")
    async with ctx.transaction() as session:
        await _client(session, client_id)
        row = await session.get(NotificationPreference, (client_id, channel, category))
        if row is None:
            session.add(
                NotificationPreference(
                    client_id=client_id, channel=channel, category=category, opted_in=opted_in
                )
            )
        else:
            row.opted_in = opted_in
            row.updated_at = dt.datetime.now(dt.UTC)
        await session.flush()
        return await _prefs_in(session, client_id)


# --- Relationships ---------------------------------------------------------------------

_LABELS: dict[tuple[str, bool], str] = {
    ("family", False): "Family",
    ("family", True): "Family",
    ("partner", False): "Partner",
    ("partner", True): "Partner",
    ("guardian", False): "Guardian",  # the related client is this client's guardian
    ("guardian", True): "Dependant",  # this client is the related client's guardian
}


async def _relationship_views(
    session: AsyncSession, client_id: int, only_id: int | None = None
) -> list[RelationshipView]:
    stmt = (
        select(ClientRelationship, Client)
        .join(
            Client,
            Client.id
            == case(
                (
                    ClientRelationship.client_id == client_id,
                    ClientRelationship.related_client_id,
                ),
                else_=ClientRelationship.client_id,
            ),
        )
        .where(
            or_(
                ClientRelationship.client_id == client_id,
                ClientRelationship.related_client_id == client_id,
            )
        )
        .order_by(ClientRelationship.id)
    )
    if only_id is not None:
        stmt = stmt.where(ClientRelationship.id == only_id)
    out: list[RelationshipView] = []
    for rel, other in (await session.execute(stmt)).all():
        inverse = rel.client_id != client_id
        out.append(
            RelationshipView(
                id=rel.id,
                kind=cast(RelationshipKind, rel.kind),
                related_client_id=other.id,
                related_client_number=other.client_number,
                related_name=f"{other.first_name} {other.last_name}".strip(),
                label=_LABELS[(rel.kind, inverse)],
            )
        )
    return out


async def relationships(ctx: ServiceContext, client_id: int) -> tuple[RelationshipView, ...]:
    """Links in both directions: a guardian shows on the child's profile and vice versa."""
    async with ctx.read() as session:
        await _client(session, client_id)
        return tuple(await _relationship_views(session, client_id))


async def link_client(
    ctx: ServiceContext, client_id: int, related_id: int, kind: RelationshipKind
) -> RelationshipView:
    """Link `related_id` to this client as their family, guardian or partner."""
    _choice(kind, RELATIONSHIP_KINDS, "kind")
    if client_id == related_id:
        raise ValidationError("related_client", "A client can't be linked to themselves")
    async with ctx.transaction() as session:
        await _client(session, client_id)
        if await session.get(Client, related_id) is None:
            raise NotFound("related client")
        pair = and_(
            ClientRelationship.client_id == client_id,
            ClientRelationship.related_client_id == related_id,
        )
        back = and_(
            ClientRelationship.client_id == related_id,
            ClientRelationship.related_client_id == client_id,
        )
        # Family and partner read the same both ways; guardian is one-way.
        same = or_(pair, back) if kind != "guardian" else pair
        if await session.scalar(select(exists().where(same, ClientRelationship.kind == kind))):
            raise ValidationError("related_client", f"These clients are already linked ({kind})")
        if kind == "guardian" and await session.scalar(
            select(exists().where(back, ClientRelationship.kind == "guardian"))
        ):
            raise ValidationError(
                "related_client", "That client already has this client as their guardian"
            )
        rel = ClientRelationship(client_id=client_id, related_client_id=related_id, kind=kind)
        session.add(rel)
        await session.flush()
        return (await _relationship_views(session, client_id, rel.id))[0]


async def unlink(ctx: ServiceContext, client_id: int, relationship_id: int) -> None:
    async with ctx.transaction() as session:
        rel = await session.get(ClientRelationship, relationship_id)
        if rel is None or client_id not in (rel.client_id, rel.related_client_id):
            raise NotFound("relationship")
        await session.delete(rel)


# --- Activity -----------------------------------------------------------------------------


def _as_utc_sql(ctx: ServiceContext, column: Any) -> Any:
    """A naive wall-clock column as a UTC timestamp for ordering next to UTC columns."""
    if ctx.is_postgres:
        return type_coerce(func.timezone("UTC", column), UtcDateTime)
    return type_coerce(column, UtcDateTime)


def _kind(text: str) -> Any:
    return literal_column(f"'{text}'", String)


async def activity(
    ctx: ServiceContext, client_id: int, *, offset: int = 0, limit: int = 50
) -> ActivityPage:
    """Bookings, cancellations/no-shows, purchases and adjustments, newest first, paged.

    One UNION ALL ordered by time with LIMIT/OFFSET finds the page (each branch an
    indexed client-first look-up); only that page's rows are then described.
    """
    offset, limit = _page(offset, limit)
    async with ctx.read() as session:
        await _client(session, client_id)
        currency = (await load_store(session)).currency
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
        union = bookings.union_all(cancels, purchases, adjustments).subquery("activity")
        total = int(await session.scalar(select(func.count()).select_from(union)) or 0)
        page = (
            await session.execute(
                select(union.c.kind, union.c.at, union.c.ref_id)
                .order_by(union.c.at.desc(), union.c.ref_id.desc(), union.c.kind)
                .offset(offset)
                .limit(limit)
            )
        ).all()
        keys: list[tuple[ActivityKind, dt.datetime, int]] = [
            (cast(ActivityKind, k), _utc(at), int(ref)) for k, at, ref in page
        ]
        items = await _describe(session, keys, currency)
        return ActivityPage(items=tuple(items), total=total, offset=offset, limit=limit)


async def _describe(
    session: AsyncSession, keys: list[tuple[ActivityKind, dt.datetime, int]], currency: str
) -> list[ActivityItem]:
    appt_ids = {ref for k, _, ref in keys if k in ("booking", "cancellation", "no_show")}
    ticket_ids = {ref for k, _, ref in keys if k == "purchase"}
    entry_ids = {ref for k, _, ref in keys if k == "adjustment"}

    appts: dict[int, tuple[Appointment, str, str, str]] = {}
    if appt_ids:
        rows = await session.execute(
            select(Appointment, Service.name, Staff.name, Location.name)
            .join(Service, Service.id == Appointment.service_id)
            .join(Staff, Staff.id == Appointment.staff_id)
            .join(Location, Location.id == Appointment.location_id)
            .where(Appointment.id.in_(appt_ids))
        )
        appts = {a.id: (a, svc, staff, loc) for a, svc, staff, loc in rows.all()}
    tickets: dict[int, Ticket] = {}
    lines: dict[int, list[str]] = {}
    if ticket_ids:
        tickets = {
            t.id: t
            for t in (await session.scalars(select(Ticket).where(Ticket.id.in_(ticket_ids))))
        }
        for tid, desc in (
            await session.execute(
                select(TicketLine.ticket_id, TicketLine.description)
                .where(TicketLine.ticket_id.in_(ticket_ids))
                .order_by(TicketLine.id)
            )
        ).all():
            lines.setdefault(tid, []).append(desc)
    staff = await _staff_names(session, {t.staff_id for t in tickets.values()})
    entries = (
        {
            e.id: e
            for e in await entry_views(
                session, [LedgerEntry.id.in_(entry_ids)], currency, limit=len(entry_ids)
            )
        }
        if entry_ids
        else {}
    )

    out: list[ActivityItem] = []
    for kind, at, ref in keys:
        if kind in ("booking", "cancellation", "no_show"):
            appt, service, staff_name, location = appts[ref]
            when = f"{appt.starts_at:%a %d %b %Y %H:%M}"
            detail = f"{service} with {staff_name}, {when} at {location}"
            title = {"booking": "Booked", "cancellation": "Cancelled", "no_show": "No-show"}[kind]
            if kind == "cancellation" and appt.cancel_reason:
                detail += f" — {appt.cancel_reason}"
            out.append(
                ActivityItem(
                    kind=kind, at=at, ref_id=ref, title=title, detail=detail, staff_name=staff_name
                )
            )
        elif kind == "purchase":
            ticket = tickets[ref]
            reversed_ = ticket.reversed_at is not None
            out.append(
                ActivityItem(
                    kind=kind,
                    at=at,
                    ref_id=ref,
                    title="Purchase (reversed)" if reversed_ else "Purchase",
                    detail=", ".join(lines.get(ref, [])) or f"Ticket {ref}",
                    amount=from_minor(ticket.total_minor, currency),
                    staff_name=staff.get(ticket.staff_id or 0, ""),
                )
            )
        else:
            e = entries[ref]
            titles = {
                Reason.ADJUST.value: "Adjustment",
                Reason.CREDIT.value: "Account credit",
                Reason.CHARGE.value: "Account charge",
                Reason.REVERSAL.value: "Reversal",
                Reason.PAYMENT.value: "Payment",
                Reason.RENEWAL.value: "Membership credit",
                Reason.BANK.value: "Banked",
                Reason.SALE.value: "Bought",
            }
            out.append(
                ActivityItem(
                    kind=kind,
                    at=at,
                    ref_id=ref,
                    title=f"{titles.get(e.reason, e.reason.title())}: {e.item_name}",
                    detail=e.description,
                    amount=e.amount,
                    is_money=e.kind
                    in (StoredValueKind.ACCOUNT_MONEY, StoredValueKind.WALLET_MONEY),
                    staff_name=e.staff_name,
                )
            )
    return out


# --- Attendance --------------------------------------------------------------------------


async def attendance(
    ctx: ServiceContext, client_id: int, *, now: dt.datetime | None = None
) -> Attendance:
    """Visits per location, no-shows, cancellations, and past visits nothing has paid.

    A visit (completed or checked in, already started) is paid when a line of a ticket
    that was not reversed covers it, or a prepaid visit was redeemed for it.
    """
    wall_now = (now or dt.datetime.now()).replace(tzinfo=None)
    async with ctx.read() as session:
        await _client(session, client_id)
        currency = (await load_store(session)).currency
        mine = Appointment.client_id == client_id
        counts = dict(
            (
                await session.execute(
                    select(Appointment.status, func.count())
                    .where(mine, Appointment.status.in_(("no_show", "cancelled")))
                    .group_by(Appointment.status)
                )
            ).all()
        )
        is_visit = and_(
            mine, Appointment.status.in_(VISIT_STATUSES), Appointment.starts_at <= wall_now
        )
        per_location = (
            await session.execute(
                select(Location.id, Location.name, func.count(Appointment.id))
                .join(Appointment, Appointment.location_id == Location.id)
                .where(is_visit)
                .group_by(Location.id, Location.name)
                .order_by(func.count(Appointment.id).desc(), Location.name)
            )
        ).all()
        paid_by_ticket = exists().where(
            TicketLine.appointment_id == Appointment.id,
            TicketLine.ticket_id == Ticket.id,
            Ticket.reversed_at.is_(None),
        )
        client_accounts = select(StoredValueAccount.id).where(
            StoredValueAccount.client_id == client_id,
            StoredValueAccount.kind == StoredValueKind.PREPAID_VISITS.value,
        )
        reverser = LedgerEntry.__table__.alias("reverser")
        paid_by_prepaid = exists().where(
            LedgerEntry.account_id.in_(client_accounts.scalar_subquery()),
            LedgerEntry.appointment_id == Appointment.id,
            LedgerEntry.reason == Reason.REDEEM.value,
            ~exists().where(reverser.c.reverses_entry_id == LedgerEntry.id),
        )
        unpaid_where = and_(is_visit, ~paid_by_ticket, ~paid_by_prepaid)
        unpaid_count = int(
            await session.scalar(select(func.count()).select_from(Appointment).where(unpaid_where))
            or 0
        )
        rows = (
            await session.execute(
                select(Appointment, Service.name, Service.price_minor, Staff.name, Location.name)
                .join(Service, Service.id == Appointment.service_id)
                .join(Staff, Staff.id == Appointment.staff_id)
                .join(Location, Location.id == Appointment.location_id)
                .where(unpaid_where)
                .order_by(Appointment.starts_at.desc(), Appointment.id.desc())
                .limit(MAX_UNPAID_LISTED)
            )
        ).all()
        return Attendance(
            visits=sum(n for _, _, n in per_location),
            by_location=tuple(
                LocationVisits(location_id=i, location_name=name, visits=n)
                for i, name, n in per_location
            ),
            no_shows=int(counts.get("no_show", 0)),
            cancellations=int(counts.get("cancelled", 0)),
            unpaid_count=unpaid_count,
            unpaid=tuple(
                UnpaidVisit(
                    appointment_id=a.id,
                    starts_at=a.starts_at,
                    status=a.status,
                    service_name=svc,
                    staff_name=staff_name,
                    location_name=loc,
                    price=from_minor(price, currency),
                )
                for a, svc, price, staff_name, loc in rows
            ),
        )


# --- Rewards -----------------------------------------------------------------------------


async def _points_balance(session: AsyncSession, client_id: int) -> int:
    last = await session.scalar(
        select(RewardEntry.balance_after)
        .where(RewardEntry.client_id == client_id)
        .order_by(RewardEntry.id.desc())
        .limit(1)
    )
    return int(last or 0)


async def _reward_views(
    session: AsyncSession, where: list[Any], *, offset: int = 0, limit: int = 50
) -> list[RewardEntryView]:
    rows = await session.execute(
        select(RewardEntry, Staff.name)
        .outerjoin(Staff, Staff.id == RewardEntry.staff_id)
        .where(*where)
        .order_by(RewardEntry.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [
        RewardEntryView(
            id=e.id,
            points=e.points,
            balance_after=e.balance_after,
            reason=cast(RewardReason, e.reason),
            description=e.description,
            staff_name=staff_name or "",
            terminal=e.terminal,
            prize_id=e.prize_id,
            created_at=_utc(e.created_at),
        )
        for e, staff_name in rows.all()
    ]


async def _post_points(
    ctx: ServiceContext,
    session: AsyncSession,
    client_id: int,
    points: int,
    *,
    reason: RewardReason,
    description: str,
    prize_id: int | None = None,
) -> RewardEntryView:
    await _lock_client(ctx, session, client_id)
    before = await _points_balance(session, client_id)
    after = before + points
    if after < 0:
        raise InsufficientBalance(
            available=before,
            requested=-points,
            field="points",
            message=f"Not enough points: {before} available, {-points} needed",
        )
    entry = RewardEntry(
        client_id=client_id,
        points=points,
        balance_after=after,
        reason=reason,
        description=description,
        staff_id=ctx.actor.staff_id,
        terminal=ctx.actor.terminal,
        prize_id=prize_id,
    )
    session.add(entry)
    await session.flush()
    return (await _reward_views(session, [RewardEntry.id == entry.id]))[0]


async def rewards(
    ctx: ServiceContext, client_id: int, offset: int = 0, limit: int = 50
) -> RewardsPage:
    offset, limit = _page(offset, limit)
    async with ctx.read() as session:
        await _client(session, client_id)
        where = [RewardEntry.client_id == client_id]
        total = await session.scalar(select(func.count()).select_from(RewardEntry).where(*where))
        return RewardsPage(
            balance=await _points_balance(session, client_id),
            entries=tuple(await _reward_views(session, where, offset=offset, limit=limit)),
            total=int(total or 0),
            offset=offset,
            limit=limit,
        )


async def earn_points(
    ctx: ServiceContext,
    client_id: int,
    points: int,
    reason: RewardReason = "visit",
    description: str = "",
) -> RewardEntryView:
    """Append points: "visit"/"spend" earn (> 0); "adjust" may also take some away."""
    _choice(reason, ("visit", "spend", "adjust"), "reason")
    if points == 0 or (points < 0 and reason != "adjust"):
        raise ValidationError("points", "Points earned must be more than zero")
    if abs(points) > 1_000_000:
        raise ValidationError("points", "Points must be at most 1,000,000")
    default = {"visit": "Points for a visit", "spend": "Points for spend", "adjust": ""}[reason]
    text = clean_description(description or default, field="description")
    async with ctx.transaction() as session:
        await _client(session, client_id)
        return await _post_points(ctx, session, client_id, points, reason=reason, description=text)


async def redeem_prize(ctx: ServiceContext, client_id: int, prize_id: int) -> RewardEntryView:
    async with ctx.transaction() as session:
        await _client(session, client_id)
        prize = await session.get(Prize, prize_id)
        if prize is None:
            raise NotFound("prize")
        if not prize.active:
            raise ValidationError("prize", f"{prize.name} is no longer offered")
        return await _post_points(
            ctx,
            session,
            client_id,
            -prize.points_cost,
            reason="redeem",
            description=f"Redeemed: {prize.name}",
            prize_id=prize.id,
        )


async def prizes(ctx: ServiceContext, *, active_only: bool = True) -> tuple[PrizeView, ...]:
    async with ctx.read() as session:
        stmt = select(Prize).order_by(Prize.points_cost, Prize.id)
        if active_only:
            stmt = stmt.where(Prize.active.is_(True))
        return tuple(
            PrizeView(id=p.id, name=p.name, points_cost=p.points_cost, active=p.active)
            for p in await session.scalars(stmt)
        )


# --- Contact History ---------------------------------------------------------------------


def _contact_view(log: ContactLog, staff_name: str | None) -> ContactView:
    return ContactView(
        id=log.id,
        channel=cast(ContactChannel, log.channel),
        note=log.note,
        staff_id=log.staff_id,
        staff_name=staff_name or "",
        created_at=_utc(log.created_at),
    )


async def contact_history(
    ctx: ServiceContext, client_id: int, offset: int = 0, limit: int = 50
) -> ContactPage:
    offset, limit = _page(offset, limit)
    async with ctx.read() as session:
        await _client(session, client_id)
        mine = ContactLog.client_id == client_id
        total = await session.scalar(select(func.count()).select_from(ContactLog).where(mine))
        rows = await session.execute(
            select(ContactLog, Staff.name)
            .outerjoin(Staff, Staff.id == ContactLog.staff_id)
            .where(mine)
            .order_by(ContactLog.created_at.desc(), ContactLog.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return ContactPage(
            items=tuple(_contact_view(log, name) for log, name in rows.all()),
            total=int(total or 0),
            offset=offset,
            limit=limit,
        )


async def log_contact(
    ctx: ServiceContext, client_id: int, channel: ContactChannel, note: str
) -> ContactView:
    _choice(channel, CONTACT_CHANNELS, "channel")
    text = clean_note(note, "note", required=True)
    async with ctx.transaction() as session:
        await _client(session, client_id)
        log = ContactLog(
            client_id=client_id, channel=channel, note=text, staff_id=ctx.actor.staff_id
        )
        session.add(log)
        await session.flush()
        names = await _staff_names(session, {log.staff_id})
        return _contact_view(log, names.get(log.staff_id or 0))


# --- Documents ---------------------------------------------------------------------------


def _document_view(doc: ClientDocument) -> DocumentView:
    return DocumentView(
        id=doc.id,
        title=doc.title,
        kind=cast(DocumentKind, doc.kind),
        signed_at=_utc(doc.signed_at) if doc.signed_at else None,
        created_at=_utc(doc.created_at),
    )


async def documents(ctx: ServiceContext, client_id: int) -> tuple[DocumentView, ...]:
    """Unsigned first (they need the client's attention), then newest first."""
    async with ctx.read() as session:
        await _client(session, client_id)
        docs = await session.scalars(
            select(ClientDocument)
            .where(ClientDocument.client_id == client_id)
            .order_by(
                ClientDocument.signed_at.is_not(None),
                ClientDocument.created_at.desc(),
                ClientDocument.id.desc(),
            )
        )
        return tuple(_document_view(d) for d in docs)


async def add_document(
    ctx: ServiceContext, client_id: int, title: str, kind: DocumentKind
) -> DocumentView:
    _choice(kind, DOCUMENT_KINDS, "kind")
    text = clean_description(title, field="title")
    async with ctx.transaction() as session:
        await _client(session, client_id)
        doc = ClientDocument(client_id=client_id, title=text, kind=kind)
        session.add(doc)
        await session.flush()
        return _document_view(doc)


async def mark_signed(ctx: ServiceContext, document_id: int) -> DocumentView:
    """Record the signature now; a document signed already keeps its first signature."""
    async with ctx.transaction() as session:
        doc = await session.get(ClientDocument, document_id)
        if doc is None:
            raise NotFound("document")
        if doc.signed_at is None:
            doc.signed_at = dt.datetime.now(dt.UTC)
            await session.flush()
        return _document_view(doc)


# --- Transformation Log and Goals (need "edit_transformation_log") -------------------------


def _entry_view(e: TransformationEntry, staff_name: str | None) -> TransformationEntryView:
    return TransformationEntryView(
        id=e.id,
        entry_date=e.entry_date,
        note=e.note,
        staff_name=staff_name or "",
        created_at=_utc(e.created_at),
        updated_at=_utc(e.updated_at),
    )


def _goal_view(g: ClientGoal) -> GoalView:
    return GoalView(
        id=g.id,
        title=g.title,
        target_date=g.target_date,
        achieved=g.achieved,
        note=g.note,
        created_at=_utc(g.created_at),
        updated_at=_utc(g.updated_at),
    )


def _entry_date(value: dt.date | str) -> dt.date:
    day = value if isinstance(value, dt.date) else parse_date(value, "entry_date")
    if day is None:
        raise ValidationError("entry_date", "Enter the date of this entry")
    return day


def _target_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return parse_date(value, "target_date")


async def transformation_log(
    ctx: ServiceContext, client_id: int
) -> tuple[TransformationEntryView, ...]:
    """Newest entry date first."""
    async with ctx.read() as session:
        await _require_transformation(ctx, session)
        await _client(session, client_id)
        rows = await session.execute(
            select(TransformationEntry, Staff.name)
            .outerjoin(Staff, Staff.id == TransformationEntry.staff_id)
            .where(TransformationEntry.client_id == client_id)
            .order_by(TransformationEntry.entry_date.desc(), TransformationEntry.id.desc())
        )
        return tuple(_entry_view(e, name) for e, name in rows.all())


async def add_transformation_entry(
    ctx: ServiceContext, client_id: int, entry_date: dt.date | str, note: str
) -> TransformationEntryView:
    day = _entry_date(entry_date)
    text = clean_note(note, "note", required=True)
    async with ctx.transaction() as session:
        await _require_transformation(ctx, session)
        await _client(session, client_id)
        entry = TransformationEntry(
            client_id=client_id, entry_date=day, note=text, staff_id=ctx.actor.staff_id
        )
        session.add(entry)
        await session.flush()
        names = await _staff_names(session, {entry.staff_id})
        return _entry_view(entry, names.get(entry.staff_id or 0))


async def edit_transformation_entry(
    ctx: ServiceContext, entry_id: int, *, entry_date: dt.date | str, note: str
) -> TransformationEntryView:
    day = _entry_date(entry_date)
    text = clean_note(note, "note", required=True)
    async with ctx.transaction() as session:
        await _require_transformation(ctx, session)
        entry = await session.get(TransformationEntry, entry_id)
        if entry is None:
            raise NotFound("transformation log entry")
        entry.entry_date = day
        entry.note = text
        entry.updated_at = dt.datetime.now(dt.UTC)
        await session.flush()
        names = await _staff_names(session, {entry.staff_id})
        return _entry_view(entry, names.get(entry.staff_id or 0))


async def goals(ctx: ServiceContext, client_id: int) -> tuple[GoalView, ...]:
    """Open goals first (soonest target first), then achieved ones."""
    async with ctx.read() as session:
        await _require_transformation(ctx, session)
        await _client(session, client_id)
        rows = await session.scalars(
            select(ClientGoal)
            .where(ClientGoal.client_id == client_id)
            .order_by(
                ClientGoal.achieved,
                ClientGoal.target_date.is_(None),
                ClientGoal.target_date,
                ClientGoal.id,
            )
        )
        return tuple(_goal_view(g) for g in rows)


async def add_goal(
    ctx: ServiceContext,
    client_id: int,
    title: str,
    *,
    target_date: dt.date | str | None = None,
    note: str = "",
) -> GoalView:
    text = clean_description(title, field="title")
    day = _target_date(target_date)
    note_text = clean_note(note, "note")
    async with ctx.transaction() as session:
        await _require_transformation(ctx, session)
        await _client(session, client_id)
        goal = ClientGoal(client_id=client_id, title=text, target_date=day, note=note_text)
        session.add(goal)
        await session.flush()
        return _goal_view(goal)


async def update_goal(
    ctx: ServiceContext,
    goal_id: int,
    *,
    title: str,
    target_date: dt.date | str | None,
    achieved: bool,
    note: str,
) -> GoalView:
    text = clean_description(title, field="title")
    day = _target_date(target_date)
    note_text = clean_note(note, "note")
    async with ctx.transaction() as session:
        await _require_transformation(ctx, session)
        goal = await session.get(ClientGoal, goal_id)
        if goal is None:
            raise NotFound("goal")
        goal.title = text
        goal.target_date = day
        goal.achieved = achieved
        goal.note = note_text
        goal.updated_at = dt.datetime.now(dt.UTC)
        await session.flush()
        return _goal_view(goal)
