"""Prepaid offers: which services are sold prepaid, at what per visit (issue 16, item 1).

Seed 004: a prepaid service is sold as Qty Purchased × the service's price per visit
(P1), so an offer is the service itself with "Sold prepaid" on. The list shows every
service, whether it is sold prepaid, its per-visit price and, when the store counts
commission the dual way, the amounts per visit sold and performed (K-rules); X switches
prepaid selling on or off. Prices and commission are edited on the Services screen.
Visits clients already bought stay redeemable whatever the switch says.
"""

from __future__ import annotations

from collections.abc import Sequence

from frontdesk.views import StoreView
from frontdesk.views.catalogue import ServiceSetupView
from screens.catalogue_list import CatalogueListScreen
from screens.catalogue_services import DUAL

HINT = "X sells a service prepaid or stops; Qty Purchased × the price per visit (seed 004)."


class PrepaidOffersScreen(CatalogueListScreen[ServiceSetupView]):
    TITLE_TEXT = "Prepaid offers · price per visit; edit prices under Services"
    COLUMNS = (("Service", 24), ("Prepaid", 7), ("Per visit", 11), ("Sold / done", 21))
    EDITS = False

    store: StoreView | None = None

    async def fetch(self) -> tuple[ServiceSetupView, ...]:
        self.store = await self.desk.catalog.store()
        return await self.desk.catalogue_setup.services(everyone=self.everyone)

    def hint(self) -> str:
        return HINT

    def cells(self, row: ServiceSetupView) -> Sequence[str]:
        assert self.store is not None
        money = self.store.money
        if self.store.commission_system == DUAL:
            commission = (
                f"{money.format(row.commission_sale)} / {money.format(row.commission_redeem)}"
            )
        else:
            commission = f"{row.commission_percent.normalize():f}% when done"
        return (
            row.name + ("" if row.active else " (inactive)"),
            "yes" if row.prepaid_allowed else "no",
            money.format(row.price),
            commission,
        )

    async def switch(self, row: ServiceSetupView) -> tuple[ServiceSetupView, str]:
        changed = await self.desk.catalogue_setup.set_prepaid(row.id, not row.prepaid_allowed)
        said = "is sold prepaid" if changed.prepaid_allowed else "is no longer sold prepaid"
        return changed, f"{changed.name} {said}."
