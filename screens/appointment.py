"""One appointment: who, what, when, its add-ons, and what staff can do with it.

Opened from the schedule with `AppointmentScreen(desk, appointment_id)`; dismisses with
the latest `AppointmentView` (or None if it never loaded) so the caller can refresh its
row. `c` opens the visit's ticket (`screens.ticket`). Every action is one service call in
an async worker; a `DomainError` is shown on the screen in its own words, never as a
traceback. Each action passes the appointment's version as shown: if another terminal
changed it since, the action is refused (`StaleVersion`, naming that terminal) and the
screen reloads.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path, PurePath
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

import styles
from frontdesk.domain.errors import StaleVersion, describe
from frontdesk.services.desk import Desk
from frontdesk.views import AppointmentView, ClientSummary, StoreView
from frontdesk.views.addons import AddonResult
from frontdesk.views.changes import ADDONS, APPOINTMENTS, BALANCES, Change
from frontdesk.views.till import CheckoutResult
from screens.addon_picker import AddonPickerScreen
from screens.addon_rows import units
from screens.reason import ConfirmModal, ReasonModal
from screens.ticket import TicketScreen
from screens.widgets.footer import SteadyFooter
from screens.widgets.live import DataChanged, LiveRefresh

STYLES_DIR = Path(styles.__file__).parent

STATUS_WORDS = {
    "booked": "Booked",
    "confirmed": "Confirmed",
    "checked_in": "Checked in",
    "in_progress": "In progress",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "no_show": "No-show",
}
OPEN = frozenset({"booked", "checked_in"})
LABEL_W = 9


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " ").capitalize())


def long_when(view: AppointmentView) -> str:
    day = view.starts_at.date()
    return f"{day:%A} {day.day} {day:%B %Y}, {view.starts_at:%H:%M}–{view.ends_at:%H:%M}"


class OpenClientProfile(Message):
    """Staff asked for the client's profile; the app opens it (when it can)."""

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id


def app_handles(app: object, message: type[Message]) -> bool:
    """Whether `app` has a handler for `message` (an on_… method or an @on decorator)."""
    if callable(getattr(app, f"on_{message.handler_name.removeprefix('on_')}", None)):
        return True
    return any(
        message in (klass.__dict__.get("_decorated_handlers") or {}) for klass in type(app).__mro__
    )


def returned_units_text(view: AppointmentView) -> str:
    """What cancelling (or a no-show) gives back, computed from the view *before* it:
    e.g. "10 Botox units returned to the client's bank"; "" when nothing was used."""
    used: Counter[tuple[str, str]] = Counter()
    for line in view.addons:
        if not line.removed and line.use_units:
            used[(line.product_name, line.unit_name)] += line.use_units
    if not used:
        return ""
    parts = [units(n, f"{name} {unit}") for (name, unit), n in used.items()]
    return f"{', '.join(parts)} returned to the client's bank"


