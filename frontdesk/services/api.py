"""The one object screens are given: every use case as an awaitable method.

Screens depend on this facade, never on sessions or tables, so a screen test can run
against a real database and the layering stays one-directional. Each method is one
service call: one transaction, frozen read models out, typed `DomainError`s raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from frontdesk.db.engine import create_engine
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.services import (
    addons,
    appointments,
    catalog,
    checkout,
    clients,
    prepaid,
    schedule,
    sell_catalog,
    stored_value,
)
from frontdesk.services.api_profile import ProfileMethods
from frontdesk.services.context import ServiceContext
from frontdesk.views import (
    AppointmentView,
    ClientHit,
    ClientSummary,
    DaySchedule,
    LocationView,
    ServiceView,
    StaffView,
    StoreView,
)
from frontdesk.views.addons import AddonPicker, AddonResult, AddonSelection
from frontdesk.views.balances import BalanceChange, EntryView, HistoryPage, Liability, PrepaidItem
from frontdesk.views.till import AmountDue, CheckoutInput, CheckoutResult, SellCatalog, Tender


class Frontdesk(ProfileMethods):
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @classmethod
    def open(cls, url: str, *, terminal: str, staff_id: int | None = None) -> Frontdesk:
        return cls(ServiceContext.create(create_engine(url), terminal=terminal, staff_id=staff_id))

    @property
    def terminal(self) -> str:
        return self.ctx.actor.terminal

    @property
    def staff_id(self) -> int | None:
        return self.ctx.actor.staff_id

    def as_staff(self, staff_id: int | None) -> Frontdesk:
        return type(self)(self.ctx.as_staff(staff_id))

    async def close(self) -> None:
        await self.ctx.dispose()

    # Reference data
    async def store(self) -> StoreView:
        return await catalog.store(self.ctx)

    async def locations(self) -> tuple[LocationView, ...]:
        return await catalog.locations(self.ctx)

    async def staff(self, location_id: int | None = None) -> tuple[StaffView, ...]:
        return await catalog.staff(self.ctx, location_id)

    async def services(self) -> tuple[ServiceView, ...]:
        return await catalog.services(self.ctx)

    # Schedule and appointments
    async def day_schedule(
        self, location_id: int, day: dt.date, staff_id: int | None = None
    ) -> DaySchedule:
        return await schedule.day_schedule(self.ctx, location_id, day, staff_id)

    async def appointment(self, appointment_id: int) -> AppointmentView:
        return await appointments.get_appointment(self.ctx, appointment_id)

    async def book(
        self,
        *,
        client_id: int,
        service_id: int,
        staff_id: int,
        location_id: int,
        starts_at: dt.datetime,
    ) -> AppointmentView:
        return await appointments.book(
            self.ctx,
            client_id=client_id,
            service_id=service_id,
            staff_id=staff_id,
            location_id=location_id,
            starts_at=starts_at,
        )

    async def check_in(self, appointment_id: int) -> AppointmentView:
        return await appointments.check_in(self.ctx, appointment_id)

    async def cancel(self, appointment_id: int, reason: str) -> AppointmentView:
        return await appointments.cancel(self.ctx, appointment_id, reason)

    async def no_show(self, appointment_id: int) -> AppointmentView:
        return await appointments.no_show(self.ctx, appointment_id)

    # Add-on picker
    async def addon_picker(self, appointment_id: int) -> AddonPicker:
        return await addons.load_picker(self.ctx, appointment_id)

    async def add_to_service(
        self, appointment_id: int, selections: Sequence[AddonSelection]
    ) -> AddonResult:
        return await addons.add_to_service(self.ctx, appointment_id, selections)

    async def remove_addon(self, addon_id: int, reason: str) -> AppointmentView:
        return await addons.remove_addon(self.ctx, addon_id, reason)

    async def buy_more(self, appointment_id: int, product_id: int, units: int) -> AppointmentView:
        return await addons.buy_more(self.ctx, appointment_id, product_id, units)

    # Clients
    async def search_clients(
        self, text: str, limit: int = clients.SEARCH_LIMIT
    ) -> tuple[ClientHit, ...]:
        return await clients.search_clients(self.ctx, text, limit)

    async def client_summary(self, client_id: int) -> ClientSummary:
        return await clients.client_summary(self.ctx, client_id)

    async def client_hit(self, client_id: int) -> ClientHit:
        return await clients.client_hit(self.ctx, client_id)

    # Stored value
    async def issue_account_credit(
        self, client_id: int, amount: Decimal, reason: str
    ) -> BalanceChange:
        return await stored_value.issue_account_credit(self.ctx, client_id, amount, reason)

    async def charge_account(self, client_id: int, amount: Decimal, reason: str) -> BalanceChange:
        return await stored_value.charge_account(self.ctx, client_id, amount, reason)

    async def pay_balance(
        self, client_id: int, amount: Decimal, method: Tender, *, at_kiosk: bool = False
    ) -> BalanceChange:
        return await stored_value.pay_balance(
            self.ctx, client_id, amount, method, at_kiosk=at_kiosk
        )

    async def adjust_wallet(
        self, client_id: int, delta: Decimal, description: str, *, allow_negative: bool = False
    ) -> BalanceChange:
        return await stored_value.adjust_wallet(
            self.ctx, client_id, delta, description, allow_negative=allow_negative
        )

    async def reverse_entry(self, entry_id: int, reason: str) -> EntryView:
        return await stored_value.reverse_entry(self.ctx, entry_id, reason)

    async def history(
        self,
        client_id: int,
        kind: StoredValueKind | None = None,
        *,
        account_id: int | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> HistoryPage:
        return await stored_value.history(
            self.ctx, client_id, kind, account_id=account_id, offset=offset, limit=limit
        )

    async def may(self, permission: str) -> bool:
        """Whether the signed-in staff member holds `permission`."""
        return await stored_value.staff_may(self.ctx, permission)

    async def liability(self, when: dt.datetime | None = None) -> Liability:
        return await stored_value.liability(self.ctx, when)

    # Prepaid services
    async def prepaid_items(
        self, client_id: int, *, active_only: bool = False
    ) -> tuple[PrepaidItem, ...]:
        return await prepaid.prepaid_items(self.ctx, client_id, active_only=active_only)

    async def prepaid_history(self, account_id: int) -> tuple[EntryView, ...]:
        return await prepaid.prepaid_history(self.ctx, account_id)

    async def adjust_prepaid(self, account_id: int, remaining: int, reason: str) -> PrepaidItem:
        return await prepaid.adjust_prepaid(self.ctx, account_id, remaining, reason)

    # Checkout
    async def amount_due(self, appointment_id: int) -> AmountDue:
        return await checkout.quote_appointment(self.ctx, appointment_id)

    async def sell_catalog(self, client_id: int) -> SellCatalog:
        """Products, packages and prepaid services to sell to the client, priced."""
        return await sell_catalog.sell_catalog(self.ctx, client_id)

    async def checkout(self, data: CheckoutInput) -> CheckoutResult:
        return await checkout.checkout(self.ctx, data)

    async def reverse_checkout(self, ticket_id: int, reason: str) -> int:
        return await checkout.reverse_checkout(self.ctx, ticket_id, reason)
