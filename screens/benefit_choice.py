"""Choose monthly benefit (issue 16, item 4): a Select plan's paid cycle waits for the
client's choice, made at the desk.

`BenefitChoiceModal(desk, client_id)` reads the client's oldest pending choice in a
worker and shows the plan, the cycle, the day the choice lapses and both options with
their values in the store's currency: one visit of the included treatment, or the cash
alternative into the Beauty Bank. ↑/↓ moves the choice (its ● says which, not a
colour), Enter confirms: one call of `desk.renewals.choose` with the key made when the
modal opened, so a second Enter never chooses twice. With nothing pending it says so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import RadioSet, Static

import styles
from frontdesk.domain.errors import DomainError, describe
from frontdesk.domain.write_keys import new_key
from frontdesk.services.desk import Desk
from frontdesk.views.renewals import BenefitChoice, BenefitChosen, PendingBenefit
from screens.widgets.form import TickRadio

if TYPE_CHECKING:
    from screens.profile_booking import ProfileHost

STYLES_DIR = Path(styles.__file__).parent
NOTHING_PENDING = "No monthly benefit is waiting for this client's choice."
OPTIONS: tuple[BenefitChoice, ...] = ("treatment", "cash")


class ChoiceSet(RadioSet):
    """↑/↓ move the choice itself (not only the highlight), so what Enter confirms is
    always the one marked ●. New keys, not overridden actions: the set's own mount
    moves its highlight with `action_next_button`, which must not press anything."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "follow(1)", "Next option", show=False),
        Binding("up,left", "follow(-1)", "Previous option", show=False),
    ]

    def action_follow(self, step: int) -> None:
        if step > 0:
            self.action_next_button()
        else:
            self.action_previous_button()
        self.action_toggle_button()


def describe_cycle(pending: PendingBenefit) -> str:
    lapses = pending.choose_by - dt.timedelta(days=1)
    return (
        f"{pending.plan_name} · cycle from {pending.cycle_start.isoformat()}\n"
        f"Choose by {lapses.isoformat()}: without a choice, this cycle gives nothing."
    )


def option_labels(pending: PendingBenefit) -> dict[BenefitChoice, str]:
    money = pending.money
    return {
        "treatment": (
            f"Treatment: one {pending.treatment_name} "
            f"(worth {money.format(pending.treatment_value)})"
        ),
        "cash": f"Cash: {money.format(pending.cash)} into the Beauty Bank",
    }


class BenefitChoiceModal(ModalScreen[BenefitChosen | None]):
    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "benefit_choice.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="benefit.cancel"),
        # Priority: the option list's own Enter only re-marks the marked option.
        Binding("enter", "confirm", "Confirm", id="benefit.confirm", priority=True),
    ]

    def __init__(self, desk: Desk, client_id: int) -> None:
        super().__init__()
        self.desk = desk
        self.client_id = client_id
        self.pending: PendingBenefit | None = None
        self._saving = False
        # One key per opening: a second Enter (or a retry) replays, never chooses twice.
        self.key = new_key()

    def compose(self) -> ComposeResult:
        with Vertical(id="benefit-dialog"):
            yield Static(Content("Choose monthly benefit"), id="benefit-title")
            yield Static(Content("Loading…"), id="benefit-cycle")
            with ChoiceSet(id="benefit-options", compact=True):
                for index, option in enumerate(OPTIONS):
                    yield TickRadio(option, value=index == 0, id=f"benefit-{option}")
            yield Static(id="benefit-message")
            yield Static(Content("↑↓ choose · Enter confirm · Esc cancel"), id="benefit-keys")

    def on_mount(self) -> None:
        self.query_one("#benefit-options").display = False
        self.query_one("#benefit-message").display = False
        self.load()

    @work(exclusive=True, group="benefit-load", exit_on_error=False)
    async def load(self) -> None:
        try:
            found = await self.desk.renewals.pending(self.client_id)
        except Exception as exc:
            self.set_message(f"Could not load: {describe(exc)}")
            return
        cycle = self.query_one("#benefit-cycle", Static)
        if not found:
            cycle.update(Content(NOTHING_PENDING))
            self.query_one("#benefit-keys", Static).update(Content("Esc close"))
            return
        self.pending = found[0]
        cycle.update(Content(describe_cycle(self.pending)))
        for option, label in option_labels(self.pending).items():
            self.query_one(f"#benefit-{option}", TickRadio).label = Content(label)
        options = self.query_one("#benefit-options", ChoiceSet)
        options.display = True
        options.focus()

    @property
    def choice(self) -> BenefitChoice:
        for option in OPTIONS:
            if self.query_one(f"#benefit-{option}", TickRadio).value:
                return option
        return OPTIONS[0]

    def set_message(self, message: str) -> None:
        box = self.query_one("#benefit-message", Static)
        box.update(Content(message))
        box.display = bool(message)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        if self.pending is None:
            self.dismiss(None)  # nothing to choose: Enter closes, as Esc does
            return
        if not self._saving:
            self._saving = True
            self.save(self.pending.cycle_id, self.choice)

    @work(exclusive=True, group="benefit-save", exit_on_error=False)
    async def save(self, cycle_id: int, choice: BenefitChoice) -> None:
        try:
            chosen = await self.desk.renewals.choose(cycle_id, choice, key=self.key)
        except DomainError as exc:
            self._saving = False
            self.set_message(str(exc))
            return
        except Exception as exc:
            self.log.error("benefit choice failed", exc)
            self._saving = False
            self.set_message(f"Could not save: {describe(exc)}")
            return
        self.dismiss(chosen)


async def choose_benefit(screen: ProfileHost) -> None:
    """The profile's "Choose monthly benefit": the modal, then what it gave."""
    chosen = await screen.app.push_screen_wait(BenefitChoiceModal(screen.desk, screen.client_id))
    if chosen is not None:
        screen.notify(str(chosen), title="Already saved" if chosen.replayed else "Benefit chosen")
        screen.reload_after_change(also=("account",))
