"""Locations (issue 16, item 1): the places the desk works at, to add and edit (setup).

N adds a location, Enter (or E) edits the one under the cursor: its name (unique, in any
letters), address and opening and closing times (HH:MM; closing after opening). A
refusal shows under its field and nothing is written; a save after another terminal
changed the location is refused, and the next save is against what is there now.
Locations are not deleted: staff, clients, appointments and tickets point at them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Footer, Static

from frontdesk.domain.errors import StaleVersion, describe
from frontdesk.domain.setup import LocationInput, parse_time
from frontdesk.views import LocationSetupView
from screens.setup_base import SetupScreen
from screens.widgets.form import FormField, FormModal, Values

COLUMNS = (("Location", 18), ("Address", 28), ("Opens", 6), ("Closes", 6), ("Staff", 5))
NO_DELETE = "Locations are never deleted: staff, clients and history point at them."


def location_row(location: LocationSetupView) -> tuple[Content, ...]:
    return (
        Content(location.name),
        Content(location.address),
        Content(location.opens_at.strftime("%H:%M")),
        Content(location.closes_at.strftime("%H:%M")),
        Content(str(location.staff)),
    )


def location_fields(location: LocationSetupView | None) -> tuple[FormField, ...]:
    def at(field: str) -> str:
        return "" if location is None else getattr(location, field).strftime("%H:%M")

    return (
        FormField("name", "Name", location.name if location else ""),
        FormField("address", "Address", location.address if location else ""),
        FormField("opens_at", "Opens (HH:MM)", at("opens_at") or "09:00"),
        FormField("closes_at", "Closes (HH:MM)", at("closes_at") or "18:00"),
    )


def read_location(values: Values) -> LocationInput:
    return LocationInput(
        name=str(values["name"]),
        address=str(values["address"]),
        opens_at=parse_time(str(values["opens_at"]), "opens_at"),
        closes_at=parse_time(str(values["closes_at"]), "closes_at"),
    )


class LocationsScreen(SetupScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="locations.back"),
        Binding("n", "new", "New", id="locations.new", tooltip="New location"),
        Binding("e", "edit", "Edit", id="locations.edit", tooltip="Edit location"),
    ]
    CHANGES = frozenset({"new", "edit"})

    locations: tuple[LocationSetupView, ...] = ()

    def compose(self) -> ComposeResult:
        yield self.desk_header(self.clock)
        yield Static(Content("Locations"), classes="setup-title")
        yield DataTable(classes="setup-table", cursor_type="row", zebra_stripes=True)
        yield Static(Content(NO_DELETE), classes="setup-message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.table()
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        table.loading = True
        self.load()

    @work(exclusive=True, group="locations-load", exit_on_error=False)
    async def load(self, focus: int | None = None) -> None:
        table = self.table()
        try:
            self.locations = await self.desk.store_setup.locations()
            await self.learn_permission()
        except Exception as exc:
            self.set_message(f"Could not load the locations: {describe(exc)}")
            return
        finally:
            table.loading = False
        table.clear()
        for location in self.locations:
            table.add_row(*location_row(location), key=str(location.id))
        self.cursor_to(None if focus is None else str(focus))
        table.focus()

    @property
    def current(self) -> LocationSetupView | None:
        row = self.table().cursor_row
        return self.locations[row] if 0 <= row < len(self.locations) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on a row
        if self.may_change:
            self.action_edit()

    def action_new(self) -> None:
        self._edit(None)

    def action_edit(self) -> None:
        if self.current is not None:
            self._edit(self.current)

    def _edit(self, location: LocationSetupView | None) -> None:
        version = [location.version if location else 0]

        async def submit(values: Values) -> LocationSetupView:
            typed = read_location(values)
            if location is None:
                return await self.desk.store_setup.add_location(typed)
            try:
                return await self.desk.store_setup.update_location(
                    location.id, typed, expected_version=version[0]
                )
            except StaleVersion:  # the next save is against what is there now
                now = {loc.id: loc for loc in await self.desk.store_setup.locations()}
                version[0] = now[location.id].version
                raise

        title = "New location" if location is None else f"Edit location: {location.name}"
        form: FormModal[LocationSetupView] = FormModal(
            title, location_fields(location), submit, id="location-form"
        )
        self.open_form(form, self.reload)

    def reload(self, result: Any) -> None:
        assert isinstance(result, LocationSetupView)
        self.set_message(f"Saved {result.name}.")
        self.load(result.id)
