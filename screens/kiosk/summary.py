"""The checked-in client's own page: Beauty Bank, prepaid visits, banked units, and the
monthly benefit of a Select plan when a choice is waiting (1 treatment, 2 cash)."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from frontdesk.domain.errors import DomainError, describe
from frontdesk.domain.write_keys import new_key
from frontdesk.services.kiosk import Kiosk, KioskVisit
from frontdesk.views.kiosk import KioskBenefit, KioskSummary
from frontdesk.views.renewals import BenefitChoice
from screens.kiosk.base import KioskScreen, title


def balances_text(summary: KioskSummary) -> str:
    money = summary.money
    lines = [f"Beauty Bank: {money.format(summary.beauty_bank)}"]
    for prepaid in summary.prepaid:
        visits = "visit" if prepaid.visits == 1 else "visits"
        lines.append(f"Prepaid: {prepaid.service_name} - {prepaid.visits} {visits} left")
    for units in summary.units:
        lines.append(f"Banked: {units.product_name} - {units.units} {units.unit_name}(s)")
    return "\n".join(lines)


def benefit_text(benefit: KioskBenefit) -> str:
    money = benefit.money
    return (
        f"Your {benefit.plan_name} benefit this month (choose by "
        f"{benefit.choose_by.isoformat()}):\n"
        f"  1 = one {benefit.treatment_name} (worth {money.format(benefit.treatment_value)})\n"
        f"  2 = {money.format(benefit.cash)} into your Beauty Bank"
    )


class SummaryScreen(KioskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "choose('treatment')", "Treatment", show=False, id="kiosk.treatment"),
        Binding("2", "choose('cash')", "Cash", show=False, id="kiosk.cash"),
        Binding("enter,d,escape", "done", "Done", id="kiosk.done"),
    ]

    def __init__(self, kiosk: Kiosk, visit: KioskVisit, summary: KioskSummary) -> None:
        super().__init__(kiosk)
        self.visit = visit
        self.summary = summary
        self.busy = False
        self.keys: dict[int, str] = {}  # one write key per cycle: a second press replays

    def compose(self) -> ComposeResult:
        with Vertical(id="kiosk-box"):
            yield title(f"Thank you, {self.summary.first_name} - you're checked in.")
            with VerticalScroll(id="kiosk-summary"):
                yield Static(id="kiosk-balances")
                yield Static(id="kiosk-benefit", classes="kiosk-keys")
            yield Static(id="kiosk-message", classes="kiosk-note")
            yield Static(Content("Enter = done"), classes="kiosk-help")

    def on_mount(self) -> None:
        self.say("")
        self.show(self.summary)

    @property
    def benefit(self) -> KioskBenefit | None:
        return self.summary.benefits[0] if self.summary.benefits else None

    def show(self, summary: KioskSummary) -> None:
        self.summary = summary
        self.query_one("#kiosk-balances", Static).update(Content(balances_text(summary)))
        box = self.query_one("#kiosk-benefit", Static)
        box.update(Content(benefit_text(self.benefit) if self.benefit else ""))
        box.display = self.benefit is not None

    def action_done(self) -> None:
        self.app.call_later(self.app.reset_kiosk)  # type: ignore[attr-defined]

    def action_choose(self, choice: BenefitChoice) -> None:
        benefit = self.benefit
        if benefit is None or self.busy:
            return  # nothing offered: the keys do nothing once the choice is made
        self.busy = True
        key = self.keys.setdefault(benefit.cycle_id, new_key())
        self.choose(benefit.cycle_id, choice, key)

    @work(exclusive=True, group="kiosk-choose", exit_on_error=False)
    async def choose(self, cycle_id: int, choice: BenefitChoice, key: str) -> None:
        try:
            chosen = await self.visit.choose(cycle_id, choice, key=key)
            summary = await self.visit.summary()
        except DomainError as exc:
            self.say(str(exc))
            return
        except Exception as exc:
            self.say(f"Sorry, please ask at the front desk. ({describe(exc)})")
            return
        finally:
            self.busy = False
        self.show(summary)
        self.say(f"Done: {chosen}.")
