"""The ticket's lines as staff edit them, and how one line reads in the table.

`TicketLines` is what the ticket sends: the appointment (whose own lines the engine reads
under its lock) and the lines added. Redeeming the visit's own service as a prepaid visit
takes the visit's lines over: they are sent as lines (the service one as
`PREPAID_REDEEM`, still carrying the appointment, so completing it completes the visit).
Every change returns a new `TicketLines`; the quote is read again after each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from rich.text import Text

from frontdesk.domain.checkout import NOT_PAYABLE_BY_ACCOUNT_CREDIT_KINDS, LineKind
from frontdesk.domain.money_context import MoneyContext
from frontdesk.views.till import CheckoutInput, LineInput, QuoteLine, SellItem, SellKind

Money = Callable[[Decimal], str]
NO_CREDIT_ON_FIRST_PLAN = "Account credit can't pay a first plan payment"


def line_input(q: QuoteLine) -> LineInput:
    """The input a quoted line was priced from, to send it again."""
    return LineInput(
        kind=q.kind,
        service_id=q.service_id,
        product_id=q.product_id,
        package_id=q.package_id,
        plan_id=q.plan_id,
        membership_id=q.membership_id,
        appointment_id=q.appointment_id,
        staff_id=q.staff_id,
        quantity=q.quantity,
        qty_used=q.qty_used,
    )


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass(frozen=True)
class TicketLines:
    appointment_id: int | None = None
    visit: tuple[LineInput, ...] | None = None  # the visit's lines, once taken over
    added: tuple[LineInput, ...] = ()

    def checkout_input(self, key: str, client_id: int, location_id: int | None) -> CheckoutInput:
        return CheckoutInput(
            idempotency_key=key,
            client_id=client_id,
            location_id=location_id,
            appointment_id=self.appointment_id if self.visit is None else None,
            lines=(*(self.visit or ()), *self.added),
        )

    @staticmethod
    def fixed_count(lines: tuple[QuoteLine, ...]) -> int:
        """How many quoted lines are the visit's own (they come first)."""
        return sum(1 for q in lines if q.appointment_id is not None)

    def add_item(self, item: SellItem, staff_id: int | None) -> TicketLines:
        line = LineInput(
            kind=item.line_kind,
            product_id=item.id if item.kind is SellKind.PRODUCT else None,
            package_id=item.id if item.kind is SellKind.PACKAGE else None,
            service_id=item.id if item.kind is SellKind.PREPAID else None,
            plan_id=item.id if item.kind is SellKind.MEMBERSHIP else None,
            membership_id=item.id if item.kind is SellKind.RENEWAL else None,
            staff_id=staff_id if item.kind is SellKind.PREPAID else None,
            qty_used=1 if item.kind is SellKind.PREPAID else 0,
        )
        return replace(self, added=(*self.added, line))

    def add_redeem(self, service_id: int, staff_id: int | None) -> TicketLines:
        """One more prepaid visit of `service_id` redeemed on this ticket."""
        added = list(self.added)
        for i, line in enumerate(added):
            if line.kind is LineKind.PREPAID_REDEEM and line.service_id == service_id:
                added[i] = line.model_copy(update={"quantity": line.quantity + 1})
                return replace(self, added=tuple(added))
        line = LineInput(kind=LineKind.PREPAID_REDEEM, service_id=service_id, staff_id=staff_id)
        return replace(self, added=(*added, line))

    def redeem_visit(self, quoted: tuple[QuoteLine, ...], index: int) -> TicketLines:
        """The visit's service paid by a prepaid visit, or charged again if it was."""
        fixed = quoted[: self.fixed_count(quoted)]
        if fixed[index].kind is LineKind.PREPAID_REDEEM:
            return replace(self, visit=None)
        visit = [line_input(q) for q in fixed]
        visit[index] = visit[index].model_copy(update={"kind": LineKind.PREPAID_REDEEM})
        return replace(self, visit=tuple(visit))

    def _with_added(self, at: int, line: LineInput) -> TicketLines:
        added = list(self.added)
        added[at] = line
        return replace(self, added=tuple(added))

    def change_quantity(self, at: int, delta: int, most: int) -> TicketLines:
        line = self.added[at]
        quantity = min(max(line.quantity + delta, 1), most)
        used = min(line.qty_used, quantity)
        return self._with_added(
            at, line.model_copy(update={"quantity": quantity, "qty_used": used})
        )

    def cycle_used(self, at: int) -> TicketLines:
        """Qty Used 0, 1, ... up to Qty Prch, then 0 again."""
        line = self.added[at]
        used = line.qty_used + 1 if line.qty_used < line.quantity else 0
        return self._with_added(at, line.model_copy(update={"qty_used": used}))

    def remove(self, at: int) -> TicketLines:
        return replace(self, added=self.added[:at] + self.added[at + 1 :])


