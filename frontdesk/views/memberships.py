"""A client's memberships as the profile's Memberships pane lists them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from frontdesk.domain.memberships import MembershipStatus
from frontdesk.domain.plans import BillingCycle, PlanMode
from frontdesk.views import InStoreMoney


class MembershipRow(InStoreMoney):
    """One membership with the plan it is on now (a plan change applies from the next
    cycle: the price and credits shown are what the next renewal reads)."""

    id: int
    client_id: int
    plan_id: int
    plan_name: str
    status: MembershipStatus
    started_on: dt.date
    next_renewal: dt.date | None
    price: Decimal  # per billing cycle
    billing_cycle: BillingCycle
    discount_percent: Decimal
    beauty_bank: bool
    mode: PlanMode
    cancelled_at: dt.datetime | None
    cancel_reason: str
    version: int  # sent back with a change: one made elsewhere since is refused
    # The cycle at `next_renewal` was declined (retried by the run) or failed: take the
    # renewal at the till (the Add list offers it).
    past_due: bool = False

    @property
    def bank_label(self) -> str:
        """The Beauty Bank mode in a word: "Auto", "Select" or "off"."""
        return self.mode.value.capitalize() if self.beauty_bank else "off"
