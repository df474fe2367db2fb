"""Keys typed faster than the screen answers them (a quick typist, or tmux send-keys):
every key counts, in the order typed, whatever the picker does with each change.

`pilot.press` waits for the app to go idle after every key, so it cannot show the race;
`burst` queues the keys all at once, the way a terminal delivers them.
"""

from __future__ import annotations

import pytest
from textual import events
from textual.pilot import Pilot

from screens.addon_picker import AddonPickerScreen
from screens.addon_rows import QuantityInput
from tests.screens.picker_fixtures import SIZE, Clinic, HostApp, build_clinic_at, picker_opened
from tests.waiting import wait_until

# Key names to the characters a terminal sends with them.
CHARACTERS = {"backspace": "\x08", "left": None, "home": None, "end": None, "right": None}


def picker_app(url: str, clinic: Clinic) -> HostApp:
    return HostApp(
        url, lambda desk: AddonPickerScreen(desk, clinic.appointment_id), staff_id=clinic.staff_id
    )


def field(app: HostApp, name: str, product_id: int) -> QuantityInput:
    return app.screen.query_one(f"#{name}-{product_id}", QuantityInput)


def split_shown(app: HostApp, product_id: int) -> tuple[str, str]:
    return field(app, "use", product_id).value, field(app, "buy", product_id).value


def burst(pilot: Pilot[None], *keys: str) -> None:
    """Queue every key at once, as the terminal driver does, without waiting in between."""
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        event = events.Key(key, CHARACTERS.get(key, key))
        event.set_sender(pilot.app)
        driver.send_message(event)


@pytest.mark.parametrize(
    ("name", "keys", "expected"),
    [
        # The backspace used to run after the 3 (a bound key went round the app): "12".
        ("buy", ("1", "2", "backspace", "3"), ("10", "13")),
        # 12 is over the 10 owned; the screen used to write "10" back over the "5" already
        # typed when it got to that change, leaving Use 10.
        ("use", ("1", "2", "backspace", "backspace", "5"), ("5", "5")),
        # Over the owned count at the end, the rule's answer is shown: 10 from the bank.
        ("use", ("1", "2", "backspace", "3"), ("10", "3")),
        # Cursor keys keep their place too: "3" then home, "1" is "13".
        ("buy", ("3", "home", "1"), ("10", "13")),
    ],
)
async def test_keys_in_one_burst_all_count(
    sqlite_url: str, name: str, keys: tuple[str, ...], expected: tuple[str, str]
) -> None:
    clinic = await build_clinic_at(sqlite_url)  # owns 10, needs 15: Use 10 / Buy 5
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        box = field(app, name, clinic.botox_id)
        box.focus()
        await wait_until(pilot, lambda: box.has_focus, what=f"{name} focused")
        box.select_all()
        burst(pilot, *keys)
        await wait_until(
            pilot,
            lambda: split_shown(app, clinic.botox_id) == expected,
            what=f"Use/Buy {expected} after {' '.join(keys)}",
        )


async def test_pressed_one_by_one_gives_the_same(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url)
    app = picker_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await picker_opened(pilot)
        box = field(app, "buy", clinic.botox_id)
        box.focus()
        await wait_until(pilot, lambda: box.has_focus, what="Buy focused")
        box.select_all()
        await pilot.press("1", "2", "backspace", "3")
        await wait_until(
            pilot, lambda: split_shown(app, clinic.botox_id) == ("10", "13"), what="Buy 13"
        )
