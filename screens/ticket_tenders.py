"""Tenders on the ticket: card, cash and other, split as staff like.

Amounts are read with the one parser (`MoneyContext.parse`) in the store's currency and locale.
The check is the checkout order's own rule: card and other together may not exceed the
amount due; everything together must cover it; only cash can be over, and the excess is
change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Static

from frontdesk.domain.checkout import TenderMethod
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.money_context import MoneyContext
from frontdesk.views.till import TenderInput, TicketQuote

Money = Callable[[Decimal], str]
METHODS: tuple[tuple[TenderMethod, str], ...] = (
    ("card", "Card"),
    ("cash", "Cash"),
    ("other", "Other"),
)


@dataclass(frozen=True)
class Tenders:
    card: Decimal
    cash: Decimal
    other: Decimal

    @property
    def total(self) -> Decimal:
        return self.card + self.cash + self.other

    def inputs(self) -> tuple[TenderInput, ...]:
        amounts = {"card": self.card, "cash": self.cash, "other": self.other}
        return tuple(
            TenderInput(method=method, amount=amounts[method])
            for method, _label in METHODS
            if amounts[method] > 0
        )


def parse_tenders(
    typed: dict[TenderMethod, str], money: MoneyContext
) -> tuple[Tenders | None, dict[TenderMethod, str]]:
    """The amounts typed (an empty field is 0), or the message for each bad field."""
    values: dict[TenderMethod, Decimal] = {}
    errors: dict[TenderMethod, str] = {}
    for method, label in METHODS:
        text = typed.get(method, "").strip() or "0"
        try:
            values[method] = money.parse(text, field=method, allow_zero=True)
        except ValidationError as exc:
            errors[method] = f"{label}: {exc}"
    if errors:
        return None, errors
    return Tenders(values["card"], values["cash"], values["other"]), {}


def tender_status(t: Tenders, due: Decimal, money: Money) -> tuple[bool, str]:
    """Whether these tenders complete the ticket, and the line that says so."""
    if t.card + t.other > due:
        return False, f"Card and other can't be over the {money(due)} due; only cash gives change"
    if t.total < due:
        return False, f"Still to pay {money(due - t.total)}"
    if t.total > due:
        return True, f"Change {money(t.total - due)}"
    return True, "Paid in full"


class TenderPanel(Vertical):
    """Card, cash and other with their errors, and what they come to: change, or what is
    still to pay. Card follows what is left to pay until staff type in it."""

    def __init__(self) -> None:
        super().__init__(id="ticket-tenders")
        self.quote: TicketQuote | None = None
        self._card_fill = ""

    def compose(self) -> ComposeResult:
        for method, label in METHODS:
            with Horizontal(classes="tender-row"):
                yield Static(Content(label), classes="tender-label")
                yield Input(id=f"tender-{method}", compact=True, max_length=20)
            yield Static(id=f"tender-{method}-error", classes="field-error")
        yield Static(id="tender-status")

    def on_mount(self) -> None:
        self.border_title = "Tenders"

    def typed(self) -> dict[TenderMethod, str]:
        return {m: self.query_one(f"#tender-{m}", Input).value for m, _ in METHODS}

    def show_due(self, quote: TicketQuote) -> None:
        self.quote = quote
        self._fill_card()
        self.check()

    def _fill_card(self) -> None:
        q = self.quote
        card = self.query_one("#tender-card", Input)
        if q is None or card.value != self._card_fill:
            return
        tenders, _errors = parse_tenders({**self.typed(), "card": ""}, q.money)
        rest = q.due - (tenders.cash + tenders.other if tenders else Decimal(0))
        # As the card box's own parser reads it back: "41.50", "4150" (JPY), "41,50".
        self._card_fill = q.money.for_input(rest if rest > 0 else q.money.zero)
        card.value = self._card_fill

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        method = (event.input.id or "").removeprefix("tender-")
        self.set_error(method, "")
        if method in ("cash", "other"):
            self._fill_card()
        self.check()

    def check(self, *, show_errors: bool = False) -> tuple[Tenders | None, bool, str]:
        """The tenders typed, whether they complete the ticket, and the line that says so."""
        status = self.query_one("#tender-status", Static)
        q = self.quote
        if q is None:
            return None, False, ""
        tenders, errors = parse_tenders(self.typed(), q.money)
        if show_errors:
            for method, message in errors.items():
                self.set_error(method, message)
        if tenders is None:
            status.update(Content("Check the amounts"))
            return None, False, "Check the amounts"
        ok, text = tender_status(tenders, q.due, q.money.format)
        status.update(Content(text))
        status.set_class(not ok, "-short")
        return tenders, ok, text

    def set_error(self, method: str, message: str) -> None:
        for note in self.query(f"#tender-{method}-error").results(Static):
            note.update(Content(message))
            note.set_class(bool(message), "-shown")
