"""Read models: frozen pydantic models the services return and the screens render.

Never ORM objects: a screen holding one of these can't trigger a lazy load or a write.
Money is `Decimal` in the store currency. Stored text is inert here: whatever wrote it
(another tool, raw SQL, an older version), a control character reaches a screen only as a
visible placeholder, never as a terminal escape sequence.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from frontdesk.domain.money_context import MoneyContext, money_context
from frontdesk.domain.normalize import printable


class View(BaseModel):
    model_config = ConfigDict(frozen=True)

    # Every text field of every read model, so no screen has to remember: the one boundary
    # between stored text and the terminal. Line breaks stay (notes are multi-line); a
    # one-line cell shows them as placeholders (screens/widgets/cells.py `fit`).
    @field_validator("*", mode="after")
    @classmethod
    def _inert_text(cls, value: Any) -> Any:
        return _inert(value)


def _inert(value: Any) -> Any:
    """Text made printable, inside tuples too (a result's `(name, count)` pairs)."""
    if isinstance(value, str):
        return printable(value, keep="\n")
    if isinstance(value, tuple):
        return tuple(_inert(v) for v in value)
    return value


class InStoreMoney(View):
    """A read model whose amounts are in the store's currency, written in its locale:
    `money` formats, parses and pre-fills them (never a currency of its own choosing)."""

    currency: str
    locale: str

    @property
    def money(self) -> MoneyContext:
        return money_context(self.currency, self.locale)


class StoreView(InStoreMoney):
    business_name: str
    future_product_usage: bool
    commission_system: str
    # Two-person rule (docs/rules.md, X4): an adjustment, reversal or refund worth more
    # than this needs a second person's PIN.
    approval_threshold: Decimal
    # The terminal locks back to sign-in after this long idle (X5).
    idle_lock_seconds: int
    # Read at this version: the setup screen sends it back so a change made on another
    # terminal since is refused, not overwritten.
    version: int = 1


class LocationView(View):
    id: int
    name: str


class LocationSetupView(View):
    """A location as the setup screen lists and edits it."""

    id: int
    name: str
    address: str
    opens_at: dt.time
    closes_at: dt.time
    staff: int  # active staff working there
    version: int


class StaffView(View):
    id: int
    name: str
    role: str
    location_id: int | None
    permissions: frozenset[str] = frozenset()


class ServiceView(View):
    id: int
    name: str
    category: str
    duration_minutes: int
    price: Decimal


class AddonLineView(View):
    id: int
    product_id: int
    product_name: str
    unit_name: str
    use_units: int
    buy_units: int
    unit_price: Decimal
    # "Buy more": units sold to bank on this visit, banked when the ticket is paid.
    bank_units: int = 0
    removed: bool = False


class AppointmentView(View):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    client_id: int
    client_name: str
    service_id: int
    service_name: str
    staff_id: int
    staff_name: str
    location_id: int
    cancel_reason: str = ""
    addons: tuple[AddonLineView, ...] = ()
    # Read at this version (add-on lines included): send it back as `expected_version`.
    version: int = 1


class DaySchedule(View):
    location: LocationView
    day: dt.date
    appointments: tuple[AppointmentView, ...]


class ClientHit(View):
    id: int
    client_number: str
    first_name: str
    last_name: str
    phone: str
    email: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class BankedUnitsView(View):
    product_id: int
    product_name: str
    unit_name: str
    units: int


class PrepaidVisitsView(View):
    service_id: int
    service_name: str
    visits: int


class MembershipView(View):
    id: int
    plan_name: str
    status: str
    next_renewal: dt.date | None
    discount_percent: Decimal
    beauty_bank: bool


class ClientSummary(InStoreMoney):
    id: int
    client_number: str
    first_name: str
    last_name: str
    phone: str
    email: str
    birthday: dt.date | None
    home_location_id: int | None
    notes: str
    # Positive = credit the client can spend; negative = the client owes this much.
    account_balance: Decimal
    wallet_balance: Decimal
    banked: tuple[BankedUnitsView, ...]
    prepaid: tuple[PrepaidVisitsView, ...]
    memberships: tuple[MembershipView, ...]

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def owes(self) -> Decimal:
        return -self.account_balance if self.account_balance < 0 else Decimal(0)
