"""Book an appointment: find the client, pick service and staff, type the start time.

`BookingScreen(desk, location_id, day, staff=None, *, client=None, choose_day=False)`
dismisses with the new `AppointmentView`, or None on Esc. Client search runs as you type
in one exclusive async worker, and a result is shown only if it is still for the text in
the box, so a slow answer for "am" can never replace the answer for "zo". A double booking
comes back from the service as a `ValidationError` on ``starts_at`` and is shown under the
start time.

From the schedule the day is fixed (the schedule's day). From a client's profile the
client comes preselected (``client=``: shown on the ✓ line, focus starts on Service, and
typing a search still picks someone else) and ``choose_day=True`` adds a Date field:
``day`` is then "today", the field starts on it and takes DD/MM/YYYY, YYYY-MM-DD, today,
tomorrow or +N (N days ahead); a date before ``day`` is refused.

Someone new is added from the client step: ctrl+n, or Enter when nobody matches, opens
the New Client form pre-filled from the search text; the client saved there (or the
likely duplicate opened instead) is chosen and the booking carries on at Service.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

import styles
from frontdesk.domain.errors import ValidationError, describe
from frontdesk.domain.fields import parse_date
from frontdesk.domain.new_client import prefill_from_search
from frontdesk.services.desk import Desk
from frontdesk.views import AppointmentView, ClientHit, ServiceView, StaffView
from screens.new_client import NewClientScreen
from screens.widgets.footer import SteadyFooter

STYLES_DIR = Path(styles.__file__).parent
TIME_HINT = "Enter a time like 14:30"
_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")
DATE_HINT = "Enter a date like 24/11/2026, 2026-11-24, tomorrow or +3"
SEARCH_LIMIT = 20

# Service field name -> the field on this screen that shows its error.
FIELD_FOR = {
    "starts_at": "start",
    "staff_id": "staff",
    "service_id": "service",
    "client_id": "client",
}


def parse_time(text: str) -> dt.time:
    """ "9:05", "09:05", "14.30" -> a time; anything else -> ValidationError on start."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValidationError("starts_at", TIME_HINT)
    return dt.time(int(match.group(1)), int(match.group(2)))


def parse_day(text: str, today: dt.date) -> dt.date:
    """ "24/11/2026", "2026-11-24", "today", "tomorrow", "+3" -> a date not before `today`;
    anything else (or a past date) -> ValidationError on date."""
    day = parse_date(text, "date", relative_to=today, short_iso=True, hint=DATE_HINT)
    if day is None:
        raise ValidationError("date", DATE_HINT)
    if day < today:
        raise ValidationError("date", f"{day:%d/%m/%Y} is in the past: pick today or later")
    return day


def day_title(day: dt.date | None) -> str:
    if day is None:
        return "New appointment — choose a date"
    return f"New appointment — {day:%A} {day.day} {day:%B %Y}"


def hit_label(hit: ClientHit) -> str:
    extra = " · ".join(part for part in (hit.client_number, hit.phone, hit.email) if part)
    return f"{hit.name} · {extra}" if extra else hit.name


