"""Sign-in, lock and idle lock in the TUI (issue 13, items 1 and 4), at 80x24.

The app starts on sign-in: staff number, Enter, PIN, Enter. Each person gets their own
screen stack, so a lock (key or idle) returns the same person to the same half-typed
modal, and another person starts clean while the first one's open ticket stays listed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select, update
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import LedgerEntry, StoreSettings
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from screens.adjust_balance import AdjustBalanceModal
from screens.app import FrontdeskApp
from screens.appointment import OpenClientProfile
from screens.approval import ApprovalModal
from screens.profile import ClientProfileScreen
from screens.schedule import ScheduleScreen
from screens.sign_in import FirstOwnerScreen, SignInScreen
from screens.ticket import TicketScreen
from tests.money import money, typed
from tests.screens.conftest import NOW, TERMINAL, TODAY, fill_tiny_salon
from tests.waiting import wait_until

SIZE = (80, 24)
ALICE = 1  # a client of the tiny salon


@dataclass(frozen=True)
class People:
    url: str
    desk: int  # front desk, PIN 2468
    boss: int  # manager, PIN 1357


@pytest.fixture
async def people(sqlite_url: str) -> AsyncIterator[People]:
    await fill_tiny_salon(sqlite_url)
    operator = Desk(ServiceContext.create(create_engine(sqlite_url), terminal="cli", operator=True))
    try:
        desk = await operator.team.add("Dana Desk", "front_desk", "2468")
        boss = await operator.team.add("Max Manager", "manager", "1357")
        yield People(sqlite_url, desk.number, boss.number)
    finally:
        await operator.close()


class Clock:
    """The idle lock's clock, moved by the test: the screens stay put however slow the
    machine is, and the lock's own timer still has to fire."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def app_on(url: str, idle_clock: Clock | None = None) -> FrontdeskApp:
    return FrontdeskApp(
        lambda: Desk.open(url, terminal=TERMINAL),
        clock=lambda: NOW,
        today=TODAY,
        monotonic=idle_clock or Clock(),
    )


def message(app: FrontdeskApp) -> str:
    return str(app.screen.query_one("#sign-in-message", Static).render())


async def on_sign_in(pilot: Pilot[int]) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SignInScreen), what="sign-in")


async def sign_in(pilot: Pilot[int], number: int, pin: str) -> None:
    await on_sign_in(pilot)
    await pilot.press(*str(number), "enter", *pin, "enter")


async def signed_in_as(pilot: Pilot[int], number: int) -> None:
    app = pilot.app
    assert isinstance(app, FrontdeskApp)
    await wait_until(
        pilot,
        lambda: app.member is not None and app.member.id == number,
        what=f"staff {number} signed in",
    )


async def schedule_shown(pilot: Pilot[int]) -> None:
    app = pilot.app
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, ScheduleScreen) and app.screen.day == TODAY,
        what="the schedule",
    )


async def test_starts_on_sign_in_and_number_enter_pin_enter_opens_the_schedule(
    people: People,
) -> None:
    app = app_on(people.url)
    async with app.run_test(size=SIZE) as pilot:
        await on_sign_in(pilot)
        screen = app.screen
        assert screen.query_one("#sign-in-who", Input).has_focus
        await sign_in(pilot, people.desk, "2468")
        await schedule_shown(pilot)
        assert app.member is not None and app.member.name == "Dana Desk"
        header = str(app.screen.query_one("#header-where", Static).render())
        assert "Dana Desk" in header and TERMINAL in header


async def test_a_wrong_pin_says_so_without_saying_which_part(people: People) -> None:
    app = app_on(people.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, people.desk, "0000")
        await wait_until(pilot, lambda: "do not match" in message(app), what="the refusal")
        wrong_pin = message(app)
        assert isinstance(app.screen, SignInScreen) and app.member is None
        pin = app.screen.query_one("#sign-in-pin", Input)
        assert pin.value == "" and pin.has_focus
        await pilot.press("escape")
        await pilot.press(*"999", "enter", *"2468", "enter")
        await wait_until(pilot, lambda: "do not match" in message(app), what="the refusal")
        assert message(app) == wrong_pin


