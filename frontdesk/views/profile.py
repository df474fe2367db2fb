"""Read models for the client profile's header and tabs (docs/rules.md#client-profile).

Frozen pydantic models, like `frontdesk.views`: a screen holding one can't trigger a
lazy load or a write. Money is `Decimal` in the store currency; ledger and log times are
UTC (aware), appointment times the location's wall clock (naive).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from frontdesk.domain.permissions import Perm
from frontdesk.views import AppointmentView, ClientSummary, InStoreMoney, View
from frontdesk.views.balances import EntryView, HistoryPage

Channel = Literal["email", "sms"]
Category = Literal["schedule", "account", "news"]
RelationshipKind = Literal["family", "guardian", "partner"]
ContactChannel = Literal["call", "email", "sms"]
DocumentKind = Literal["form", "consent"]
RewardReason = Literal["visit", "spend", "redeem", "adjust"]
ActivityKind = Literal["booking", "cancellation", "no_show", "purchase", "adjustment"]
# What happened to a client's banked units, in the words the Service Add-ons history uses.
UnitEvent = Literal["bought", "banked", "used", "returned", "adjusted", "reversed"]

CHANNELS: tuple[Channel, ...] = ("email", "sms")
CATEGORIES: tuple[Category, ...] = ("schedule", "account", "news")
RELATIONSHIP_KINDS: tuple[RelationshipKind, ...] = ("family", "guardian", "partner")
CONTACT_CHANNELS: tuple[ContactChannel, ...] = ("call", "email", "sms")
DOCUMENT_KINDS: tuple[DocumentKind, ...] = ("form", "consent")


class ProfileHeader(InStoreMoney):
    client_id: int
    client_number: str
    first_name: str
    last_name: str
    membership_plan: str | None  # the active membership's plan name, if any
    home_location_id: int | None
    home_location_name: str | None
    # Viewed from a location other than the client's home: Profile Details and Account
    # are read-only here (the services refuse edits with PermissionDenied).
    travel_member: bool
    opted_out: bool  # every email and SMS notification is off: the "Opted out" badge
    owes: Decimal  # what the client owes on their account (0 when in credit)
    # A membership renewal was declined (retrying) or failed: derived from its cycles.
    past_due: bool = False

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def read_only(self) -> bool:
        """Profile Details and Account are read-only (travel member)."""
        return self.travel_member


class ProfileOpening(View):
    """What opening a profile shows at once, read in one transaction (issue 19): the
    header, the Overview's balances and contact (`summary`), its next appointments and
    what the signed-in person may do (`may`, as `desk.staff.mine()` answers it)."""

    header: ProfileHeader
    summary: ClientSummary
    upcoming: tuple[AppointmentView, ...]
    may: frozenset[Perm] = frozenset()


class NotificationSetting(View):
    channel: Channel
    category: Category
    opted_in: bool


class NotificationPrefs(View):
    client_id: int
    # Always six, in CHANNELS x CATEGORIES order; a category never set counts as opted in.
    settings: tuple[NotificationSetting, ...]

    @property
    def opted_out(self) -> bool:
        return not any(s.opted_in for s in self.settings)


class RelationshipView(View):
    id: int
    kind: RelationshipKind
    # The other client in the link: open their profile with this id.
    related_client_id: int
    related_client_number: str
    related_name: str
    # What the other client is to this one: "Family", "Partner", "Guardian", "Dependant".
    label: str


class ActivityItem(View):
    kind: ActivityKind
    at: dt.datetime  # UTC; cancellations and no-shows are placed at the appointment's time
    ref_id: int  # appointment id (booking, cancellation, no_show), ticket id, ledger entry id
    title: str  # "Booked", "Cancelled", "No-show", "Purchase", "Account credit", ...
    detail: str
    amount: Decimal | None = None  # purchases and adjustments; signed for adjustments
    is_money: bool = True  # False: `amount` counts units or visits
    staff_name: str = ""
    ticket_id: int | None = None  # a purchase with a receipt to show again


class ActivityPage(View):
    items: tuple[ActivityItem, ...]
    total: int
    offset: int
    limit: int


class LocationVisits(View):
    location_id: int
    location_name: str
    visits: int


class UnpaidVisit(View):
    appointment_id: int
    starts_at: dt.datetime
    status: str
    service_name: str
    staff_name: str
    location_name: str
    price: Decimal


class Attendance(View):
    visits: int  # completed or checked-in appointments that have started
    by_location: tuple[LocationVisits, ...]  # most visits first
    no_shows: int
    cancellations: int
    unpaid_count: int
    unpaid: tuple[UnpaidVisit, ...]  # newest first; at most 100 (unpaid_count has them all)


class RewardEntryView(View):
    id: int
    points: int  # signed: earned > 0, redeemed < 0
    balance_after: int
    reason: RewardReason
    description: str
    staff_name: str
    terminal: str
    prize_id: int | None
    created_at: dt.datetime


class RewardsPage(View):
    balance: int
    entries: tuple[RewardEntryView, ...]  # newest first
    total: int
    offset: int
    limit: int


class PrizeView(View):
    id: int
    name: str
    points_cost: int
    active: bool


class ContactView(View):
    id: int
    channel: ContactChannel
    note: str
    staff_id: int | None
    staff_name: str
    created_at: dt.datetime


class ContactPage(View):
    items: tuple[ContactView, ...]  # newest first
    total: int
    offset: int
    limit: int


class DocumentView(View):
    id: int
    title: str
    kind: DocumentKind
    signed_at: dt.datetime | None
    created_at: dt.datetime

    @property
    def signed(self) -> bool:
        return self.signed_at is not None


class TransformationEntryView(View):
    id: int
    entry_date: dt.date
    note: str
    staff_name: str
    created_at: dt.datetime
    updated_at: dt.datetime


class GoalView(View):
    id: int
    title: str
    target_date: dt.date | None
    achieved: bool
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime


class BankedProductView(View):
    """A product the client has (or had) banked units of: the Service Add-ons list."""

    account_id: int
    product_id: int
    product_name: str
    unit_name: str
    units: int  # the balance now
    entries: int  # how many history entries it has


class UnitEntryView(EntryView):
    """One entry of a product's unit history, said in words: "Bought on ticket #12",
    "Used on Botox — Anti-wrinkle, 23 Nov 2025 10:00", "Returned from …", "Adjusted: …".
    ``amount`` and ``balance_after`` count units."""

    event: UnitEvent
    text: str


class UnitHistoryPage(HistoryPage):
    """A page of one product's unit history, newest first, with the balance now."""

    entries: tuple[UnitEntryView, ...]
    product_id: int
    product_name: str
    unit_name: str
    units: int