def credit_refused(lines: tuple[QuoteLine, ...]) -> bool:
    """A plan's first payment is on the ticket and account credit can pay none of it
    (docs/rules.md: credit never pays a first plan payment): the Credit toggle greys."""
    kinds = {q.kind for q in lines}
    return LineKind.MEMBERSHIP_FIRST in kinds and kinds <= NOT_PAYABLE_BY_ACCOUNT_CREDIT_KINDS


def credit_box(lines: tuple[QuoteLine, ...], on: bool) -> str:
    """The Credit toggle: [x] or [ ], or [-] (shown greyed) when it can pay nothing here."""
    return "[-]" if credit_refused(lines) else "[x]" if on else "[ ]"


def item_label(item: SellItem, money: Money) -> str:
    """How an item reads in the Add list, e.g. "Botox · £9.00 / unit · banks units"."""
    price = money(item.price)
    if item.kind is SellKind.PRODUCT:
        label = f"{item.name} · {price} / {item.unit_name}"
        return f"{label} · banks {item.unit_name}s" if item.banks else label
    if item.kind is SellKind.PACKAGE:
        return f"{item.name} · package {price}" + (" · banks units" if item.banks else "")
    if item.kind is SellKind.MEMBERSHIP:
        return f"{item.name} · membership {price} / {item.unit_name}"
    if item.kind is SellKind.RENEWAL:
        due = f"{item.due.day} {item.due:%b %Y}" if item.due else ""
        state = "past due" if item.past_due else "due"
        return f"{item.name} · renewal {state} since {due} · {price}"
    return f"{item.name} · prepaid · {price} / visit"


def row_cells(q: QuoteLine, money: Money) -> tuple[Text, ...]:
    """Item, Qty (Qty Prch on a prepaid sale), Used, Gross, Discount, Net; names literal."""
    used = str(q.qty_used) if q.kind is LineKind.PREPAID_SALE else ""
    discount = f"−{money(q.discount)}" if q.discount else ""
    return (
        Text(q.description, no_wrap=True, overflow="ellipsis"),
        Text(str(q.quantity), justify="right"),
        Text(used, justify="right"),
        Text(money(q.gross), justify="right"),
        Text(discount, justify="right"),
        Text(money(q.net), justify="right"),
    )


def line_note(q: QuoteLine, *, visit: bool, money: MoneyContext) -> str:
    """What the highlighted line is and which keys change it."""
    left = q.prepaid_left or 0
    free = money.for_input(money.zero)  # "0.00", "0" (JPY): the store's bare zero
    if q.kind is LineKind.PREPAID_REDEEM:
        undo = "r charges it instead" if visit else "Del removes it"
        return f"Prepaid visit redeemed · {plural(left, 'visit')} left after this · {undo}"
    if q.kind is LineKind.SERVICE and left:
        return f"{plural(left, 'prepaid visit')} left · r redeems one at {free}"
    if visit:
        if q.kind is LineKind.ADDON_USE:
            return f"Units from the client's bank at {free} · change add-ons on the appointment (a)"
        return "From the appointment"
    if q.kind is LineKind.MEMBERSHIP_FIRST:
        return f"{NO_CREDIT_ON_FIRST_PLAN} · Del removes the line"
    if q.kind is LineKind.MEMBERSHIP_RENEWAL:
        return "The membership's unpaid renewal, paid as the renewal run would · Del removes it"
    if q.kind is LineKind.PREPAID_SALE:
        credit = q.quantity - q.qty_used
        return (
            f"Qty Prch {q.quantity} · Qty Used {q.qty_used} · adds {plural(credit, 'visit')}"
            " · + − Qty Prch · u Qty Used"
        )
    return "+ − quantity · Del removes the line"
