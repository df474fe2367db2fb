"""The deterministic demo salon: `frontdesk demo seed` and `frontdesk --demo`.

Same seed, same data: every random choice comes from `random.Random` streams derived
from the seed (one per phase, so the first 300 clients are the same whether the demo has
300 or 100,000 clients). Only appointment dates move: they fill the week of `today`.

Stored value is written the way the front desk writes it, through
`frontdesk.db.ledger.post` / `reverse`, never by setting a balance, so the demo ledger
obeys every ledger invariant (balance = sum of entries, running `balance_after`).

Speed: clients go in with bulk Core inserts in chunks; only the first few hundred
clients get a rich history, and larger runs give one extra client in 50 a single wallet
credit, so the ledger work stays bounded however many clients are asked for.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.ledger import (
    Actor,
    LedgerBatch,
    item_key,
    post,
    reverse,
)
from frontdesk.db.tables import (
    Appointment,
    AppointmentAddon,
    Base,
    Client,
    LedgerEntry,
    Location,
    Membership,
    MembershipPlan,
    Package,
    PackageItem,
    Product,
    Service,
    ServiceAddonDefault,
    Staff,
    StaffPermission,
    StoredValueAccount,
    StoreSettings,
)
from frontdesk.demo import names
from frontdesk.demo.profile_seed import seed_profiles
from frontdesk.domain.errors import Unavailable, ValidationError
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.normalize import digits, fold
from frontdesk.services.context import ServiceContext

TERMINAL = "demo-seed"
RICH_CLIENTS = 300  # clients with a full history, appointments and memberships
EXTRA_WALLET_EVERY = 50  # beyond the rich ones, every 50th client gets one wallet credit,
EXTRA_WALLET_MAX = 1_000  # up to this many: the ledger work is bounded whatever the size
INSERT_CHUNK = 5_000
HISTORY_DAYS = 90
MAX_CLIENTS = 1_000_000

# Appointment wall-clock times are the location's (London); ledger times are UTC.
try:
    LOCAL_TZ: dt.tzinfo = ZoneInfo("Europe/London")
except ZoneInfoNotFoundError:  # pragma: no cover - tzdata missing on this machine
    LOCAL_TZ = dt.UTC


@dataclass(frozen=True, slots=True)
class ServiceDef:
    key: str
    name: str
    category: str
    minutes: int
    price_minor: int
    commission_percent: Decimal
    commission_sale_minor: int
    commission_redeem_minor: int
    prepaid_allowed: bool


@dataclass(frozen=True, slots=True)
class ProductDef:
    key: str
    name: str
    unit_name: str
    unit_price_minor: int
    usage_tracking: bool
    addon_eligible: bool


SERVICES: tuple[ServiceDef, ...] = (
    ServiceDef(
        "botox",
        "Botox — Anti-wrinkle (3 areas)",
        "Injectables",
        45,
        25_000,
        Decimal("15"),
        2_500,
        2_000,
        False,
    ),
    ServiceDef(
        "filler", "Lip Filler", "Injectables", 60, 30_000, Decimal("15"), 3_000, 2_500, False
    ),
    ServiceDef("hydra", "HydraFacial", "Facials", 60, 12_000, Decimal("12"), 1_200, 1_000, True),
    ServiceDef("facial", "Signature Facial", "Facials", 45, 9_000, Decimal("12"), 900, 800, True),
    ServiceDef(
        "deep", "Deep Tissue Massage", "Massage", 60, 8_000, Decimal("20"), 1_000, 800, True
    ),
    ServiceDef("swedish", "Swedish Massage", "Massage", 60, 7_000, Decimal("20"), 900, 700, True),
    ServiceDef("brows", "Brow Shape & Tint", "Brows", 30, 3_500, Decimal("10"), 350, 300, True),
)

PRODUCTS: tuple[ProductDef, ...] = (
    ProductDef("botox", "Botox", "unit", 900, True, True),
    ProductDef("filler", "Dermal Filler", "syringe", 28_000, True, True),
    ProductDef("numbing", "Numbing Cream", "tube", 1_200, False, True),
    ProductDef("retinol", "Retinol Serum", "bottle", 4_500, False, False),
    ProductDef("spf", "SPF 50", "bottle", 2_800, False, False),
)

# service key -> (product key, units the service normally needs)
ADDON_DEFAULTS: dict[str, tuple[str, int]] = {"botox": ("botox", 20), "filler": ("filler", 1)}

BOTOX_PACKAGE = ("Botox Bank — 50 units", 40_000, "botox", 50)

# Which services each role performs, with booking weights.
ROLE_SERVICES: dict[str, tuple[tuple[str, int], ...]] = {
    "aesthetic_practitioner": (
        ("botox", 4),
        ("filler", 2),
        ("hydra", 2),
        ("facial", 1),
        ("brows", 1),
    ),
    "therapist": (
        ("hydra", 1),
        ("facial", 3),
        ("deep", 2),
        ("swedish", 2),
        ("brows", 2),
    ),
}

PREPAID_BUNDLES: tuple[tuple[str, int], ...] = (("deep", 5), ("swedish", 5), ("facial", 5))
WALLET_SPEND_SERVICES: tuple[str, ...] = ("facial", "hydra", "brows", "swedish", "deep")
GOODWILL = "Goodwill credit — appointment issue"
RENEWAL = "Monthly Membership Credit"

OPEN = dt.time(9, 0)
CLOSE = dt.time(18, 0)
SUNDAY_OPEN = dt.time(10, 0)
SUNDAY_CLOSE = dt.time(16, 0)


@dataclass(frozen=True, slots=True)
class SeedReport:
    clients: int
    staff: int
    locations: int
    services: int
    products: int
    membership_plans: int
    memberships: int
    appointments: int
    accounts: int
    ledger_entries: int
    reversals: int

    def __str__(self) -> str:
        return (
            f"seeded {self.clients:,} clients, {self.staff:,} staff, "
            f"{self.locations:,} locations, {self.appointments:,} appointments, "
            f"{self.ledger_entries:,} ledger entries"
        )


async def seed_demo(
    ctx: ServiceContext,
    *,
    clients: int = RICH_CLIENTS,
    seed: int = 1,
    today: dt.date | None = None,
) -> SeedReport:
    """Fill an empty (migrated) database with the demo salon, in one transaction.

    Refuses a database that already has clients: demo data never mixes with real data.
    """
    async with ctx.transaction() as session:
        plan = await _seed_schedule(session, clients, seed, today)
        await _seed_history(session, plan)
        return await _report(session)


async def seed_demo_schedule_first(
    ctx: ServiceContext,
    *,
    schedule_ready: Callable[[], Awaitable[object]],
    clients: int = RICH_CLIENTS,
    seed: int = 1,
    today: dt.date | None = None,
) -> SeedReport:
    """The same demo in two transactions, so a first `frontdesk --demo` can open sooner.

    The first commits what today's schedule shows (reference data, clients, this week's
    appointments), then calls `schedule_ready`; the second adds the ledger history and
    profiles. Readers see the history all at once or not at all; a set-up stopped between
    the two leaves a `partial` demo (no ledger entries), which `frontdesk --demo` rebuilds.
    """
    async with ctx.transaction() as session:
        plan = await _seed_schedule(session, clients, seed, today)
    await schedule_ready()
    async with ctx.transaction() as session:
        await _seed_history(session, plan)
        return await _report(session)


@dataclass(slots=True)
class _Plan:
    ref: _Ref
    client_ids: list[int]
    rich: list[int]
    bookings: list[_Booking]
    seed: int
    today: dt.date


async def _seed_schedule(
    session: AsyncSession, clients: int, seed: int, today: dt.date | None
) -> _Plan:
    if not 1 <= clients <= MAX_CLIENTS:
        raise ValidationError("clients", f"The demo needs between 1 and {MAX_CLIENTS:,} clients")
    today = today or dt.date.today()
    if await session.scalar(select(Client.id).limit(1)) is not None:
        raise Unavailable(
            "This database already has clients; the demo only seeds an empty database "
            "(use a new database, or `frontdesk --demo --reset`)"
        )
    ref = await _reference_data(session)
    client_ids = await _insert_clients(session, ref, clients, seed, today)
    rich = client_ids[: min(clients, RICH_CLIENTS)]
    bookings = await _appointments(session, ref, rich, seed, today)
    return _Plan(ref, client_ids, rich, bookings, seed, today)


async def _seed_history(session: AsyncSession, plan: _Plan) -> None:
    history = _History(session, plan.ref, Actor(plan.ref.actor_id, TERMINAL), plan.today)
    await history.rich_clients(plan.rich, plan.bookings, plan.seed)
    await history.extra_wallets(plan.client_ids, plan.seed)
    await seed_profiles(
        session,
        plan.rich,
        random.Random(f"{plan.seed}:profiles"),
        today=plan.today,
        actor=history.actor,
    )


# --- reference data -----------------------------------------------------------------


@dataclass(slots=True)
class _Ref:
    location_ids: list[int] = field(default_factory=list)
    staff: list[tuple[int, str, int]] = field(default_factory=list)  # id, role, location id
    actor_id: int | None = None
    services: dict[str, Service] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    plans: dict[str, MembershipPlan] = field(default_factory=dict)


async def _reference_data(session: AsyncSession) -> _Ref:
    ref = _Ref()
    settings = await session.get(StoreSettings, 1)
    if settings is None:
        settings = StoreSettings(id=1)
        session.add(settings)
    settings.business_name = names.BUSINESS_NAME
    settings.currency = "GBP"
    settings.locale = "en_GB"
    settings.future_product_usage = True
    settings.commission_system = "single"

    existing = list((await session.execute(select(Location).order_by(Location.id))).scalars())
    by_name = {loc.name: loc for loc in existing}
    for i, (name, address) in enumerate(names.LOCATIONS):
        loc = by_name.get(name)
        if loc is None and i == 0 and len(existing) == 1 and existing[0].name == "Main":
            # First-run set-up made a placeholder location; the demo adopts it.
            loc = existing[0]
            loc.name = name
        if loc is None:
            loc = Location(name=name)
            session.add(loc)
        loc.address = address
        loc.opens_at = OPEN
        loc.closes_at = CLOSE
        await session.flush()
        ref.location_ids.append(loc.id)

    # One flush for all staff (a first --demo waits on this): ids come back in order.
    members = [
        Staff(name=staff_name, role=role, location_id=ref.location_ids[loc_index])
        for staff_name, role, loc_index in names.STAFF
    ]
    session.add_all(members)
    await session.flush()
    for member in members:
        ref.staff.append((member.id, member.role, member.location_id or 0))
        if member.name == names.SEED_ACTOR_NAME:
            ref.actor_id = member.id
        for permission in names.ROLE_PERMISSIONS.get(member.role, ()):
            session.add(StaffPermission(staff_id=member.id, permission=permission))

    for s in SERVICES:
        service = Service(
            name=s.name,
            category=s.category,
            duration_minutes=s.minutes,
            price_minor=s.price_minor,
            commission_percent=s.commission_percent,
            commission_sale_minor=s.commission_sale_minor,
            commission_redeem_minor=s.commission_redeem_minor,
            prepaid_allowed=s.prepaid_allowed,
        )
        session.add(service)
        ref.services[s.key] = service
    for p in PRODUCTS:
        product = Product(
            name=p.name,
            unit_name=p.unit_name,
            unit_price_minor=p.unit_price_minor,
            usage_tracking=p.usage_tracking,
            addon_eligible=p.addon_eligible,
        )
        session.add(product)
        ref.products[p.key] = product
    await session.flush()

    for service_key, (product_key, units) in ADDON_DEFAULTS.items():
        session.add(
            ServiceAddonDefault(
                service_id=ref.services[service_key].id,
                product_id=ref.products[product_key].id,
                default_units=units,
            )
        )
    package_name, package_price, package_product, package_units = BOTOX_PACKAGE
    package = Package(name=package_name, price_minor=package_price)
    session.add(package)
    await session.flush()
    session.add(
        PackageItem(
            package_id=package.id,
            product_id=ref.products[package_product].id,
            units=package_units,
        )
    )

    ref.plans = {
        "auto": MembershipPlan(
            name="Glow Auto",
            price_minor=7_900,
            discount_percent=Decimal("10"),
            beauty_bank=True,
            mode="auto",
            credit_minor=5_000,
        ),
        "select": MembershipPlan(
            name="Glow Select",
            price_minor=9_900,
            discount_percent=Decimal("15"),
            beauty_bank=True,
            mode="select",
            cash_alternative_minor=4_000,
            included_service_id=ref.services["facial"].id,
        ),
        "essentials": MembershipPlan(
            name="Essentials",
            price_minor=4_900,
            discount_percent=Decimal("5"),
            beauty_bank=False,
            mode="auto",
        ),
    }
    session.add_all(ref.plans.values())
    await session.flush()
    return ref


# --- clients ------------------------------------------------------------------------


def _slug(name: str) -> str:
    return "".join(ch for ch in fold(name) if "a" <= ch <= "z" or "0" <= ch <= "9")


def _phone(rng: random.Random, index: int) -> str:
    if index < 1000:
        # Ofcom's drama range: 07700 900000-900999 is never a real number.
        tail = f"{index:03d}"
        style = index % 10
        if style == 7:
            return f"+44 7700 900{tail}"
        if style == 8:
            return f"(07700) 900-{tail}"
        if style == 9:
            return f"07700900{tail}"
        return f"07700 900{tail}"
    if rng.random() < 0.02:
        return ""
    number = f"{rng.randrange(10**9):09d}"
    if rng.random() < 0.1:
        return f"+44 7{number[:3]} {number[3:]}"
    return f"07{number[:3]} {number[3:]}"


def client_rows(
    count: int, seed: int, today: dt.date, location_ids: Sequence[int]
) -> list[dict[str, Any]]:
    """The client rows, in client-number order (pure; the same for the same arguments)."""
    rng = random.Random(f"{seed}:clients")
    folded: dict[str, str] = {}
    slugs: dict[str, str] = {}
    seen_emails: set[str] = set()
    home, away = location_ids[0], location_ids[-1]
    rows: list[dict[str, Any]] = []
    special = names.SPECIAL_CLIENTS
    for i in range(count):
        rich = i < RICH_CLIENTS
        if i < len(special):
            first, last, notes = special[i]
        else:
            first = rng.choice(names.FIRST_NAMES)
            last = rng.choice(names.LAST_NAMES)
            notes = rng.choice(names.CLIENT_NOTES) if rng.random() < 0.04 else ""
        phone = _phone(rng, i)
        domain = rng.choice(names.EMAIL_DOMAINS)
        if first not in slugs:
            slugs[first] = _slug(first)
        if last not in slugs:
            slugs[last] = _slug(last)
        # An email's local part is at most 64 characters (RFC 5321).
        local = f"{slugs[first] or 'client'}.{slugs[last] or str(i + 1)}"[:52]
        if rich:
            email = f"{local}@{domain}"
            n = 2
            while email in seen_emails:
                email = f"{local}{n}@{domain}"
                n += 1
            seen_emails.add(email)
            if i % 17 == 5:
                email = email[:1].upper() + email[1:].replace("@example", "@Example")
        else:
            email = "" if rng.random() < 0.03 else f"{local}.{i + 1}@{domain}"
        birthday = (
            None
            if rng.random() < 0.1
            else dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20_000))
        )
        travel = rng.random() < (0.15 if rich else 0.35)
        joined = today - dt.timedelta(days=rng.randint(HISTORY_DAYS + 10 if rich else 0, 1500))
        if first not in folded:
            folded[first] = fold(first)
        if last not in folded:
            folded[last] = fold(last)
        rows.append(
            {
                "client_number": f"C{i + 1:06d}",
                "first_name": first,
                "last_name": last,
                "phone": phone,
                "email": email,
                "birthday": birthday,
                "home_location_id": away if travel else home,
                "notes": notes,
                "search_first": folded[first],
                "search_last": folded[last],
                "phone_digits": digits(phone),
                "email_lower": email.casefold(),
                "created_at": dt.datetime.combine(joined, dt.time(9, 0), dt.UTC),
            }
        )
    return rows


async def _insert_clients(
    session: AsyncSession, ref: _Ref, count: int, seed: int, today: dt.date
) -> list[int]:
    rows = client_rows(count, seed, today, ref.location_ids)
    # The Core table insert (executemany): about 3x faster than the ORM's bulk path.
    for start in range(0, len(rows), INSERT_CHUNK):
        await session.execute(insert(_table(Client)), rows[start : start + INSERT_CHUNK])
    ids = (await session.execute(select(Client.id).order_by(Client.id))).scalars().all()
    return list(ids)


# --- appointments -------------------------------------------------------------------


@dataclass(slots=True)
class _Booking:
    client_index: int
    staff_id: int
    service_key: str
    location_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str = "booked"
    cancel_reason: str = ""
    appointment_id: int = 0


Span = tuple[dt.datetime, dt.datetime]


def _free(busy: list[Span], start: dt.datetime, end: dt.datetime) -> bool:
    return all(end <= s or start >= e for s, e in busy)


def _weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    keys = [k for k, _ in options]
    weights = [w for _, w in options]
    return rng.choices(keys, weights=weights)[0]


def plan_bookings(
    ref_staff: Sequence[tuple[int, str, int]],
    location_ids: Sequence[int],
    service_minutes: dict[str, int],
    rich_count: int,
    seed: int,
    today: dt.date,
) -> list[_Booking]:
    """This week's appointments: no staff member or client is ever in two places at once."""
    rng = random.Random(f"{seed}:appointments")
    staff_busy: dict[int, list[Span]] = {}
    client_busy: dict[int, list[Span]] = {}
    bookings: list[_Booking] = []

    def book(b: _Booking) -> bool:
        sb = staff_busy.setdefault(b.staff_id, [])
        cb = client_busy.setdefault(b.client_index, [])
        if not (_free(sb, b.starts_at, b.ends_at) and _free(cb, b.starts_at, b.ends_at)):
            return False
        sb.append((b.starts_at, b.ends_at))
        cb.append((b.starts_at, b.ends_at))
        bookings.append(b)
        return True

    def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute))

    home = location_ids[0]
    providers = [(sid, role, loc) for sid, role, loc in ref_staff if role in ROLE_SERVICES]
    at_home = [(s, r) for s, r, loc in providers if loc == home]
    practitioner = next(s for s, r in at_home if r == "aesthetic_practitioner")
    therapist = next(s for s, r in at_home if r == "therapist")

    # The front desk's story for today at the first location (always booked, afternoon).
    fixed = (
        (names.AMELIA, practitioner, "botox", 14, 0),
        (names.ZERO_UNITS, practitioner, "botox", 15, 0),
        (names.MARKUP, therapist, "facial", 14, 0),
    )
    for index, staff_id, key, hour, minute in fixed:
        if index < rich_count:
            start = at(today, hour, minute)
            end = start + dt.timedelta(minutes=service_minutes[key])
            book(_Booking(index, staff_id, key, home, start, end))

    # The three clients with a part to play today keep their story: no other bookings.
    pool = list(range(names.MARKUP + 1, rich_count)) or list(range(rich_count))
    week_start = today - dt.timedelta(days=today.weekday())
    for offset in range(7):
        day = week_start + dt.timedelta(days=offset)
        opens, closes = (SUNDAY_OPEN, SUNDAY_CLOSE) if day.weekday() == 6 else (OPEN, CLOSE)
        for staff_id, role, loc in providers:
            cursor = dt.datetime.combine(day, opens)
            close_at = dt.datetime.combine(day, closes)
            while True:
                cursor += dt.timedelta(minutes=rng.choice((0, 15, 30, 45, 60, 90)))
                key = _weighted(rng, ROLE_SERVICES[role])
                end = cursor + dt.timedelta(minutes=service_minutes[key])
                if end > close_at:
                    break
                client_index = rng.choice(pool)
                if book(_Booking(client_index, staff_id, key, loc, cursor, end)):
                    cursor = end
                else:
                    cursor += dt.timedelta(minutes=15)

    for b in bookings:
        day = b.starts_at.date()
        roll = rng.random()
        if day < today:
            if roll < 0.08:
                b.status = "no_show"
            elif roll < 0.2:
                b.status, b.cancel_reason = "cancelled", rng.choice(names.CANCEL_REASONS)
            else:
                b.status = "completed"
        elif day == today and b.status == "booked" and b.client_index > names.MARKUP:
            if b.ends_at <= at(today, 12):
                b.status = "no_show" if roll < 0.1 else "completed"
            elif b.starts_at < at(today, 13):
                b.status = "checked_in"
        elif day > today and roll < 0.05:
            b.status, b.cancel_reason = "cancelled", rng.choice(names.CANCEL_REASONS)
    bookings.sort(key=lambda b: (b.starts_at, b.location_id, b.staff_id))
    return bookings


