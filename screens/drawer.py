"""The cash drawer: today's drawer on this terminal at this location (docs/rules.md#cash-drawer).

`DrawerScreen(desk, location_id)` reads `desk.drawer.today` in a worker (the summary shows
its loading state meanwhile): float, cash tenders, cash in, paid out, expected, and the
last close's count, difference and note; the day's events under it. `o` opens with a
float, `i` cash in, `p` paid out, `c` closes with the counted cash and a note, `r`
reopens (a manager), Esc goes back. Each asks in `DrawerEntryModal`, the confirm step of
its one use case: the service's refusal shows at the field it names, nothing written.
A key the signed-in person may not use says so in the service's words.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path, PurePath
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

import styles
from frontdesk.domain.drawer import DrawerState
from frontdesk.domain.errors import DomainError, PermissionDenied, ValidationError, describe
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.parsing import clean_description
from frontdesk.domain.permissions import Perm
from frontdesk.domain.write_keys import new_key
from frontdesk.services.desk import Desk
from frontdesk.views.drawer import DrawerView
from screens.widgets.cells import cell
from screens.widgets.footer import SteadyFooter

STYLES_DIR = Path(styles.__file__).parent
STATES = {
    DrawerState.NOT_OPENED.value: "not opened (cash is still taken)",
    DrawerState.OPEN.value: "open",
    DrawerState.CLOSED.value: "closed (a manager can reopen it)",
}
KINDS = {
    "open": "Opened",
    "cash_in": "Cash in",
    "paid_out": "Paid out",
    "close": "Closed",
    "reopen": "Reopened",
}
# Which of the modal's two fields a service's field name belongs to.
AMOUNT_FIELDS = frozenset({"float", "amount", "counted"})
COLUMNS = {"when": ("When", 6), "what": ("What", 9), "amount": ("Amount", 12)}
COLUMNS |= {"by": ("By", 12), "note": ("Reason / note", 27)}

Submit = Callable[[Decimal, str], Awaitable[DrawerView]]
# What each key needs (the service checks; the footer greys what the person lacks).
NEEDS = {
    "drawer.open": Perm.TAKE_PAYMENTS,
    "drawer.cash_in": Perm.TAKE_PAYMENTS,
    "drawer.paid_out": Perm.TAKE_PAYMENTS,
    "drawer.close": Perm.TAKE_PAYMENTS,
    "drawer.reopen": Perm.REOPEN_DRAWER,
}


class DrawerEntryModal(ModalScreen[DrawerView | None]):
    """An amount and/or a text, sent to the service by `submit`; a refusal shows at its
    field and the modal stays, a success dismisses with the drawer as it now is."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "drawer.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="drawer_entry.cancel"),
    ]

    def __init__(
        self,
        title: str,
        money: MoneyContext,
        submit: Submit,
        *,
        amount_label: str | None,
        note_label: str | None,
        note_required: bool,
        amount_field: str = "amount",
    ) -> None:
        super().__init__(classes="drawer-entry")
        self.amount_field = amount_field
        self._title = title
        self.money = money
        self.submit = submit
        self.amount_label = amount_label
        self.note_label = note_label
        self.note_required = note_required
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="drawer-entry-box"):
            yield Static(Content(self._title), id="drawer-entry-title")
            if self.amount_label is not None:
                yield Static(Content(self.amount_label), classes="drawer-label")
                yield Input(id="drawer-amount", placeholder=self.money.for_input(Decimal(0)))
                yield Static(id="drawer-amount-error", classes="drawer-error")
            if self.note_label is not None:
                yield Static(Content(self.note_label), classes="drawer-label")
                yield Input(id="drawer-note", max_length=200)
                yield Static(id="drawer-note-error", classes="drawer-error")
            yield Static(id="drawer-entry-error", classes="drawer-error")
            yield Static(Content("Enter confirm · Tab next field · Esc cancel"), id="drawer-help")

    def on_mount(self) -> None:
        fields = list(self.query(Input).results(Input))
        fields[0].focus()

    def _error(self, where: str, message: str) -> None:
        self.query_one(f"#{where}", Static).update(Content(message))

    def _clear(self) -> None:
        for error in self.query(".drawer-error").results(Static):
            error.update("")

    def _field_of(self, field: str) -> str:
        if field in AMOUNT_FIELDS and self.amount_label is not None:
            return "drawer-amount-error"
        if self.note_label is not None and field in ("reason", "note"):
            return "drawer-note-error"
        return "drawer-entry-error"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.busy:
            self.send()

    @work(exclusive=True, group="drawer-entry", exit_on_error=False)
    async def send(self) -> None:
        self._clear()
        try:
            amount = Decimal(0)
            if self.amount_label is not None:
                typed = self.query_one("#drawer-amount", Input).value
                amount = self.money.parse(typed, field=self.amount_field, allow_zero=True)
            note = ""
            if self.note_label is not None:
                typed_note = self.query_one("#drawer-note", Input).value
                note = clean_description(typed_note, field="note", required=self.note_required)
        except ValidationError as exc:
            self._error(self._field_of(exc.field), str(exc))
            return
        self.busy = True
        try:
            view = await self.submit(amount, note)
        except ValidationError as exc:
            self._error(self._field_of(exc.field), str(exc))
            return
        except Exception as exc:
            if not isinstance(exc, DomainError):
                self.log.error("drawer write failed", exc)
            self._error("drawer-entry-error", describe(exc))
            return
        finally:
            self.busy = False
        self.dismiss(view)

    def action_cancel(self) -> None:
        self.dismiss(None)