async def test_nothing_about_clients_before_sign_in(people: People) -> None:
    app = app_on(people.url)
    async with app.run_test(size=SIZE) as pilot:
        await on_sign_in(pilot)
        assert app.check_action("search", ()) is None
        assert app.check_action("lock", ()) is None
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Search: find a client" not in titles and "Lock" not in titles


async def test_a_database_nobody_can_sign_in_to_asks_for_its_first_owner(
    sqlite_url: str,
) -> None:
    await fill_tiny_salon(sqlite_url)
    app = app_on(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot, lambda: isinstance(app.screen, FirstOwnerScreen), what="the first owner form"
        )
        await pilot.press(*"Olivia Bennett", "enter", *"4321", "enter", *"4322", "enter")
        await wait_until(pilot, lambda: "differ" in message(app), what="the PINs differ")
        await pilot.press(*"4321", "enter", *"4321", "enter")
        await schedule_shown(pilot)
        assert app.member is not None and app.member.role == "owner"
        await pilot.press("ctrl+l")
        await on_sign_in(pilot)  # the form is gone: a lock shows sign-in
        await sign_in(pilot, app_member_id := 4, "4321")
        await signed_in_as(pilot, app_member_id)


async def open_wallet_modal_with(pilot: Pilot[int], typed: str) -> AdjustBalanceModal:
    app = pilot.app
    app.post_message(OpenClientProfile(ALICE))
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, ClientProfileScreen) and app.screen.header is not None,
        what="the profile",
    )
    await pilot.press("b")
    await wait_until(
        pilot, lambda: isinstance(app.screen, AdjustBalanceModal), what="the Beauty Bank modal"
    )
    await pilot.press(*typed)
    modal = app.screen
    assert isinstance(modal, AdjustBalanceModal)
    return modal


def amount_of(modal: AdjustBalanceModal) -> str:
    return modal.query_one("#amount", Input).value


async def test_lock_key_returns_the_same_person_to_the_same_half_typed_modal(
    people: People,
) -> None:
    app = app_on(people.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, people.desk, "2468")
        await schedule_shown(pilot)
        modal = await open_wallet_modal_with(pilot, "25")
        await pilot.press("ctrl+l")
        await on_sign_in(pilot)
        assert app.member is None
        assert app.screen.query_one("#sign-in-who", Input).value == ""
        await sign_in(pilot, people.desk, "2468")
        await signed_in_as(pilot, people.desk)
        assert app.screen is modal and amount_of(modal) == "25"


async def test_idle_lock_returns_the_same_person_to_the_same_half_typed_modal(
    people: People,
) -> None:
    await set_idle_seconds(people.url, 1)
    clock = Clock()
    app = app_on(people.url, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, people.desk, "2468")
        await schedule_shown(pilot)
        modal = await open_wallet_modal_with(pilot, "12.5")
        clock.now += 0.5  # a key half a second ago is not idle: still signed in
        await pilot.press("left", "right")
        clock.now += 0.9
        await app.idle_due()
        assert app.member is not None and app.screen is modal
        clock.now += 1.1  # now a whole second without a key: the timer locks
        await wait_until(pilot, lambda: app.member is None, what="the idle lock", timeout=30)
        await on_sign_in(pilot)
        await sign_in(pilot, people.desk, "2468")
        await signed_in_as(pilot, people.desk)
        assert app.screen is modal and amount_of(modal) == "12.5"


async def test_another_person_starts_clean_and_the_open_ticket_stays_listed(
    people: People,
) -> None:
    app = app_on(people.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, people.desk, "2468")
        await schedule_shown(pilot)
        app.post_message(OpenClientProfile(ALICE))
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ClientProfileScreen) and app.screen.header is not None,
            what="the profile",
        )
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, TicketScreen), what="a ticket")
        ticket = app.screen
        assert isinstance(ticket, TicketScreen)
        await pilot.press("ctrl+l")
        await sign_in(pilot, people.boss, "1357")
        await signed_in_as(pilot, people.boss)
        await schedule_shown(pilot)  # clean: their own schedule, not the ticket
        listed = await app.desk.till.open_tickets(None)
        assert [t.ticket.idempotency_key for t in listed] == [ticket.idempotency_key]
        assert listed[0].parked_by == "Dana Desk"
        await pilot.press("ctrl+l")
        await sign_in(pilot, people.desk, "2468")
        await signed_in_as(pilot, people.desk)
        assert app.screen is ticket
        await wait_until(pilot, lambda: held_here(app), what="the ticket held here again")