async def _appointments(
    session: AsyncSession, ref: _Ref, rich: list[int], seed: int, today: dt.date
) -> list[_Booking]:
    minutes = {key: s.duration_minutes for key, s in ref.services.items()}
    bookings = plan_bookings(ref.staff, ref.location_ids, minutes, len(rich), seed, today)
    rows = [
        Appointment(
            client_id=rich[b.client_index],
            staff_id=b.staff_id,
            service_id=ref.services[b.service_key].id,
            location_id=b.location_id,
            starts_at=b.starts_at,
            ends_at=b.ends_at,
            status=b.status,
            cancel_reason=b.cancel_reason,
            created_at=_utc(b.starts_at) - dt.timedelta(days=7 + b.starts_at.weekday()),
        )
        for b in bookings
    ]
    session.add_all(rows)
    await session.flush()
    for b, row in zip(bookings, rows, strict=True):
        b.appointment_id = row.id
    return bookings


def _utc(local: dt.datetime) -> dt.datetime:
    return local.replace(tzinfo=LOCAL_TZ).astimezone(dt.UTC)


# --- ledger history -----------------------------------------------------------------


@dataclass(slots=True)
class _Event:
    when: dt.datetime
    account: tuple[StoredValueKind, str | None]  # kind, product/service key
    amount: int
    reason: str
    description: str
    appointment_id: int | None = None
    allow_negative: bool = False
    addon: tuple[str, int] | None = None  # product key, units used (an add-on row)
    reverse_later: str | None = None  # reversal description, posted after the history