class SearchInput(Input):
    """The client search box; ↓ moves into the results."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "results", "Results", show=False, id="booking.results"),
    ]

    def action_results(self) -> None:
        results = self.screen.query_one("#client-results", OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0


class BookingScreen(ModalScreen[AppointmentView | None]):
    """A new appointment at `location_id` on `day`."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "booking.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="booking.close"),
        Binding("ctrl+s", "book", "Book", id="booking.book"),
        Binding("ctrl+n", "new_client", "New client", id="booking.new_client"),
    ]

    def __init__(
        self,
        desk: Desk,
        location_id: int,
        day: dt.date,
        staff: tuple[StaffView, ...] | None = None,
        *,
        client: ClientHit | None = None,
        choose_day: bool = False,
    ) -> None:
        super().__init__(classes="booking -choose-day" if choose_day else "booking")
        self.desk = desk
        self.location_id = location_id
        self.day = day  # the booked day; with choose_day, the earliest one allowed (today)
        self.staff_members = staff
        self.client: ClientHit | None = client
        self.choose_day = choose_day
        # The date the title shows: `day` until the Date field says otherwise.
        self.chosen_day: dt.date | None = day
        self.hits: tuple[ClientHit, ...] = ()
        self.hits_for = ""  # the query the shown results answer
        self._booking = False

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="booking-dialog"):
            yield Static(Content(day_title(self.day)), id="booking-title")
            with Horizontal(classes="book-row"):
                yield Static(Content("Client"), classes="book-label")
                yield SearchInput(
                    placeholder=(
                        "name, phone, email or client number"
                        if self.client is None
                        else "type to book someone else"
                    ),
                    id="client-search",
                    compact=True,
                )
            yield OptionList(id="client-results", compact=True)
            yield Static(
                Content(f"✓ {hit_label(self.client)}") if self.client is not None else "",
                id="client-chosen",
                classes="book-note",
            )
            yield Static(id="client-error", classes="field-error")
            with Horizontal(classes="book-row"):
                yield Static(Content("Service"), classes="book-label")
                yield Select[int]([], prompt="Choose a service", id="service", compact=True)
            yield Static(id="service-error", classes="field-error")
            with Horizontal(classes="book-row"):
                yield Static(Content("Staff"), classes="book-label")
                yield Select[int]([], prompt="Choose staff", id="staff", compact=True)
            yield Static(id="staff-error", classes="field-error")
            if self.choose_day:
                with Horizontal(classes="book-row"):
                    yield Static(Content("Date"), classes="book-label")
                    yield Input(
                        f"{self.day:%d/%m/%Y}",
                        placeholder="DD/MM/YYYY",
                        id="date",
                        compact=True,
                        max_length=12,
                    )
                    yield Static(
                        Content("or today, tomorrow, +3 (days ahead)"), classes="book-hint"
                    )
                yield Static(id="date-error", classes="field-error")
            with Horizontal(classes="book-row", id="start-row"):
                yield Static(Content("Start"), classes="book-label")
                yield Input(placeholder="HH:MM", id="start", compact=True, max_length=5)
            yield Static(id="start-error", classes="field-error")
            yield Static(id="booking-message")
            with Horizontal(id="booking-buttons"):
                yield Button("Book", id="booking-book", variant="primary", compact=True)
                yield Button("Cancel", id="booking-cancel", compact=True)
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#client-results").display = False
        # With a client already chosen, focus moves on to Service once the choices load
        # (a loading Select cannot take focus).
        self.query_one("#client-search", Input).focus()
        for select in self.query(Select):
            select.loading = True
        self.load_choices()

    @work(exclusive=True, group="booking-load", exit_on_error=False)
    async def load_choices(self) -> None:
        try:
            services = await self.desk.catalog.services()
            staff = self.staff_members
            if staff is None:
                staff = await self.desk.catalog.staff(self.location_id)
        except Exception as exc:
            self.show_message(f"Could not load services and staff: {describe(exc)}")
            return
        finally:
            for select in self.query(Select):
                select.loading = False
        self._fill_services(services)
        self._fill_staff(staff)
        search = self.query_one("#client-search", Input)
        if self.client is not None and self.focused is search and not search.value:
            self.query_one("#service", Select).focus()

    def _fill_services(self, services: Sequence[ServiceView]) -> None:
        select: Select[int] = self.query_one("#service", Select)
        select.set_options(
            (Content(f"{s.name} · {s.duration_minutes} min"), s.id) for s in services
        )

    def _fill_staff(self, staff: Sequence[StaffView]) -> None:
        self.staff_members = tuple(staff)
        select: Select[int] = self.query_one("#staff", Select)
        select.set_options((Content(m.name), m.id) for m in staff)
        if len(staff) == 1:
            select.value = staff[0].id

    # -- client search -----------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "client-search":
            event.stop()
            self.set_error("client", "")
            self.search(event.value)
        elif event.input.id == "start":
            event.stop()
            self.set_error("start", "")
        elif event.input.id == "date":
            event.stop()
            self.set_error("date", "")
            try:
                self.chosen_day = parse_day(event.value, self.day)
            except ValidationError:
                self.chosen_day = None
            self.query_one("#booking-title", Static).update(Content(day_title(self.chosen_day)))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id in ("service", "staff"):
            event.stop()
            self.set_error(event.select.id, "")

    @work(exclusive=True, group="client-search", exit_on_error=False)
    async def search(self, query: str) -> None:
        if not query.strip():
            self._show_hits(query, ())
            return
        try:
            hits = await self.desk.clients.search(query, SEARCH_LIMIT)
        except Exception as exc:
            if query == self.query_one("#client-search", Input).value:
                self.set_error("client", f"Search failed: {describe(exc)}")
            return
        if query != self.query_one("#client-search", Input).value:
            return  # a newer query owns the list
        self._show_hits(query, hits)

    def _show_hits(self, query: str, hits: tuple[ClientHit, ...]) -> None:
        self.hits = hits
        self.hits_for = query
        results = self.query_one("#client-results", OptionList)
        results.clear_options()
        results.add_options(Option(Content(hit_label(h)), id=str(h.id)) for h in hits)
        results.display = bool(hits) or bool(query.strip())
        if query.strip() and not hits:
            results.add_option(
                Option(Content("No clients match — Enter or ctrl+n to add"), disabled=True)
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box takes the first match (↓ picks another), once the
        list answers the text in the box."""
        if event.input.id != "client-search":
            return
        event.stop()
        if self.hits_for != event.value:
            return
        if self.hits:
            self.choose(self.hits[0])
        elif event.value.strip():
            self.action_new_client()  # nobody matches: Enter adds them

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = next((h for h in self.hits if str(h.id) == event.option.id), None)
        if hit is not None:
            self.choose(hit)

    def action_new_client(self) -> None:
        """The New Client form, pre-filled from the search text; its client is chosen."""

        def added(hit: ClientHit | None) -> None:
            if hit is not None:
                self.query_one("#client-results", OptionList).display = False
                self.choose(hit)

        typed = self.query_one("#client-search", Input).value
        self.app.push_screen(
            NewClientScreen(self.desk, prefill_from_search(typed), location_id=self.location_id),
            added,
        )

    def choose(self, hit: ClientHit) -> None:
        self.client = hit
        self.query_one("#client-chosen", Static).update(Content(f"✓ {hit_label(hit)}"))
        self.set_error("client", "")
        self.query_one("#service", Select).focus()

    # -- booking -----------------------------------------------------------------

    def set_error(self, name: str, message: str) -> None:
        note = self.query_one(f"#{name}-error", Static)
        note.update(Content(message))
        note.set_class(bool(message), "-shown")

    def show_message(self, message: str) -> None:
        note = self.query_one("#booking-message", Static)
        note.update(Content(message))
        note.set_class(bool(message), "-shown")

    def action_book(self) -> None:
        if self._booking:
            return
        self.show_message("")
        for name in ("service", "staff"):
            self.set_error(name, "")  # shown again below if still missing
        service: Select[int] = self.query_one("#service", Select)
        staff: Select[int] = self.query_one("#staff", Select)
        problems: list[str] = []
        if self.client is None:
            self.set_error("client", "Choose a client: type a name, then ↓ and Enter")
            problems.append("client-search")
        if not isinstance(service.value, int):
            self.set_error("service", "Choose a service")
            problems.append("service")
        if not isinstance(staff.value, int):
            self.set_error("staff", "Choose a staff member")
            problems.append("staff")
        day: dt.date | None = self.day
        if self.choose_day:
            try:
                day = parse_day(self.query_one("#date", Input).value, self.day)
            except ValidationError as exc:
                self.set_error("date", str(exc))
                problems.append("date")
                day = None
        start_text = self.query_one("#start", Input).value
        try:
            start = parse_time(start_text)
        except ValidationError as exc:
            self.set_error("start", str(exc))
            problems.append("start")
            start = None
        if problems:
            self.query_one(f"#{problems[0]}").focus()
            return
        assert self.client is not None and start is not None and day is not None
        assert isinstance(service.value, int) and isinstance(staff.value, int)
        self._booking = True
        self.book(self.client.id, service.value, staff.value, dt.datetime.combine(day, start))

    @work(exclusive=True, group="booking-book", exit_on_error=False)
    async def book(self, client_id: int, service_id: int, staff_id: int, at: dt.datetime) -> None:
        try:
            view = await self.desk.appointments.book(
                client_id=client_id,
                service_id=service_id,
                staff_id=staff_id,
                location_id=self.location_id,
                starts_at=at,
            )
        except ValidationError as exc:
            self._booking = False
            name = FIELD_FOR.get(exc.field)
            if name is None:
                self.show_message(str(exc))
                return
            self.set_error(name, str(exc))
            self.query_one("#client-search" if name == "client" else f"#{name}").focus()
            return
        except Exception as exc:
            self._booking = False
            self.show_message(describe(exc))
            return
        self.dismiss(view)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "booking-book":
            self.action_book()
        else:
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)
