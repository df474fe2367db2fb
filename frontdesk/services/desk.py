"""The one object screens are given: the services' public face, one area per subject.

`desk.profile.update_details(...)`, `desk.till.complete(...)`: every area is bound to the
same context (the database, the terminal, the signed-in staff member), and each of its
methods is one use case: one transaction, frozen read models out, typed `DomainError`s
raised. Screens depend on this, `frontdesk.views` and `frontdesk.domain` only, never on
sessions or tables, so a screen test can run against a real database and the layering
stays one-directional.
"""

from __future__ import annotations

from frontdesk.db.engine import create_engine
from frontdesk.services.addons import Addons
from frontdesk.services.appointments import Appointments
from frontdesk.services.catalog import Catalog
from frontdesk.services.changes import ChangeFeed
from frontdesk.services.checkout.till import Till
from frontdesk.services.client_records import ClientRecords
from frontdesk.services.clients import Clients
from frontdesk.services.context import ServiceContext
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
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.catalog = Catalog(ctx)
        self.schedule = Schedule(ctx)
        self.appointments = Appointments(ctx)
        self.addons = Addons(ctx)
        self.clients = Clients(ctx)
        # Adding a client and merging two records (a separate area: it builds on
        # `clients`' read models, and `clients` importing it back would be a cycle).
        self.client_records = ClientRecords(ctx)
        self.balances = Balances(ctx)
        self.prepaid = Prepaid(ctx)
        self.till = Till(ctx)
        self.staff = Staff(ctx)
        self.profile = Profile(ctx)
        self.sign_in = SignIn(ctx)
        self.team = Team(ctx)
        self.outbox = Outbox(ctx)
        self.plans = Plans(ctx)
        self.memberships = Memberships(ctx)
        self.renewals = Renewals(ctx)
        # Reports (issue 17): read only, the reports permission.
        self.reports = Reports(ctx)
        # Setting the catalogue up (issue 16): services and products, packages, codes.
        self.catalogue_setup = CatalogueSetup(ctx)
        self.package_setup = PackageSetup(ctx)
        self.promotion_setup = PromotionSetup(ctx)
        # Store settings and locations, as the setup screens change them.
        self.store_setup = StoreSetup(ctx)
        self.ledger_reports, self.commission_reports = LedgerReports(ctx), CommissionReports(ctx)
        # Today's cash drawer on this terminal (issue 17, item 1).
        self.drawer = CashDrawerArea(ctx)

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
        return ChangeFeed(self.ctx.engine)

    def as_staff(self, staff_id: int | None) -> Desk:
        return type(self)(self.ctx.as_staff(staff_id))

    async def close(self) -> None:
        await self.ctx.dispose()