class _History:
    """Posts each client's history in time order through the real ledger functions."""

    def __init__(self, session: AsyncSession, ref: _Ref, actor: Actor, today: dt.date) -> None:
        self.session = session
        self.ref = ref
        self.actor = actor
        self.now = dt.datetime.now(dt.UTC)
        # Everything not tied to an appointment happened before today (and before now,
        # so a reversal, stamped "now" by `reverse`, is always its account's latest entry).
        self.end = min(dt.datetime.combine(today, dt.time(0), dt.UTC), self.now)
        self.start = self.end - dt.timedelta(days=HISTORY_DAYS)
        self.week_start = dt.datetime.combine(
            today - dt.timedelta(days=today.weekday()), dt.time(0), dt.UTC
        ) - dt.timedelta(days=1)
        self.today = today
        self.addon_appointments: set[int] = set()

    def _at(self, rng: random.Random, lo: float, hi: float) -> dt.datetime:
        """A time between `lo` and `hi` days after the start of the history window."""
        span = (self.week_start - self.start).total_seconds() / 86_400
        lo, hi = min(lo, span), min(hi, span)
        seconds = int(rng.uniform(lo, hi) * 86_400)
        return self.start + dt.timedelta(seconds=seconds)

    def _times(self, rng: random.Random, n: int, lo: float, hi: float) -> list[dt.datetime]:
        return sorted(self._at(rng, lo, hi) for _ in range(n))

    async def rich_clients(
        self, client_ids: list[int], bookings: list[_Booking], seed: int
    ) -> None:
        rng = random.Random(f"{seed}:ledger")
        completed: dict[tuple[int, str], list[_Booking]] = {}
        for b in bookings:
            if b.status == "completed":
                completed.setdefault((b.client_index, b.service_key), []).append(b)
        planned: list[tuple[int, list[_Event]]] = []
        for index, client_id in enumerate(client_ids):
            events = self._plan_client(rng, index, completed)
            events.extend(await self._membership(rng, index, client_id))
            planned.append((client_id, events))
        await self._post_all(planned)
        # Completed injectables that used no banked units bought what they needed.
        for b in bookings:
            if (
                b.status == "completed"
                and b.service_key in ADDON_DEFAULTS
                and b.appointment_id not in self.addon_appointments
            ):
                product_key, units = ADDON_DEFAULTS[b.service_key]
                product = self.ref.products[product_key]
                self.session.add(
                    AppointmentAddon(
                        appointment_id=b.appointment_id,
                        product_id=product.id,
                        use_units=0,
                        buy_units=units,
                        unit_price_minor=product.unit_price_minor,
                        created_at=_utc(b.starts_at),
                    )
                )

    def _plan_client(
        self,
        rng: random.Random,
        index: int,
        completed: dict[tuple[int, str], list[_Booking]],
    ) -> list[_Event]:
        events: list[_Event] = []
        botox = (StoredValueKind.PRODUCT_UNITS, "botox")
        botox_service = SERVICES[0].name

        def used(units: int, when: dt.datetime, booking: _Booking | None = None) -> _Event:
            return _Event(
                when,
                botox,
                -units,
                Reason.USE,
                f"Used on {botox_service}",
                appointment_id=booking.appointment_id if booking else None,
                addon=("botox", units) if booking else None,
            )

        package = f"{BOTOX_PACKAGE[0]} (package)"
        if index == names.AMELIA:
            t = self._times(rng, 3, 5, 80)
            events.append(_Event(t[0], botox, 50, Reason.SALE, package))
            events += [used(20, t[1]), used(20, t[2])]
        elif index == names.ZERO_UNITS:
            t = self._times(rng, 4, 0, 82)
            events += [
                _Event(t[0], botox, 50, Reason.SALE, package),
                used(20, t[1]),
                used(20, t[2]),
                _Event(t[3], botox, -10, Reason.USE, f"Used on {botox_service} (bought 10 more)"),
            ]
        elif rng.random() < 0.22:
            t = self._times(rng, 3, 0, 80)
            balance = 50
            events.append(_Event(t[0], botox, 50, Reason.SALE, package))
            for when in t[1 : 1 + rng.randint(0, 2)]:
                events.append(used(20, when))
                balance -= 20
            for b in completed.get((index, "botox"), []):
                if balance < 20:
                    events.append(_Event(self._at(rng, 82, 83), botox, 50, Reason.SALE, package))
                    balance += 50
                events.append(used(20, self._clamp(_utc(b.ends_at)), b))
                balance -= 20

        if rng.random() < 0.1:
            filler = (StoredValueKind.PRODUCT_UNITS, "filler")
            t = self._times(rng, 2, 0, 80)
            events.append(_Event(t[0], filler, 2, Reason.SALE, "Dermal Filler × 2"))
            uses: list[_Booking | None] = [None] if rng.random() < 0.5 else []
            uses += completed.get((index, "filler"), [])[:1]
            for n, fb in enumerate(uses[:2]):
                when = self._clamp(_utc(fb.ends_at)) if fb else t[1]
                events.append(
                    _Event(
                        when + dt.timedelta(seconds=n),
                        filler,
                        -1,
                        Reason.USE,
                        "Used on Lip Filler",
                        appointment_id=fb.appointment_id if fb else None,
                        addon=("filler", 1) if fb else None,
                    )
                )

        if rng.random() < 0.15:
            key, visits = rng.choice(PREPAID_BUNDLES)
            name = self.ref.services[key].name
            account = (StoredValueKind.PREPAID_VISITS, key)
            t = self._times(rng, 1 + rng.randint(0, visits - 1), 0, 80)
            events.append(_Event(t[0], account, visits, Reason.SALE, f"{visits} × {name}"))
            left = visits
            for when in t[1:]:
                events.append(_Event(when, account, -1, Reason.REDEEM, f"Redeemed: {name}"))
                left -= 1
            for b in completed.get((index, key), []):
                if left == 0:
                    break
                events.append(
                    _Event(
                        self._clamp(_utc(b.ends_at)),
                        account,
                        -1,
                        Reason.REDEEM,
                        f"Redeemed: {name}",
                        appointment_id=b.appointment_id,
                    )
                )
                left -= 1

        account_money = (StoredValueKind.ACCOUNT_MONEY, None)
        roll = rng.random()
        if roll < 0.08:
            t = self._times(rng, 2, 0, 80)
            credit = rng.randrange(20, 101, 5) * 100
            events.append(_Event(t[0], account_money, credit, Reason.CREDIT, "Account credit"))
            if rng.random() < 0.5:
                spend = min(credit, rng.choice((3_500, 7_000, 9_000)))
                events.append(
                    _Event(
                        t[1], account_money, -spend, Reason.CHECKOUT_SPEND, "Applied at checkout"
                    )
                )
        elif roll < 0.13 or index == 4:
            t = self._times(rng, 2, 0, 80)
            key = rng.choice(WALLET_SPEND_SERVICES)
            owed = self.ref.services[key].price_minor
            charge = _Event(
                t[0],
                account_money,
                -owed,
                Reason.CHARGE,
                f"Balance owed: {self.ref.services[key].name}",
                allow_negative=True,
            )
            events.append(charge)
            if index == 4:
                charge.reverse_later = "Reversed: charged in error, paid by card on the day"
            elif rng.random() < 0.5:
                events.append(
                    _Event(
                        t[1],
                        account_money,
                        owed // 2,
                        Reason.PAYMENT,
                        "Part payment towards balance owed",
                        allow_negative=True,
                    )
                )

        wallet = (StoredValueKind.WALLET_MONEY, None)
        if index == 3 or rng.random() < 0.05:
            t = self._times(rng, 2, 10, 80)
            events.append(_Event(t[0], wallet, 2_500, Reason.ADJUST, GOODWILL))
            if index == 3 or rng.random() < 0.4:
                events.append(
                    _Event(
                        t[1],
                        wallet,
                        2_500,
                        Reason.ADJUST,
                        GOODWILL,
                        reverse_later="Reversed: duplicate goodwill credit",
                    )
                )
        return events

    def _clamp(self, when: dt.datetime) -> dt.datetime:
        """Today's finished appointments may lie ahead of the clock when seeded early."""
        return min(when, max(self.now, self.end))

    async def _membership(self, rng: random.Random, index: int, client_id: int) -> list[_Event]:
        if index != names.AMELIA and rng.random() >= 0.2:
            return []
        plan_key = (
            "auto"
            if index == names.AMELIA
            else rng.choice(("auto", "auto", "select", "select", "essentials"))
        )
        plan = self.ref.plans[plan_key]
        started = self.today - dt.timedelta(days=rng.randint(20, 540))
        started = started.replace(day=min(started.day, 28))
        cancelled = index != names.AMELIA and rng.random() < 0.1
        days_in = (self.today - started).days
        cancel_on = (
            self.today - dt.timedelta(days=rng.randint(1, min(60, days_in - 1)))
            if cancelled
            else None
        )
        renewals: list[dt.date] = []
        month = 1
        next_renewal = _add_months(started, month)
        while next_renewal < self.today:
            if next_renewal >= self.today - dt.timedelta(days=HISTORY_DAYS) and (
                cancel_on is None or next_renewal < cancel_on
            ):
                renewals.append(next_renewal)
            month += 1
            next_renewal = _add_months(started, month)
        self.session.add(
            Membership(
                client_id=client_id,
                plan_id=plan.id,
                status="cancelled" if cancelled else "active",
                started_on=started,
                next_renewal=None if cancelled else next_renewal,
                cancelled_at=(
                    dt.datetime.combine(cancel_on, dt.time(11, 0), dt.UTC) if cancel_on else None
                ),
            )
        )
        events: list[_Event] = []
        if not plan.beauty_bank:
            return events
        wallet = (StoredValueKind.WALLET_MONEY, None)
        balance = 0
        for day in renewals:
            when = dt.datetime.combine(day, dt.time(6, 0), dt.UTC)
            if when >= self.end:
                continue
            if plan.mode == "auto":
                amount = plan.credit_minor
            else:
                choice = rng.random()
                if choice < 0.35:
                    events.append(
                        _Event(
                            when,
                            (StoredValueKind.PREPAID_VISITS, "facial"),
                            1,
                            Reason.RENEWAL,
                            "Monthly membership treatment: Signature Facial",
                        )
                    )
                    continue
                if choice < 0.5:
                    continue  # forgot to choose this cycle: neither benefit
                amount = plan.cash_alternative_minor
            events.append(_Event(when, wallet, amount, Reason.RENEWAL, RENEWAL))
            balance += amount
            if rng.random() < 0.45:
                key = rng.choice(WALLET_SPEND_SERVICES)
                service = self.ref.services[key]
                price = service.price_minor * (100 - int(plan.discount_percent)) // 100
                spend = min(balance, price)
                spent_at = min(when + dt.timedelta(days=rng.randint(1, 20)), self.end)
                events.append(
                    _Event(
                        spent_at, wallet, -spend, Reason.CHECKOUT_SPEND, f"Checkout: {service.name}"
                    )
                )
                balance -= spend
        return events

    def _account_fields(self, key: tuple[StoredValueKind, str | None]) -> dict[str, Any]:
        kind, item = key
        product_id = service_id = None
        unit_value = 1
        if kind is StoredValueKind.PRODUCT_UNITS and item:
            product = self.ref.products[item]
            product_id, unit_value = product.id, product.unit_price_minor
        elif kind is StoredValueKind.PREPAID_VISITS and item:
            service = self.ref.services[item]
            service_id, unit_value = service.id, service.price_minor
        return {
            "kind": kind.value,
            "item_key": item_key(kind, product_id, service_id),
            "product_id": product_id,
            "service_id": service_id,
            "unit_value_minor": unit_value,
        }

    async def _accounts(
        self, planned: list[tuple[int, list[_Event]]]
    ) -> dict[tuple[int, StoredValueKind, str | None], int]:
        """Every account the plan posts to, found or opened with one read and one flush
        (get_or_create per account was a third of a first `--demo`)."""
        wanted = {(client_id, *e.account) for client_id, events in planned for e in events}
        fields = {w: self._account_fields((w[1], w[2])) for w in wanted}
        client_ids = sorted({w[0] for w in wanted})
        existing: dict[tuple[int, str, str], int] = {}
        for chunk in range(0, len(client_ids), 500):
            rows = await self.session.execute(
                select(
                    StoredValueAccount.id,
                    StoredValueAccount.client_id,
                    StoredValueAccount.kind,
                    StoredValueAccount.item_key,
                ).where(StoredValueAccount.client_id.in_(client_ids[chunk : chunk + 500]))
            )
            existing.update({(r.client_id, r.kind, r.item_key): r.id for r in rows})
        opened: dict[tuple[int, StoredValueKind, str | None], StoredValueAccount] = {}
        found: dict[tuple[int, StoredValueKind, str | None], int] = {}
        for w in sorted(wanted, key=lambda w: (w[0], w[1].value, w[2] or "")):
            f = fields[w]
            account_id = existing.get((w[0], f["kind"], f["item_key"]))
            if account_id is not None:
                found[w] = account_id
            else:
                opened[w] = StoredValueAccount(client_id=w[0], balance=0, **f)
        self.session.add_all(opened.values())
        await self.session.flush()
        found.update({w: account.id for w, account in opened.items()})
        return found

    async def _post_all(self, planned: list[tuple[int, list[_Event]]]) -> None:
        accounts = await self._accounts(planned)
        batch = LedgerBatch(self.session, self.actor)
        await batch.lock(list(accounts.values()))
        posted: list[tuple[LedgerEntry, _Event]] = []
        for client_id, events in planned:
            # Stable sort: one account's events were planned in order; ties keep it.
            events.sort(key=lambda e: e.when)
            for e in events:
                entry = await batch.post(
                    accounts[(client_id, *e.account)],
                    e.amount,
                    reason=str(e.reason),
                    description=e.description,
                    appointment_id=e.appointment_id,
                    allow_negative=e.allow_negative,
                    when=e.when,
                )
                posted.append((entry, e))
        await batch.flush()  # entry ids from here on
        to_reverse: list[tuple[int, str]] = []
        for entry, e in posted:
            if e.addon is not None and e.appointment_id is not None:
                self.addon_appointments.add(e.appointment_id)
                product = self.ref.products[e.addon[0]]
                self.session.add(
                    AppointmentAddon(
                        appointment_id=e.appointment_id,
                        product_id=product.id,
                        use_units=e.addon[1],
                        buy_units=0,
                        unit_price_minor=product.unit_price_minor,
                        use_entry_id=entry.id,
                        created_at=e.when,
                    )
                )
            if e.reverse_later:
                to_reverse.append((entry.id, e.reverse_later))
        for entry_id, description in to_reverse:
            await reverse(self.session, entry_id, description=description, actor=self.actor)

    async def extra_wallets(self, client_ids: list[int], seed: int) -> None:
        """One welcome credit for every 50th client beyond the rich ones (bounded work)."""
        rng = random.Random(f"{seed}:extra")
        chosen = [client_ids[i] for i in range(RICH_CLIENTS, len(client_ids), EXTRA_WALLET_EVERY)][
            :EXTRA_WALLET_MAX
        ]
        if not chosen:
            return
        # Empty accounts in one statement (what get_or_create_account would make, balance 0);
        # every unit of value still arrives through `post`.
        kind = StoredValueKind.WALLET_MONEY
        created = dt.datetime.combine(self.start.date(), dt.time(0), dt.UTC)
        account_rows = [
            {
                "client_id": client_id,
                "kind": kind.value,
                "item_key": item_key(kind, None, None),
                "unit_value_minor": 1,
                "balance": 0,
                "created_at": created,
            }
            for client_id in chosen
        ]
        await self.session.execute(insert(_table(StoredValueAccount)), account_rows)
        rows = await self.session.execute(
            select(StoredValueAccount.client_id, StoredValueAccount.id).where(
                StoredValueAccount.kind == kind.value,
                StoredValueAccount.client_id >= chosen[0],
            )
        )
        accounts = {client_id: account_id for client_id, account_id in rows.all()}
        for client_id in chosen:
            await post(
                self.session,
                accounts[client_id],
                rng.choice((1_000, 1_500, 2_000)),
                reason=Reason.ADJUST,
                description="Welcome credit: new client offer",
                actor=self.actor,
                when=self._at(rng, 0, HISTORY_DAYS),
            )


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    return day.replace(year=day.year + month0 // 12, month=month0 % 12 + 1)


async def _count(session: AsyncSession, model: Any, *where: Any) -> int:
    stmt = select(func.count()).select_from(model)
    if where:
        stmt = stmt.where(*where)
    return int(await session.scalar(stmt) or 0)


async def _report(session: AsyncSession) -> SeedReport:
    await session.flush()
    return SeedReport(
        clients=await _count(session, Client),
        staff=await _count(session, Staff),
        locations=await _count(session, Location),
        services=await _count(session, Service),
        products=await _count(session, Product),
        membership_plans=await _count(session, MembershipPlan),
        memberships=await _count(session, Membership),
        appointments=await _count(session, Appointment),
        accounts=await _count(session, StoredValueAccount),
        ledger_entries=await _count(session, LedgerEntry),
        reversals=await _count(session, LedgerEntry, LedgerEntry.reverses_entry_id.is_not(None)),
    )
