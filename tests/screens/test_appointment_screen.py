"""The appointment screen: badges, add-on lines, and each action, checked in the database."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from textual import on
from textual.pilot import Pilot
from textual.screen import Screen

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Membership, MembershipPlan
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonSelection
from screens.appointment import AppointmentScreen, OpenClientProfile
from screens.reason import ConfirmModal, ReasonModal
from tests.money import amount, money
from tests.screens.conftest import appointment_shown
from tests.screens.picker_fixtures import (
    MARKUP_FIRST,
    MARKUP_LAST,
    MARKUP_NAME,
    SIZE,
    Clinic,
    HostApp,
    build_clinic_at,
    notes,
    owe_and_wallet,
    text_of,
)
from tests.screens.ticket_fixtures import ticket, ticket_opened, totals
from tests.waiting import wait_until

UNITS = StoredValueKind.PRODUCT_UNITS


def appointment_app(url: str, clinic: Clinic) -> HostApp:
    return HostApp(
        url, lambda desk: AppointmentScreen(desk, clinic.appointment_id), staff_id=clinic.staff_id
    )


async def appointment_opened(pilot: Pilot[None]) -> None:
    await wait_until(pilot, lambda: appointment_shown(pilot.app), what="the appointment")


def on_top(app: HostApp, screen_type: type[Screen[Any]]) -> bool:
    return isinstance(app.screen, screen_type)


async def use_ten_buy_five(url: str, clinic: Clinic, bank_more: int = 0) -> None:
    """Set the appointment up as the picker would: Use 10 from the bank, Buy 5."""
    desk = Desk.open(url, terminal="desk-2", staff_id=clinic.staff_id)
    try:
        await desk.addons.add_to_service(
            clinic.appointment_id,
            [AddonSelection(clinic.botox_id, use=10, buy=5, expected_owned=10)],
            key=new_key(),
        )
        if bank_more:
            await desk.addons.buy_more(clinic.appointment_id, clinic.botox_id, bank_more)
    finally:
        await desk.close()


@pytest.fixture
async def clinic(sqlite_url: str) -> Clinic:
    return await build_clinic_at(sqlite_url)


async def test_shows_client_badges_service_staff_time_and_status(
    sqlite_url: str, clinic: Clinic
) -> None:
    await owe_and_wallet(sqlite_url, clinic.client_id, amount("30"), amount("50"))
    app = appointment_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await appointment_opened(pilot)
        assert text_of(app, "#appt-client") == "Client   Ann Lee"
        assert text_of(app, "#appt-badges") == (
            f"Owes {money('30.00')} · Beauty Bank {money('50.00')} · Botox 10 units"
        )
        assert text_of(app, "#appt-service") == "Service  Botox — Anti-wrinkle"
        assert text_of(app, "#appt-staff") == "Staff    Dr Kay"
        assert text_of(app, "#appt-when") == "When     Monday 23 November 2026, 10:00–10:30"
        assert text_of(app, "#appt-status") == "Status   Booked"
        assert text_of(app, "#appt-addons") == "none"


async def test_addon_lines_use_buy_and_bank(sqlite_url: str, clinic: Clinic) -> None:
    await use_ten_buy_five(sqlite_url, clinic, bank_more=20)
    app = appointment_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await appointment_opened(pilot)
        assert text_of(app, "#appt-addons").splitlines() == [
            f"Botox — use 10 from bank, buy 5 ({money('45.00')})",
            "Botox — +20 units to bank",
        ]
        # All 10 banked units are in use on this visit: no units badge any more.
        assert text_of(app, "#appt-badges") == ""


async def test_check_in(sqlite_url: str, clinic: Clinic) -> None:
    app = appointment_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await appointment_opened(pilot)
        await pilot.press("i")
        await wait_until(
            pilot,
            lambda: "Checked in" in text_of(app, "#appt-status"),
            what="the status Checked in",
        )
        assert text_of(app, "#appt-status") == "Status   Checked in"
        assert (await app.desk.appointments.get(clinic.appointment_id)).status == "checked_in"
        assert "Ann Lee is checked in" in notes(app)
        # Checking in twice isn't offered (and would be refused by the service).
        assert app.screen.check_action("check_in", ()) is None


async def test_cancel_needs_a_reason_and_returns_used_units(
    sqlite_url: str, clinic: Clinic
) -> None:
    await use_ten_buy_five(sqlite_url, clinic)
    app = appointment_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await appointment_opened(pilot)
        before = (await app.desk.balances.history(clinic.client_id, UNITS)).total
        await pilot.press("x")
        await wait_until(pilot, partial(on_top, app, ReasonModal), what="the reason dialog")
        assert isinstance(app.screen, ReasonModal)
        await pilot.press("enter")  # no reason yet
        await wait_until(pilot, lambda: text_of(app, "#ask-error"), what="the reason asked for")
        assert text_of(app, "#ask-error") == "Enter a description"
        await pilot.press(*"Client unwell", "enter")
        await wait_until(
            pilot, lambda: "Cancelled" in text_of(app, "#appt-status"), what="the status Cancelled"
        )
        assert isinstance(app.screen, AppointmentScreen)
        assert text_of(app, "#appt-status") == "Status   Cancelled"
        assert text_of(app, "#appt-reason") == "Reason   Client unwell"
        assert "10 Botox units returned to the client's bank" in notes(app)
        history = await app.desk.balances.history(clinic.client_id, UNITS)
        assert history.total == before + 1
        reversal = history.entries[0]
        assert reversal.amount == Decimal(10) and reversal.reverses_entry_id is not None
        summary = await app.desk.clients.summary(clinic.client_id)
        assert [(b.product_name, b.units) for b in summary.banked] == [("Botox", 10)]
        assert text_of(app, "#appt-badges") == "Botox 10 units"


async def test_cancel_can_be_abandoned(sqlite_url: str, clinic: Clinic) -> None:
    app = appointment_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await appointment_opened(pilot)
        await pilot.press("x")
        await wait_until(pilot, partial(on_top, app, ReasonModal), what="the reason dialog")
        await pilot.press("escape")
        await wait_until(pilot, lambda: appointment_shown(app), what="the appointment again")
        assert (await app.desk.appointments.get(clinic.appointment_id)).status == "booked"


async def test_no_show_after_confirming(sqlite_url: str, clinic: Clinic) -> None:
    await use_ten_buy_five(sqlite_url, clinic)
    app = appointment_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await appointment_opened(pilot)
        await pilot.press("n")
        await wait_until(pilot, partial(on_top, app, ConfirmModal), what="the confirmation")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await wait_until(
            pilot, lambda: "No-show" in text_of(app, "#appt-status"), what="the status No-show"
        )
        assert text_of(app, "#appt-status") == "Status   No-show"
        assert (await app.desk.appointments.get(clinic.appointment_id)).status == "no_show"
        assert "10 Botox units returned to the client's bank" in notes(app)


async def test_check_out_opens_the_visits_ticket(sqlite_url: str, clinic: Clinic) -> None:
    await use_ten_buy_five(sqlite_url, clinic)
    app = appointment_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await appointment_opened(pilot)
        await pilot.press("c")
        await ticket_opened(pilot)
        lines = ticket(app).quote.lines  # type: ignore[union-attr]
        assert [(q.description, q.net) for q in lines] == [
            ("Botox — Anti-wrinkle", amount("250.00")),
            ("Botox — 10 units from the client's bank", amount("0.00")),
            ("Botox — 5 units used today", amount("45.00")),
        ]
        assert totals(app)[-1] == f"Total due {money('295.00')}"  # £250 + 5 × £9
        assert "discount" not in " ".join(totals(app)[:1])
        await pilot.press("escape")  # nothing paid: the visit is still open
        await appointment_opened(pilot)
        assert text_of(app, "#appt-status") == "Status   Booked"


async def enrol_with_discount(url: str, client_id: int, percent: int) -> None:
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        async with ctx.transaction() as session:
            plan = MembershipPlan(
                name="Glow Gold", price_minor=7_900, discount_percent=Decimal(percent)
            )
            session.add(plan)
            await session.flush()
            session.add(
                Membership(client_id=client_id, plan_id=plan.id, started_on=dt.date(2026, 1, 5))
            )
    finally:
        await ctx.dispose()


async def test_ticket_takes_the_membership_discount_once_and_offers_the_beauty_bank(
    sqlite_url: str, clinic: Clinic
) -> None:
    await use_ten_buy_five(sqlite_url, clinic)
    await enrol_with_discount(sqlite_url, clinic.client_id, 10)
    await owe_and_wallet(sqlite_url, clinic.client_id, amount("0"), amount("50"))
    app = appointment_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await appointment_opened(pilot)
        await pilot.press("c")
        await ticket_opened(pilot)
        quote = ticket(app).quote
        assert quote is not None
        assert sum(q.gross for q in quote.lines) == quote.subtotal == amount("295.00")
        assert totals(app) == [
            f"Subtotal {money('295.00')}",
            f"Member discount 10% −{money('29.50')}",
            "Promotion —",
            f"[ ] Beauty Bank of {money('50.00')} —",
            f"[ ] Credit of {money('0.00')} —",
            f"Total due {money('265.50')}",
        ]


async def test_service_errors_are_shown_not_raised(sqlite_url: str, clinic: Clinic) -> None:
    app = appointment_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await appointment_opened(pilot)
        other = Desk.open(sqlite_url, terminal="desk-2", staff_id=clinic.staff_id)
        try:  # another desk cancels it while this screen shows it as booked
            await other.appointments.cancel(clinic.appointment_id, "Phoned to cancel")
        finally:
            await other.close()
        await pilot.press("i")
        await wait_until(
            pilot,
            lambda: "Cancelled" in text_of(app, "#appt-status"),
            what="the refusal, and the appointment reloaded as cancelled",
        )
        # Based on the booked appointment it showed: refused, naming who changed it.
        message = text_of(app, "#appt-message")
        assert re.fullmatch(
            r"Changed on desk-2 at \d\d:\d\d — reloaded; check and save again", message
        ), message
        assert (await app.desk.appointments.get(clinic.appointment_id)).status == "cancelled"
        assert app.is_running
        # From the reloaded view, the rule's own refusal: check-in is not offered now.
        assert app.screen.check_action("check_in", ()) is None


async def test_client_name_with_markup_is_shown_literally(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url, first_name=MARKUP_FIRST, last_name=MARKUP_LAST)
    app = appointment_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await appointment_opened(pilot)
        assert text_of(app, "#appt-client") == f"Client   {MARKUP_NAME}"
        assert app.is_running


async def test_profile_key_without_a_handler_says_where_it_will_open(
    sqlite_url: str, clinic: Clinic
) -> None:
    app = appointment_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await appointment_opened(pilot)
        await pilot.press("p")
        await wait_until(
            pilot, lambda: "Client profile opens here" in notes(app), what="where it will open"
        )
        assert "Client profile opens here" in notes(app)


class ProfileApp(HostApp):
    def __init__(self, url: str, clinic: Clinic) -> None:
        super().__init__(url, lambda s: AppointmentScreen(s, clinic.appointment_id))
        self.opened: list[int] = []

    @on(OpenClientProfile)
    def open_profile(self, message: OpenClientProfile) -> None:
        self.opened.append(message.client_id)


async def test_profile_key_asks_the_app_to_open_the_client(sqlite_url: str, clinic: Clinic) -> None:
    app = ProfileApp(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await appointment_opened(pilot)
        await pilot.press("p")
        await wait_until(pilot, lambda: app.opened, what="the app asked to open the client")
        assert app.opened == [clinic.client_id]
        assert "Client profile opens here" not in notes(app)


async def test_escape_returns_the_latest_view(sqlite_url: str, clinic: Clinic) -> None:
    app = appointment_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await appointment_opened(pilot)
        await pilot.press("i")
        await wait_until(
            pilot,
            lambda: "Checked in" in text_of(app, "#appt-status"),
            what="the status Checked in",
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.results, what="the screen closed with its view")
        [view] = app.results
        assert view is not None and getattr(view, "status", None) == "checked_in"
