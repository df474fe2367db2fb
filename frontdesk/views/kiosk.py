"""What the client kiosk shows (issue 18, item 1): one client's own first name, today's
times, balances and pending benefit choices. Never a last name, a client number, a
phone or anyone else."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from frontdesk.views import InStoreMoney, View


class KioskGreeting(View):
    """ "Are you Amelia? Your appointment today is at 10:00." - all a match shows before
    the client says it is them."""

    first_name: str
    times: tuple[dt.time, ...]

    @property
    def times_text(self) -> str:
        return ", ".join(f"{t:%H:%M}" for t in self.times)


class KioskPrepaid(View):
    service_name: str
    visits: int


class KioskUnits(View):
    product_name: str
    unit_name: str
    units: int


class KioskBenefit(InStoreMoney):
    """A Select cycle waiting for this client's choice."""

    cycle_id: int
    plan_name: str
    choose_by: dt.date  # the last day the choice can be made
    treatment_name: str
    treatment_value: Decimal
    cash: Decimal


class KioskSummary(InStoreMoney):
    first_name: str
    times: tuple[dt.time, ...]
    beauty_bank: Decimal
    prepaid: tuple[KioskPrepaid, ...]
    units: tuple[KioskUnits, ...]
    benefits: tuple[KioskBenefit, ...]
