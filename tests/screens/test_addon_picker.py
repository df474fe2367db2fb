"""Select add-ons, driven with the keyboard at 80x24 on a real SQLite database.

The Use/Buy numbers are the domain rule's (seed: own 10, need 15 -> Use 10 / Buy 5), and
every write is checked in the ledger, not just on screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import partial

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input

from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.addons import Addons
from frontdesk.services.desk import Desk
from frontdesk.views.addons import AddonResult, AddonSelection
from screens.addon_panes import BANKING_OFF
from screens.addon_picker import AddonPickerScreen
from screens.addon_rows import QuantityInput
from screens.appointment import AppointmentScreen
from screens.reason import QuantityModal
from tests.money import money
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
    picker_opened,
    picker_ready,
    text_of,
)
from tests.services.clinic import START
from tests.services.factories import make_appointment
from tests.waiting import wait_until

UNITS = StoredValueKind.PRODUCT_UNITS


def picker_app(url: str, clinic: Clinic, **options: object) -> HostApp:
    return HostApp(
        url,
        lambda desk: AddonPickerScreen(desk, clinic.appointment_id),
        staff_id=clinic.staff_id,
        **options,  # type: ignore[arg-type]
    )


def picker(app: HostApp) -> AddonPickerScreen:
    screen = app.screen
    assert isinstance(screen, AddonPickerScreen), screen
    return screen


def field(app: HostApp, name: str, product_id: int) -> QuantityInput:
    return app.screen.query_one(f"#{name}-{product_id}", QuantityInput)


def split_shown(app: HostApp, product_id: int) -> tuple[str, str]:
    return field(app, "use", product_id).value, field(app, "buy", product_id).value


def table_keys(app: HostApp, selector: str) -> list[str]:
    table = app.screen.query_one(selector, DataTable)
    if not table.display:
        return []
    return [str(row.key.value) for row in table.ordered_rows]


def table_text(app: HostApp, selector: str) -> list[tuple[str, ...]]:
    table = app.screen.query_one(selector, DataTable)
    return [
        tuple(c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(i))
        for i in range(table.row_count)
    ]


async def type_into(pilot: Pilot[None], box: Input, text: str) -> None:
    """Focus the field with its text selected (as tabbing in does), then type over it."""
    box.focus()
    await pilot.pause()
    box.select_all()
    await pilot.press(*text)
    await pilot.pause()


def addons_shown(app: HostApp) -> bool:
    return appointment_shown(app) and "use 10" in text_of(app, "#appt-addons")


async def ledger_count(desk: Desk, client_id: int) -> int:
    return (await desk.balances.history(client_id, UNITS)).total


@pytest.fixture
async def clinic(sqlite_url: str) -> Clinic:
    return await build_clinic_at(sqlite_url)


async def test_opens_with_owned_units_used_first(sqlite_url: str, clinic: Clinic) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        assert text_of(app, "#picker-heading") == (
            "Select add-ons — Botox — Anti-wrinkle for Ann Lee"
        )
        assert split_shown(app, clinic.botox_id) == ("10", "5")
        assert (
            text_of(app, "#picker-totals")
            == f"From bank: 10 units · To buy: 5 units {money('45.00')}"
        )
        assert table_text(app, "#owns-table") == [("Botox", "10 units", "[Add] [Buy more]")]
        assert table_text(app, "#new-table") == [
            ("Numbing cream", f"{money('5.00')} / tube", "[Add]")
        ]


async def test_owning_nothing_buys_everything(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url, owned=0, default_units=1)
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        assert split_shown(app, clinic.botox_id) == ("0", "1")
        assert field(app, "use", clinic.botox_id).disabled  # nothing to use
        assert table_keys(app, "#owns-table") == []
        assert text_of(app, "#owns-note") == "The client has no banked units."
        assert str(clinic.botox_id) in table_keys(app, "#new-table")


async def test_use_beyond_owned_moves_the_rest_to_buy(sqlite_url: str, clinic: Clinic) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        await type_into(pilot, field(app, "use", clinic.botox_id), "12")
        assert split_shown(app, clinic.botox_id) == ("10", "2")
        assert (
            text_of(app, "#picker-totals")
            == f"From bank: 10 units · To buy: 2 units {money('18.00')}"
        )


async def test_lowering_buy_keeps_use_within_owned(sqlite_url: str, clinic: Clinic) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        await type_into(pilot, field(app, "use", clinic.botox_id), "7")
        assert split_shown(app, clinic.botox_id) == ("7", "5")
        await type_into(pilot, field(app, "buy", clinic.botox_id), "2")
        assert split_shown(app, clinic.botox_id) == ("7", "2")
        assert (
            text_of(app, "#picker-totals")
            == f"From bank: 7 units · To buy: 2 units {money('18.00')}"
        )
        await type_into(pilot, field(app, "buy", clinic.botox_id), "0")
        assert split_shown(app, clinic.botox_id) == ("7", "0")
        assert (
            text_of(app, "#picker-totals")
            == f"From bank: 7 units · To buy: 0 units {money('0.00')}"
        )


async def test_plus_and_minus_step_the_focused_field(sqlite_url: str, clinic: Clinic) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        field(app, "buy", clinic.botox_id).focus()
        await pilot.press("+", "+")
        assert split_shown(app, clinic.botox_id) == ("10", "7")
        field(app, "use", clinic.botox_id).focus()
        await pilot.press("-", "-", "-")
        assert split_shown(app, clinic.botox_id) == ("7", "7")
        # Past the 10 owned, the fourth + buys one more unit (Buy 7 -> 8), it does not
        # restart Buy at 1 the way typing "11" would.
        await pilot.press("+", "+", "+", "+")
        assert split_shown(app, clinic.botox_id) == ("10", "8")
        assert (
            text_of(app, "#picker-totals")
            == f"From bank: 10 units · To buy: 8 units {money('72.00')}"
        )
        await pilot.press("-")
        assert split_shown(app, clinic.botox_id) == ("9", "8")


async def test_typing_after_plus_or_minus_replaces_the_number(
    sqlite_url: str, clinic: Clinic
) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        field(app, "use", clinic.botox_id).focus()
        await pilot.press("-")  # Use 9
        await pilot.press("8")
        await pilot.pause()
        assert split_shown(app, clinic.botox_id) == ("8", "5")  # not 98 (-> 10 / 88)
        field(app, "buy", clinic.botox_id).focus()
        await pilot.press("+", "+")  # Buy 7
        await pilot.press("2", "0")
        await pilot.pause()
        assert split_shown(app, clinic.botox_id) == ("8", "20")  # not 720
        assert (
            text_of(app, "#picker-totals")
            == f"From bank: 8 units · To buy: 20 units {money('180.00')}"
        )


async def test_a_field_selects_its_text_when_tabbed_into(sqlite_url: str, clinic: Clinic) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        use = field(app, "use", clinic.botox_id)
        await pilot.press("tab")
        await wait_until(pilot, lambda: app.screen.focused is not use, what="focus to move on")
        while app.screen.focused is not use:
            await pilot.press("tab")
        assert use.selected_text == "10"
        await pilot.press("7")
        await pilot.pause()
        assert split_shown(app, clinic.botox_id) == ("7", "5")


@pytest.mark.parametrize(
    ("name", "typed", "message", "kept"),
    [
        # Typed key by key: 1, 10, 100 are taken; 1000 is refused.
        (
            "buy",
            "1000",
            "Buy: At most 999 units can be bought on one line",
            f"100 units {money('900.00')}",
        ),
        # Pasted whole (typing Use over owned reads back as owned at each key).
        (
            "use",
            "1010",
            "Use: That would buy 1000 units; at most 999 on one line",
            f"5 units {money('45.00')}",
        ),
    ],
)
async def test_over_the_line_maximum_is_refused_and_nothing_written(
    sqlite_url: str, clinic: Clinic, name: str, typed: str, message: str, kept: str
) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        box = field(app, name, clinic.botox_id)
        if name == "buy":
            await type_into(pilot, box, typed)
        else:
            box.value = typed
            await pilot.pause()
        assert text_of(app, f"#sel-{clinic.botox_id} .sel-error") == message
        # The row keeps its last good split; the total never shows the slip.
        assert text_of(app, "#picker-totals") == f"From bank: 10 units · To buy: {kept}"
        assert app.screen.query_one("#picker-save", Button).disabled
        before = await ledger_count(app.desk, clinic.client_id)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: text_of(app, "#picker-message") == "Fix the highlighted quantities first.",
            what='the "fix them first" message',
        )
        assert isinstance(app.screen, AddonPickerScreen)
        assert await ledger_count(app.desk, clinic.client_id) == before
        await type_into(pilot, field(app, "buy", clinic.botox_id), "999")
        await type_into(pilot, field(app, name, clinic.botox_id), "999" if name == "buy" else "10")
        assert text_of(app, f"#sel-{clinic.botox_id} .sel-error") == ""
        assert split_shown(app, clinic.botox_id) == ("10", "999")
        await pilot.press("+")  # stops at the maximum
        await pilot.pause()
        assert split_shown(app, clinic.botox_id) == ("10", "999")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("x", "Buy: Type a whole number using the digits 0-9"),
        ("1.5", "Buy: Type a whole number, without decimals or separators"),
        ("", "Buy: Enter a number"),
    ],
)
async def test_bad_quantities_show_an_error_and_block_saving(
    sqlite_url: str, clinic: Clinic, typed: str, message: str
) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        buy = field(app, "buy", clinic.botox_id)
        if typed:
            await type_into(pilot, buy, typed)
        else:
            buy.focus()
            await pilot.press("backspace")
            await pilot.pause()
        assert text_of(app, f"#sel-{clinic.botox_id} .sel-error") == message
        assert app.screen.query_one("#picker-save", Button).disabled
        before = await ledger_count(app.desk, clinic.client_id)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: text_of(app, "#picker-message") == "Fix the highlighted quantities first.",
            what='the "fix them first" message',
        )
        assert isinstance(app.screen, AddonPickerScreen)
        assert text_of(app, "#picker-message") == "Fix the highlighted quantities first."
        assert await ledger_count(app.desk, clinic.client_id) == before
        # Fixing it clears the error and the button comes back.
        await type_into(pilot, field(app, "buy", clinic.botox_id), "4")
        assert text_of(app, f"#sel-{clinic.botox_id} .sel-error") == ""
        assert not app.screen.query_one("#picker-save", Button).disabled


async def test_negative_paste_is_refused(sqlite_url: str, clinic: Clinic) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        field(app, "use", clinic.botox_id).value = "-3"  # as if pasted
        await pilot.pause()
        assert text_of(app, f"#sel-{clinic.botox_id} .sel-error") == (
            "Use: Number must not be negative"
        )
        assert app.screen.query_one("#picker-save", Button).disabled


class CountingAddons(Addons):
    add_calls = 0

    async def add_to_service(
        self,
        appointment_id: int,
        selections: Sequence[AddonSelection],
        *,
        key: str,
        expected_version: int | None = None,
    ) -> AddonResult:
        type(self).add_calls += 1
        return await super().add_to_service(
            appointment_id, selections, key=key, expected_version=expected_version
        )


async def test_ctrl_s_uses_ten_from_the_bank_in_one_write(sqlite_url: str, clinic: Clinic) -> None:
    CountingAddons.add_calls = 0
    app = picker_app(sqlite_url, clinic, areas={"addons": CountingAddons})
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        before = await ledger_count(app.desk, clinic.client_id)
        await pilot.press("ctrl+s", "ctrl+s")  # an impatient second press writes nothing more
        await wait_until(pilot, lambda: app.results, what="the picker closed with its result")
        assert CountingAddons.add_calls == 1
        [result] = app.results
        assert isinstance(result, AddonResult)
        assert result.owned_after == {clinic.botox_id: 0}
        history = await app.desk.balances.history(clinic.client_id, UNITS)
        assert history.total == before + 1
        newest = history.entries[0]
        assert (newest.amount, newest.reason, newest.appointment_id) == (
            Decimal(-10),
            "use",
            clinic.appointment_id,
        )
        [line] = result.appointment.addons
        assert (line.use_units, line.buy_units) == (10, 5)


async def test_conflict_from_another_terminal_refreshes_and_writes_nothing(
    sqlite_url: str, clinic: Clinic
) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        assert split_shown(app, clinic.botox_id) == ("10", "5")
        # Another desk uses 4 of the client's units on a later visit.
        other = Desk.open(sqlite_url, terminal="desk-2", staff_id=clinic.staff_id)
        try:
            later = await make_appointment(
                other.ctx,
                client_id=clinic.client_id,
                service_id=clinic.service_id,
                staff_id=clinic.staff_id,
                location_id=clinic.location_id,
                starts_at=START + dt.timedelta(hours=3),
            )
            await other.addons.add_to_service(
                later.id,
                [AddonSelection(clinic.botox_id, use=4, buy=0, expected_owned=10)],
                key=new_key(),
            )
        finally:
            await other.close()
        before = await ledger_count(app.desk, clinic.client_id)

        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: (
                text_of(app, "#picker-message").startswith("Only 6 Botox units left")
                and picker_ready(app)
            ),
            what="the conflict message over the refreshed rows",
        )

        assert isinstance(app.screen, AddonPickerScreen)  # still open, nothing dismissed
        assert app.results == []
        assert text_of(app, "#picker-message").startswith(
            "Only 6 Botox units left — another terminal used some"
        )
        assert await ledger_count(app.desk, clinic.client_id) == before
        appointment = await app.desk.appointments.get(clinic.appointment_id)
        assert appointment.addons == ()
        # Refreshed: 6 owned now, the 4 that are gone move to Buy (same 15 in total).
        assert table_text(app, "#owns-table") == [("Botox", "6 units", "[Add] [Buy more]")]
        assert split_shown(app, clinic.botox_id) == ("6", "9")
        assert (
            text_of(app, "#picker-totals")
            == f"From bank: 6 units · To buy: 9 units {money('81.00')}"
        )
        # And saving the refreshed split goes through.
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the picker closed with its result")
        [result] = app.results
        assert isinstance(result, AddonResult)
        assert [(a.use_units, a.buy_units) for a in result.appointment.addons] == [(6, 9)]


async def test_escape_writes_nothing(sqlite_url: str, clinic: Clinic) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        before = await ledger_count(app.desk, clinic.client_id)
        await type_into(pilot, field(app, "use", clinic.botox_id), "3")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.results, what="the picker closed")
        assert app.results == [None]
        assert await ledger_count(app.desk, clinic.client_id) == before
        assert (await app.desk.appointments.get(clinic.appointment_id)).addons == ()


async def test_banking_off_explains_and_only_buys(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url, banking=False)
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        assert text_of(app, "#owns-note") == BANKING_OFF
        assert table_keys(app, "#owns-table") == []
        assert table_keys(app, "#new-table") == [str(clinic.botox_id), str(clinic.cream_id)]
        assert split_shown(app, clinic.botox_id) == ("0", "15")
        assert field(app, "use", clinic.botox_id).disabled


async def test_untracked_product_is_only_in_buy_new(sqlite_url: str, clinic: Clinic) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        assert table_keys(app, "#owns-table") == [str(clinic.botox_id)]
        assert table_keys(app, "#new-table") == [str(clinic.cream_id)]
        # Adding it from BUY NEW: a Buy-only row (nothing to use).
        app.screen.query_one("#new-table", DataTable).focus()
        await pilot.press("a")
        await wait_until(
            pilot,
            lambda: split_shown(app, clinic.cream_id) == ("0", "1"),
            what="the cream's row, to buy",
        )
        assert split_shown(app, clinic.cream_id) == ("0", "1")
        assert field(app, "use", clinic.cream_id).disabled
        assert app.focused is field(app, "buy", clinic.cream_id)
        # Two products to buy are named, not summed as "6 units" of units and tubes.
        assert text_of(app, "#picker-totals") == (
            f"From bank: 10 units · To buy: 5 Botox units + 1 Numbing cream tube {money('50.00')}"
        )


async def test_enter_on_a_row_adds_it_or_jumps_to_it(sqlite_url: str, clinic: Clinic) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        assert app.focused is app.screen.query_one("#owns-table")
        await pilot.press("enter")  # Botox is already selected: go to its Use field
        await pilot.pause()
        assert app.focused is field(app, "use", clinic.botox_id)
        assert len(picker(app).rows) == 1


async def test_client_name_with_markup_is_shown_literally(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url, first_name=MARKUP_FIRST, last_name=MARKUP_LAST)
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        assert text_of(app, "#picker-heading") == (
            f"Select add-ons — Botox — Anti-wrinkle for {MARKUP_NAME}"
        )
        assert app.is_running


async def test_buy_more_puts_units_on_the_visit_to_bank(sqlite_url: str, clinic: Clinic) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        await pilot.press("b")  # CLIENT OWNS has focus, Botox highlighted
        await wait_until(pilot, lambda: isinstance(app.screen, QuantityModal), what="how many")
        assert isinstance(app.screen, QuantityModal)
        await pilot.press("0", "enter")
        await wait_until(pilot, lambda: text_of(app, "#ask-error"), what="the count refused")
        assert text_of(app, "#ask-error") == "Number must be at least 1"
        await pilot.press("backspace", "2", "0", "enter")
        await wait_until(
            pilot,
            lambda: (
                "20 Botox units will be banked when the visit is paid" in notes(app)
                and picker_ready(app)
            ),
            what="the banked-units note over the refreshed picker",
        )
        assert isinstance(app.screen, AddonPickerScreen)
        assert "20 Botox units will be banked when the visit is paid" in notes(app)
        loaded = await app.desk.addons.picker(clinic.appointment_id)
        assert [(line.product_id, line.bank_units) for line in loaded.current] == [
            (clinic.botox_id, 20)
        ]
        # The typed selection survived the refresh.
        assert split_shown(app, clinic.botox_id) == ("10", "5")


async def test_fits_in_80_by_24(sqlite_url: str, clinic: Clinic) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        # Two selection rows, one with an error line: the busiest ordinary picker.
        app.screen.query_one("#new-table", DataTable).focus()
        await pilot.press("a")
        await type_into(pilot, field(app, "buy", clinic.cream_id), "x")
        screen = app.screen.region
        for selector in (
            "#picker-heading",
            "#owns-table",
            "#new-table",
            f"#use-{clinic.botox_id}",
            f"#buy-{clinic.cream_id}",
            f"#sel-{clinic.cream_id} .sel-error",
            "#picker-totals",
            "#picker-save",
        ):
            region = app.screen.query_one(selector).region
            assert region.height > 0 and screen.contains_region(region), selector


async def test_keystrokes_from_appointment_to_saved_addons(sqlite_url: str, clinic: Clinic) -> None:
    """Botox appointment (service needs 15 units, client owns 10): `a`, then ctrl+s."""
    app = HostApp(
        sqlite_url, lambda s: AppointmentScreen(s, clinic.appointment_id), staff_id=clinic.staff_id
    )
    keys = 0
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: appointment_shown(app), what="the appointment")
        steps = (
            ("a", partial(picker_ready, app), "the add-on picker"),
            ("ctrl+s", partial(addons_shown, app), "the appointment with its add-ons"),
        )
        for key, until, what in steps:
            await pilot.press(key)
            keys += 1
            await wait_until(pilot, until, what=what)
        assert isinstance(app.screen, AppointmentScreen)
        view = await app.desk.appointments.get(clinic.appointment_id)
        assert [(a.use_units, a.buy_units) for a in view.addons] == [(10, 5)]
        summary = await app.desk.clients.summary(clinic.client_id)
        assert summary.banked == ()  # all 10 used
    print(f"keystrokes: {keys}")
    assert keys <= 4


async def test_delete_drops_a_line_not_yet_added(sqlite_url: str, clinic: Clinic) -> None:
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        await picker(app).add_product(picker(app).products()[clinic.cream_id])
        await pilot.pause()
        assert app.focused is field(app, "buy", clinic.cream_id)
        await pilot.press("delete")
        await wait_until(
            pilot, lambda: clinic.cream_id not in picker(app).rows, what="the cream line gone"
        )
        assert not app.screen.query(f"#sel-{clinic.cream_id}")
        assert (
            text_of(app, "#picker-totals")
            == f"From bank: 10 units · To buy: 5 units {money('45.00')}"
        )
        before = await ledger_count(app.desk, clinic.client_id)
        field(app, "use", clinic.botox_id).focus()
        await pilot.press("delete")
        await wait_until(pilot, lambda: not picker(app).rows, what="the Botox line gone")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: text_of(app, "#picker-message").startswith("Choose at least one add-on"),
            what="the nothing-chosen message",
        )
        assert await ledger_count(app.desk, clinic.client_id) == before


async def test_delete_removes_a_saved_line_and_returns_its_units(
    sqlite_url: str, clinic: Clinic
) -> None:
    setup = Desk.open(sqlite_url, terminal="setup", staff_id=clinic.staff_id)
    try:
        await setup.addons.add_to_service(
            clinic.appointment_id,
            [AddonSelection(product_id=clinic.botox_id, use=10, buy=5, expected_owned=10)],
            key=new_key(),
        )
    finally:
        await setup.close()
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        assert picker(app).rows[clinic.botox_id].existing
        before = await app.desk.balances.history(clinic.client_id, UNITS)
        field(app, "buy", clinic.botox_id).focus()
        await pilot.press("delete")
        await wait_until(
            pilot, lambda: app.screen.is_modal and not picker_ready(app), what="the reason asked"
        )
        await pilot.press(*"Client changed her mind", "enter")
        await wait_until(
            pilot,
            lambda: picker_ready(app) and clinic.botox_id not in picker(app).rows,
            what="the saved line removed",
        )
        assert text_of(app, "#picker-message") == (
            "Botox removed; any units it used are back in the bank."
        )
        after = await app.desk.balances.history(clinic.client_id, UNITS)
        assert after.total == before.total + 1
        newest = after.entries[0]
        assert newest.amount == Decimal(10)
        assert "Client changed her mind" in newest.description