def held_here(app: FrontdeskApp) -> bool:
    screen = app.screen
    return isinstance(screen, TicketScreen) and screen.held_by is None


async def set_idle_seconds(url: str, seconds: int) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(update(StoreSettings).values(idle_lock_seconds=seconds))
    finally:
        await engine.dispose()


async def test_every_ledger_entry_written_here_names_the_signed_in_person(
    people: People,
) -> None:
    app = app_on(people.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, people.desk, "2468")
        await schedule_shown(pilot)
        await open_wallet_modal_with(pilot, "25")
        await pilot.press("tab", *"Goodwill", "enter")
        # The modal closes once the service has written the entry.
        await wait_until(
            pilot, lambda: isinstance(app.screen, ClientProfileScreen), what="the modal closed"
        )
    written = await entries_by_staff(people.url)
    assert written == {people.desk: 1}


async def entries_by_staff(url: str) -> dict[int | None, int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(LedgerEntry.staff_id, func.count()).group_by(LedgerEntry.staff_id)
            )
            return {staff: count for staff, count in rows.all()}
    finally:
        await engine.dispose()


async def test_above_the_threshold_the_desk_asks_for_a_managers_pin(people: People) -> None:
    """Two-person rule (issue 13, item 3) at the desk: £150 asks for a manager's PIN on
    this terminal; a wrong one is said in the dialog; the right one writes one entry that
    names both people."""
    app = app_on(people.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, people.desk, "2468")
        await schedule_shown(pilot)
        await open_wallet_modal_with(pilot, typed("150"))
        await pilot.press("tab", *"Goodwill", "enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ApprovalModal), what="the approval dialog"
        )
        assert money("100.00") in str(app.screen.query_one("#approval-why", Static).render())
        await pilot.press(*str(people.boss), "enter", *"0000", "enter")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ApprovalModal) and bool(app.screen.error),
            what="the wrong PIN said",
        )
        assert await entries_by_staff(people.url) == {}
        await pilot.press(*str(people.boss), "enter", *"1357", "enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ClientProfileScreen), what="the change saved"
        )
    assert await approvals(people.url) == [(people.desk, people.boss, 15000)]


async def approvals(url: str) -> list[tuple[int | None, int | None, int]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(LedgerEntry.staff_id, LedgerEntry.approved_by, LedgerEntry.amount)
            )
            return [(a, b, c) for a, b, c in rows.all()]
    finally:
        await engine.dispose()


async def test_enter_moves_to_the_pin_before_the_next_key_is_routed(people: People) -> None:
    """ "4 Enter 4444 Enter" arriving in one burst: the number's last key may still be on
    its way to its field when Enter is routed, and the PIN's keys come right behind. The
    focus moves at once, so they land in the PIN (a burst typed in tmux found this)."""
    app = app_on(people.url)
    async with app.run_test(size=SIZE) as pilot:
        await on_sign_in(pilot)
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        for key in (str(people.desk), "enter", *"2468", "enter"):
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        await signed_in_as(pilot, people.desk)


async def test_enter_moves_the_focus_at_once_even_before_the_number_arrives(
    people: People,
) -> None:
    app = app_on(people.url)
    async with app.run_test(size=SIZE) as pilot:
        await on_sign_in(pilot)
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        assert screen.enter_moves_focus(events.Key("enter", "\r"))
        # No pause: the next key routed already goes to the PIN.
        assert screen.focused is screen.query_one("#sign-in-pin", Input)
        assert not screen.enter_moves_focus(events.Key("enter", "\r"))  # the PIN submits
