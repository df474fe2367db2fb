"""The Setup hub: one list of the setup screens (issue 16, item 1), reached with F8 or the
command palette ("Setup").

Arrows and Enter open a screen, Esc goes back. Anyone signed in may look at every
screen; what changes the store needs "setup" (staff: "manage staff"), checked by the
services, and each screen says so when it is only for viewing.

`SETUP_ENTRIES` is the list: (label, description, screen factory). A factory takes the
desk and the clock and imports its screen only when it is opened, so the hub costs
nothing at start-up. More setup screens join by adding entries to the tuple.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

import styles
from frontdesk.services.desk import Desk
from screens.catalogue_setup import CATALOGUE_SETUP
from screens.widgets import DeskScreen
from screens.widgets.footer import SteadyFooter

STYLES_DIR = Path(styles.__file__).parent
Clock = Callable[[], dt.datetime]
ScreenFactory = Callable[[Desk, Clock], Screen[Any]]


@dataclass(frozen=True)
class SetupEntry:
    label: str
    description: str
    open: ScreenFactory


def _store(desk: Desk, clock: Clock) -> Screen[Any]:
    from screens.setup_store import StoreSettingsScreen

    return StoreSettingsScreen(desk, clock=clock)


def _locations(desk: Desk, clock: Clock) -> Screen[Any]:
    from screens.setup_locations import LocationsScreen

    return LocationsScreen(desk, clock=clock)


def _staff(desk: Desk, clock: Clock) -> Screen[Any]:
    from screens.setup_staff import StaffScreen

    return StaffScreen(desk, clock=clock)


def _plans(desk: Desk, clock: Clock) -> Screen[Any]:
    from screens.plans import PlansScreen

    return PlansScreen(desk, clock=clock)


# The setup screens in the order the hub lists them: the store, then the catalogue.
SETUP_ENTRIES: tuple[SetupEntry, ...] = (
    SetupEntry("Store settings", "Name, currency, commission, two-person rule, idle lock", _store),
    SetupEntry("Locations", "Where the desk works: address, opening hours", _locations),
    SetupEntry("Staff and roles", "Add staff, roles, PINs, unlock, deactivate", _staff),
    SetupEntry("Membership plans", "Price, cycle, discount, Beauty Bank mode", _plans),
    *(SetupEntry(label, about, factory) for label, about, factory in CATALOGUE_SETUP),
)


class SetupHubScreen(DeskScreen):
    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "setup.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="setup.back"),
    ]

    def __init__(
        self,
        desk: Desk,
        *,
        clock: Clock = dt.datetime.now,
        entries: tuple[SetupEntry, ...] = SETUP_ENTRIES,
    ) -> None:
        super().__init__(classes="setup-hub")
        self.desk = desk
        self.clock = clock
        self.entries = entries

    def compose(self) -> ComposeResult:
        yield self.desk_header(self.clock)
        yield Static(Content("Setup · Enter opens · Esc back"), classes="setup-title")
        yield DataTable(id="setup-table", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#setup-table", DataTable)
        table.add_column("Set up", width=20)
        table.add_column("What", width=55)
        for entry in self.entries:
            table.add_row(Content(entry.label), Content(entry.description), key=entry.label)
        table.focus()

    @property
    def current(self) -> SetupEntry | None:
        row = self.query_one("#setup-table", DataTable).cursor_row
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on a row
        self.action_open()

    def action_open(self) -> None:
        entry = self.current
        if entry is not None:
            self.app.push_screen(entry.open(self.desk, self.clock))

    def action_back(self) -> None:
        self.dismiss(None)
