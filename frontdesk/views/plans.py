"""Membership plans as the plans list and the plan editor show them."""

from __future__ import annotations

from decimal import Decimal

from frontdesk.domain.plans import BillingCycle, PlanInput, PlanMode
from frontdesk.views import InStoreMoney


class PlanView(InStoreMoney):
    """One plan; amounts in the store currency. A change to it applies from each
    membership's next cycle (renewals read the plan when they run)."""

    id: int
    name: str
    price: Decimal
    billing_cycle: BillingCycle
    discount_percent: Decimal
    beauty_bank: bool
    mode: PlanMode
    credit: Decimal
    cash_alternative: Decimal
    included_service_id: int | None
    included_service_name: str
    active: bool
    version: int  # sent back on save: a change made elsewhere since is refused

    def as_input(self) -> PlanInput:
        """The plan as the editor starts from it."""
        return PlanInput(
            name=self.name,
            price=self.price,
            billing_cycle=self.billing_cycle,
            discount_percent=self.discount_percent,
            beauty_bank=self.beauty_bank,
            mode=self.mode,
            credit=self.credit,
            cash_alternative=self.cash_alternative,
            included_service_id=self.included_service_id,
        )