class AppointmentScreen(Screen[AppointmentView | None]):
    """Details and actions for one appointment."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "appointment.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "addons", "Add-ons", id="appointment.addons"),
        Binding("i", "check_in", "Check in", id="appointment.check_in"),
        Binding(
            "x",
            "cancel_appointment",
            "Cancel",
            id="appointment.cancel",
            tooltip="Cancel appointment",  # the palette's name (screens/palette.py)
        ),
        Binding("n", "no_show", "No-show", id="appointment.no_show"),
        Binding("c", "check_out", "Checkout", id="appointment.check_out"),
        Binding("p", "profile", "Client", id="appointment.profile", tooltip="Client profile"),
        Binding("escape", "back", "Back", id="appointment.back"),
    ]

    view: reactive[AppointmentView | None] = reactive(None, init=False)
    summary: reactive[ClientSummary | None] = reactive(None, init=False)

    def __init__(
        self,
        desk: Desk,
        appointment_id: int,
        *,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        super().__init__(classes="appointment-screen")
        self.desk = desk
        self.appointment_id = appointment_id
        self.clock = clock
        self.store: StoreView | None = None
        self._busy = False
        # Another terminal checked it in, changed its add-ons or spent the client's
        # balance: the details and badges are read again.
        self.live = LiveRefresh(
            self,
            self._changed,
            BALANCES | {APPOINTMENTS, ADDONS},
            lambda: self.view.client_id if self.view else None,
        )

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Content("Appointment"), id="appt-title")
        with VerticalScroll(id="appt-body"):
            yield self._line("Client", "appt-client")
            yield Static(id="appt-badges", classes="appt-indent")
            yield self._line("Service", "appt-service")
            yield self._line("Staff", "appt-staff")
            yield self._line("When", "appt-when")
            yield self._line("Status", "appt-status")
            yield self._line("Reason", "appt-reason")
            yield Static(Content("Add-ons"), id="appt-addons-title")
            yield Static(id="appt-addons", classes="appt-indent")
        yield Static(id="appt-message")
        yield SteadyFooter(compact=True)

    @staticmethod
    def _line(label: str, value_id: str) -> Static:
        return Static(id=value_id, classes="appt-line", name=label)

    def on_mount(self) -> None:
        self.query_one("#appt-body").loading = True
        self.load()

    # -- loading -----------------------------------------------------------------

    def reload(self) -> None:
        self.load()

    def on_data_changed(self, message: DataChanged) -> None:
        self.live.changed(message.change)

    def on_screen_resume(self) -> None:
        self.live.shown()

    def _changed(self, _change: Change) -> None:
        if self.view is not None and not self._busy:  # an action reloads when done
            self.load()

    @work(exclusive=True, group="appointment-load", exit_on_error=False)
    async def load(self) -> None:
        body = self.query_one("#appt-body")
        try:
            if self.store is None:
                self.store = await self.desk.catalog.store()
            view = await self.desk.appointments.get(self.appointment_id)
            summary = await self.desk.clients.summary(view.client_id)
        except Exception as exc:
            body.loading = False
            self.show_message(f"Could not load the appointment: {describe(exc)}")
            return
        body.loading = False
        self.summary = summary
        self.view = view

    def money(self, amount: Decimal) -> str:
        assert self.store is not None, "read with the appointment"
        return self.store.money.format(amount)

    # -- rendering (all names and free text literal: Content, never markup) -------

    def watch_view(self) -> None:
        self._show()
        self.refresh_bindings()

    def watch_summary(self) -> None:
        self._show()

    def badges(self) -> list[str]:
        s = self.summary
        if s is None:
            return []
        out: list[str] = []
        if s.owes > 0:
            out.append(f"Owes {self.money(s.owes)}")
        elif s.account_balance > 0:
            out.append(f"Credit {self.money(s.account_balance)}")
        if s.wallet_balance != 0:
            out.append(f"Beauty Bank {self.money(s.wallet_balance)}")
        out.extend(f"{b.product_name} {units(b.units, b.unit_name)}" for b in s.banked)
        out.extend(f"{p.service_name} {p.visits} prepaid" for p in s.prepaid)
        out.extend(f"{m.plan_name} member" for m in s.memberships if m.status == "active")
        return out

    def addon_lines(self) -> list[str]:
        view = self.view
        if view is None:
            return []
        out: list[str] = []
        for line in view.addons:
            if line.removed:
                continue
            parts: list[str] = []
            if line.use_units:
                parts.append(f"use {line.use_units} from bank")
            if line.buy_units:
                parts.append(
                    f"buy {line.buy_units} ({self.money(line.buy_units * line.unit_price)})"
                )
            if parts:
                out.append(f"{line.product_name} — {', '.join(parts)}")
            if line.bank_units:
                out.append(
                    f"{line.product_name} — +{units(line.bank_units, line.unit_name)} to bank"
                )
        return out

    def _set(self, widget_id: str, text: str) -> None:
        widget = self.query_one(f"#{widget_id}", Static)
        label = widget.name or ""
        if label:
            widget.update(Content.assemble((f"{label:<{LABEL_W}}", "bold"), text))
        else:
            widget.update(Content(text))

    def _show(self) -> None:
        view = self.view
        if view is None:
            return
        self.query_one("#appt-title", Static).update(
            Content(f"Appointment · {view.service_name} · {view.starts_at:%a %d %b %H:%M}")
        )
        self._set("appt-client", view.client_name)
        self._set("appt-badges", " · ".join(self.badges()))
        self.query_one("#appt-badges").display = bool(self.badges())
        self._set("appt-service", view.service_name)
        self._set("appt-staff", view.staff_name)
        self._set("appt-when", long_when(view))
        self._set("appt-status", status_words(view.status))
        self._set("appt-reason", view.cancel_reason)
        self.query_one("#appt-reason").display = bool(view.cancel_reason)
        lines = self.addon_lines()
        self._set("appt-addons", "\n".join(lines) if lines else "none")

    def show_message(self, message: str) -> None:
        note = self.query_one("#appt-message", Static)
        note.update(Content(message))
        note.set_class(bool(message), "-shown")

    # -- actions -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("back",):
            return True
        view = self.view
        if view is None:
            return None  # shown, greyed out, until the appointment has loaded
        if action == "check_in":
            return True if view.status == "booked" else None
        if action in ("addons", "cancel_appointment", "no_show", "check_out"):
            return True if view.status in OPEN else None
        return True

    def action_back(self) -> None:
        self.dismiss(self.view)

    def action_addons(self) -> None:
        if self.view is None:
            return

        def picked(result: AddonResult | None) -> None:
            if result is not None:
                self.view = result.appointment
                self.notify("Add-ons saved", title="Add-ons")
            self.reload()

        self.app.push_screen(AddonPickerScreen(self.desk, self.appointment_id), picked)

    def action_check_in(self) -> None:
        self.run_action_worker("check_in")

    def action_cancel_appointment(self) -> None:
        self.run_action_worker("cancel")

    def action_no_show(self) -> None:
        self.run_action_worker("no_show")

    def action_check_out(self) -> None:
        """Open the visit's ticket; once it is paid the appointment reads Completed."""
        view = self.view
        if view is None or self._busy:
            return

        def closed(result: CheckoutResult | None) -> None:
            if result is not None:
                self.notify(f"Ticket #{result.ticket_id} paid", title="Checkout")
            self.reload()

        self.app.push_screen(
            TicketScreen(
                self.desk,
                view.client_id,
                location_id=view.location_id,
                appointment_id=view.id,
                clock=self.clock,
            ),
            closed,
        )

    def action_profile(self) -> None:
        if self.view is None:
            return
        if app_handles(self.app, OpenClientProfile):
            self.post_message(OpenClientProfile(self.view.client_id))
        else:
            self.notify("Client profile opens here", title="Profile")

    def returned_units(self) -> str:
        return returned_units_text(self.view) if self.view is not None else ""

    def run_action_worker(self, what: str) -> None:
        if self._busy or self.view is None:
            return
        self._busy = True
        self.act(what)

    @work(group="appointment-action", exit_on_error=False)
    async def act(self, what: str) -> None:
        try:
            await self._act(what)
        except StaleVersion as exc:
            # Another terminal changed the appointment since it was shown: say who, show
            # it as it is now, and let staff decide again.
            self.show_message(str(exc))
            self.notify(str(exc), title="Not done", severity="warning")
            self.reload()
        except Exception as exc:
            self.show_message(describe(exc))
            self.notify(describe(exc), title="Not done", severity="error")
        finally:
            self._busy = False

    async def _act(self, what: str) -> None:
        self.show_message("")
        shown = self.view
        assert shown is not None  # run_action_worker starts nothing without a view
        if what == "check_in":
            self.view = await self.desk.appointments.check_in(
                self.appointment_id, expected_version=shown.version
            )
            self.notify(f"{self.view.client_name} is checked in", title="Check in")
        elif what == "cancel":
            reason = await self.app.push_screen_wait(
                ReasonModal(
                    "Cancel appointment",
                    f"{shown.client_name} · {shown.service_name} · "
                    f"{shown.starts_at:%a %H:%M}\nWhy is it being cancelled? (required)",
                )
            )
            if reason is None:
                return
            returned = self.returned_units()
            self.view = await self.desk.appointments.cancel(
                self.appointment_id, reason, expected_version=shown.version
            )
            self.notify(returned or "Appointment cancelled", title="Cancelled")
            self.reload()
        elif what == "no_show":
            sure = await self.app.push_screen_wait(
                ConfirmModal("No-show", f"Mark {shown.client_name} as a no-show?")
            )
            if not sure:
                return
            returned = self.returned_units()
            self.view = await self.desk.appointments.no_show(
                self.appointment_id, expected_version=shown.version
            )
            self.notify(returned or "Marked as a no-show", title="No-show")
            self.reload()
