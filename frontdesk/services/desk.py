"""The one object screens are given: the services' public face, one area per subject.

`desk.profile.update_details(...)`, `desk.till.complete(...)`: every area is bound to the
same context (the database, the terminal, the signed-in staff member), and each of its
methods is one use case: one transaction, frozen read models out, typed `DomainError`s
raised. Screens depend on this, `frontdesk.views` and `frontdesk.domain` only, never on
sessions or tables, so a screen test can run against a real database and the layering
stays one-directional.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from frontdesk.db.engine import create_engine
from frontdesk.services.context import ServiceContext

if TYPE_CHECKING:
    from frontdesk.services.addons import Addons
    from frontdesk.services.appointments import Appointments
    from frontdesk.services.catalog import Catalog
    from frontdesk.services.changes import ChangeFeed
    from frontdesk.services.checkout.till import Till
    from frontdesk.services.client_records import ClientRecords
    from frontdesk.services.clients import Clients
    from frontdesk.services.drawer import CashDrawerArea
    from frontdesk.services.memberships import Memberships
    from frontdesk.services.outbox import Outbox
    from frontdesk.services.plans import Plans
    from frontdesk.services.prepaid import Prepaid
    from frontdesk.services.profile import Profile
    from frontdesk.services.renewals import Renewals
    from frontdesk.services.reports import Reports
    from frontdesk.services.reports_commissions import CommissionReports
    from frontdesk.services.reports_ledger import LedgerReports
    from frontdesk.services.schedule import Schedule
    from frontdesk.services.setup_packages import PackageSetup
    from frontdesk.services.setup_promotions import PromotionSetup
    from frontdesk.services.setup_services import CatalogueSetup
    from frontdesk.services.sign_in import SignIn
    from frontdesk.services.staff import Staff
    from frontdesk.services.store_setup import StoreSetup
    from frontdesk.services.stored_value import Balances
    from frontdesk.services.team import Team


class Desk:
    """Each area is built, and its module imported, when a screen first uses it: the
    sign-in screen needs three of them, and importing the till, the profile and the
    reports before it shows made every start pay for them (issue 19)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @cached_property
    def catalog(self) -> Catalog:
        from frontdesk.services.catalog import Catalog

        return Catalog(self.ctx)

    @cached_property
    def schedule(self) -> Schedule:
        from frontdesk.services.schedule import Schedule

        return Schedule(self.ctx)

    @cached_property
    def appointments(self) -> Appointments:
        from frontdesk.services.appointments import Appointments

        return Appointments(self.ctx)

    @cached_property
    def addons(self) -> Addons:
        from frontdesk.services.addons import Addons

        return Addons(self.ctx)

    @cached_property
    def clients(self) -> Clients:
        from frontdesk.services.clients import Clients

        return Clients(self.ctx)

    # Adding a client and merging two records (a separate area: it builds on
    # `clients`' read models, and `clients` importing it back would be a cycle).
    @cached_property
    def client_records(self) -> ClientRecords:
        from frontdesk.services.client_records import ClientRecords

        return ClientRecords(self.ctx)

    @cached_property
    def balances(self) -> Balances:
        from frontdesk.services.stored_value import Balances

        return Balances(self.ctx)

    @cached_property
    def prepaid(self) -> Prepaid:
        from frontdesk.services.prepaid import Prepaid

        return Prepaid(self.ctx)

    @cached_property
    def till(self) -> Till:
        from frontdesk.services.checkout.till import Till

        return Till(self.ctx)

    @cached_property
    def staff(self) -> Staff:
        from frontdesk.services.staff import Staff

        return Staff(self.ctx)

    @cached_property
    def profile(self) -> Profile:
        from frontdesk.services.profile import Profile

        return Profile(self.ctx)

    @cached_property
    def sign_in(self) -> SignIn:
        from frontdesk.services.sign_in import SignIn

        return SignIn(self.ctx)

    @cached_property
    def team(self) -> Team:
        from frontdesk.services.team import Team

        return Team(self.ctx)

    @cached_property
    def outbox(self) -> Outbox:
        from frontdesk.services.outbox import Outbox

        return Outbox(self.ctx)

    @cached_property
    def plans(self) -> Plans:
        from frontdesk.services.plans import Plans

        return Plans(self.ctx)

    @cached_property
    def memberships(self) -> Memberships:
        from frontdesk.services.memberships import Memberships

        return Memberships(self.ctx)

    @cached_property
    def renewals(self) -> Renewals:
        from frontdesk.services.renewals import Renewals

        return Renewals(self.ctx)

    # Reports (issue 17): read only, the reports permission.
    @cached_property
    def reports(self) -> Reports:
        from frontdesk.services.reports import Reports

        return Reports(self.ctx)

    # Setting the catalogue up (issue 16): services and products, packages, codes.
    @cached_property
    def catalogue_setup(self) -> CatalogueSetup:
        from frontdesk.services.setup_services import CatalogueSetup

        return CatalogueSetup(self.ctx)

    @cached_property
    def package_setup(self) -> PackageSetup:
        from frontdesk.services.setup_packages import PackageSetup

        return PackageSetup(self.ctx)

    @cached_property
    def promotion_setup(self) -> PromotionSetup:
        from frontdesk.services.setup_promotions import PromotionSetup

        return PromotionSetup(self.ctx)

    # Store settings and locations, as the setup screens change them.
    @cached_property
    def store_setup(self) -> StoreSetup:
        from frontdesk.services.store_setup import StoreSetup

        return StoreSetup(self.ctx)

    # Today's cash drawer on this terminal (issue 17, item 1).
    @cached_property
    def drawer(self) -> CashDrawerArea:
        from frontdesk.services.drawer import CashDrawerArea

        return CashDrawerArea(self.ctx)

    @cached_property
    def ledger_reports(self) -> LedgerReports:
        from frontdesk.services.reports_ledger import LedgerReports

        return LedgerReports(self.ctx)

    @cached_property
    def commission_reports(self) -> CommissionReports:
        from frontdesk.services.reports_commissions import CommissionReports

        return CommissionReports(self.ctx)

    @classmethod
    def open(cls, url: str, *, terminal: str, staff_id: int | None = None) -> Desk:
        return cls(ServiceContext.create(create_engine(url), terminal=terminal, staff_id=staff_id))

    @property
    def terminal(self) -> str:
        return self.ctx.actor.terminal

    @property
    def staff_id(self) -> int | None:
        return self.ctx.actor.staff_id

    def change_feed(self) -> ChangeFeed:
        """What others commit, as it happens (screens re-read what they show)."""
        from frontdesk.services.changes import ChangeFeed

        return ChangeFeed(self.ctx.engine)

    def as_staff(self, staff_id: int | None) -> Desk:
        return type(self)(self.ctx.as_staff(staff_id))

    async def close(self) -> None:
        await self.ctx.dispose()