def summary_text(view: DrawerView) -> str:
    m = view.money
    lines = [
        f"Float          {m.format(view.float_amount):>14}",
        f"Cash tenders + {m.format(view.cash_tenders):>14}",
        f"Cash in      + {m.format(view.cash_in):>14}",
        f"Paid out     − {m.format(view.paid_out):>14}",
        f"Expected     = {m.format(view.expected):>14}",
    ]
    if view.counted is not None and view.difference is not None:
        sign = "over" if view.difference > 0 else "short" if view.difference < 0 else "exact"
        lines.append(
            f"Counted        {m.format(view.counted):>14}   "
            f"Difference {m.format(view.difference)} ({sign})"
        )
        if view.close_note:
            lines.append(f"Note: {view.close_note}")
    return "\n".join(lines)


class DrawerScreen(Screen[None]):
    """Today's drawer on this terminal at one location."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "drawer.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open_drawer", "Open", id="drawer.open", tooltip="Open with a float"),
        Binding("i", "cash_in", "Cash in", id="drawer.cash_in"),
        Binding("p", "paid_out", "Paid out", id="drawer.paid_out"),
        Binding("c", "close_drawer", "Close", id="drawer.close", tooltip="Count and close"),
        Binding("r", "reopen", "Reopen", id="drawer.reopen", tooltip="Reopen (manager)"),
        Binding("escape", "back", "Back", id="drawer.back"),
    ]

    def __init__(self, desk: Desk, location_id: int) -> None:
        super().__init__()
        self.desk = desk
        self.location_id = location_id
        self.view: DrawerView | None = None
        self.mine: frozenset[Perm] = frozenset()

    def compose(self) -> ComposeResult:
        yield Static(Content("Cash drawer"), id="drawer-title")
        yield Static(id="drawer-summary")
        yield DataTable[Text](id="drawer-events", cursor_type="row", zebra_stripes=True)
        yield Static(id="drawer-message")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#drawer-events", DataTable)
        for key, (label, width) in COLUMNS.items():
            table.add_column(Text(label), key=key, width=width)
        table.focus()
        self.load()

    def show_message(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#drawer-message", Static)
        message.update(Content(text))
        message.set_class(error, "-error")

    @work(exclusive=True, group="drawer-load", exit_on_error=False)
    async def load(self) -> None:
        summary = self.query_one("#drawer-summary", Static)
        summary.loading = True
        try:
            self.mine = await self.desk.staff.mine()
            view = await self.desk.drawer.today(self.location_id)
        except Exception as exc:
            if not isinstance(exc, DomainError):
                self.log.error("drawer failed", exc)
            self.show_message(f"Could not read the drawer: {describe(exc)}", error=True)
            return
        finally:
            summary.loading = False
        self.show(view)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer greys a key the person may not use, its tooltip the service's
        words; pressed anyway, it says them (`_allowed`), never doing nothing."""
        bindings = super().active_bindings
        out = dict(bindings)
        for key, found in bindings.items():
            needed = NEEDS.get(found.binding.id or "")
            if needed is not None and needed not in self.mine:
                why = describe(PermissionDenied(needed.value))
                out[key] = found._replace(enabled=False, tooltip=why)
        return out

    def show(self, view: DrawerView) -> None:
        self.view = view
        self.refresh_bindings()
        state = STATES.get(view.state, view.state)
        self.query_one("#drawer-title", Static).update(
            Content(f"Cash drawer · {view.terminal} · {view.business_date:%d %b %Y} · {state}")
        )
        self.query_one("#drawer-summary", Static).update(Content(summary_text(view)))
        table: DataTable[Text] = self.query_one("#drawer-events", DataTable)
        table.clear()
        for e in view.events:
            values = {
                "when": f"{e.created_at.astimezone():%H:%M}",
                "what": KINDS.get(e.kind, e.kind),
                "amount": view.money.format(e.amount),
                "by": e.staff_name,
                "note": e.note,
            }
            table.add_row(*(cell(values[k], COLUMNS[k][1]) for k in COLUMNS), key=str(e.id))

    def _allowed(self, permission: Perm) -> bool:
        if permission in self.mine:
            return True
        self.show_message(describe(PermissionDenied(permission.value)), error=True)
        return False

    def _ask(
        self,
        title: str,
        submit: Submit,
        *,
        amount_label: str | None,
        note_label: str | None = None,
        note_required: bool = True,
        permission: Perm = Perm.TAKE_PAYMENTS,
        amount_field: str = "amount",
    ) -> None:
        if self.view is None or not self._allowed(permission):
            return

        def done(view: DrawerView | None) -> None:
            if view is not None:
                self.show(view)
                self.show_message(f"{title}: saved")

        modal = DrawerEntryModal(
            title,
            self.view.money,
            submit,
            amount_label=amount_label,
            note_label=note_label,
            note_required=note_required,
            amount_field=amount_field,
        )
        self.app.push_screen(modal, done)

    def action_open_drawer(self) -> None:
        key = new_key()
        drawer, loc = self.desk.drawer, self.location_id
        self._ask(
            "Open the drawer",
            lambda amount, _: drawer.open(loc, amount, key=key),
            amount_label="Float (the cash in the drawer now)",
            amount_field="float",
        )

    def action_cash_in(self) -> None:
        key = new_key()
        drawer, loc = self.desk.drawer, self.location_id
        self._ask(
            "Cash in",
            lambda amount, note: drawer.cash_in(loc, amount, note, key=key),
            amount_label="Amount put in",
            note_label="Reason (required)",
        )

    def action_paid_out(self) -> None:
        key = new_key()
        drawer, loc = self.desk.drawer, self.location_id
        self._ask(
            "Paid out",
            lambda amount, note: drawer.paid_out(loc, amount, note, key=key),
            amount_label="Amount taken out",
            note_label="Reason (required)",
        )

    def action_close_drawer(self) -> None:
        key = new_key()
        drawer, loc = self.desk.drawer, self.location_id
        self._ask(
            "Close the drawer",
            lambda amount, note: drawer.close(loc, amount, note, key=key),
            amount_label="Counted cash",
            note_label="Note (required when the count differs)",
            note_required=False,
            amount_field="counted",
        )

    def action_reopen(self) -> None:
        key = new_key()
        drawer, loc = self.desk.drawer, self.location_id
        self._ask(
            "Reopen the drawer",
            lambda _, note: drawer.reopen(loc, note, key=key),
            amount_label=None,
            note_label="Reason (required)",
            permission=Perm.REOPEN_DRAWER,
        )

    def action_back(self) -> None:
        self.dismiss(None)
