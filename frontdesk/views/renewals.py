"""Renewals as the CLI and the benefit-choice modal see them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from frontdesk.views import InStoreMoney

BenefitChoice = Literal["treatment", "cash"]


class RenewalReport(InStoreMoney):
    """What one renewal run did. `declined` counts this run's declined attempts, `failed`
    those among them that were the last try; `skipped` the due memberships not charged
    (already renewed, claimed by another run, failed for good, or waiting for tomorrow's
    retry); `unanswered` charges the gateway gave no answer to (asked again next run)."""

    on: dt.date
    renewed: int = 0
    credited: Decimal = Decimal(0)
    pending_choices: int = 0
    declined: int = 0
    failed: int = 0
    skipped: int = 0
    unanswered: int = 0
    expired: int = 0
    # A membership whose renewal could not be recorded, with why (its cycle is asked
    # for again by the next run).
    errors: tuple[str, ...] = ()

    def __str__(self) -> str:
        parts = [
            f"renewals {self.on.isoformat()}: renewed {self.renewed}",
            f"credited {self.money.format(self.credited)}",
            f"pending choices {self.pending_choices}",
            f"declined {self.declined} ({self.failed} failed after retries)",
            f"skipped {self.skipped}",
            f"expired choices {self.expired}",
        ]
        if self.unanswered:
            parts.append(f"no answer from the gateway {self.unanswered} (retried next run)")
        if self.errors:
            parts.append(f"not recorded {len(self.errors)} (retried next run)")
        return ", ".join(parts)


class PendingBenefit(InStoreMoney):
    """A paid Select cycle waiting for the client's choice, with both options' values."""

    cycle_id: int
    membership_id: int
    plan_name: str
    cycle_start: dt.date
    choose_by: dt.date  # the next cycle's start: the choice lapses that day
    treatment_name: str
    treatment_value: Decimal
    cash: Decimal


class BenefitChosen(InStoreMoney):
    """What a choice gave: one prepaid visit of the treatment, or the cash alternative."""

    cycle_id: int
    choice: BenefitChoice
    treatment_name: str
    cash: Decimal  # 0 for the treatment
    replayed: bool = False

    def __str__(self) -> str:
        if self.choice == "treatment":
            return f"One {self.treatment_name} visit added"
        return f"{self.money.format(self.cash)} added to the Beauty Bank"
