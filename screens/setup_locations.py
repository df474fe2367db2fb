"""Locations (issue 16, item 1): the places the desk works at, to add and edit (setup).

N adds a location, Enter (or E) edits the one under the cursor: its name (unique, in any
letters), address and opening and closing times (HH:MM; closing after opening). A
refusal shows under its field and nothing is written; a save after another terminal
changed the location is refused, and the next save is against what is there now.
Locations are not deleted: staff, clients, appointments and tickets point at them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from frontdesk.domain.errors import StaleVersion
from frontdesk.domain.setup import LocationInput, parse_time
from frontdesk.views import LocationSetupView
from screens.setup_base import SetupListScreen
from screens.widgets.form import FormField, FormModal, Values

NO_DELETE = "Locations are never deleted: staff, clients and history point at them."


def location_cells(location: LocationSetupView) -> tuple[str, ...]:
    return (
        location.name,
        location.address,
        location.opens_at.strftime("%H:%M"),
        location.closes_at.strftime("%H:%M"),
        str(location.staff),
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


class LocationsScreen(SetupListScreen[LocationSetupView]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="locations.back"),
        Binding("n", "new", "New", id="locations.new", tooltip="New location"),
        Binding("e", "edit", "Edit", id="locations.edit", tooltip="Edit location"),
    ]
    CHANGES = frozenset({"new", "edit"})
    TITLE_TEXT = "Locations"
    COLUMNS = (("Location", 18), ("Address", 28), ("Opens", 6), ("Closes", 6), ("Staff", 5))
    FIRST_MESSAGE = NO_DELETE

    async def fetch(self) -> tuple[LocationSetupView, ...]:
        return await self.desk.store_setup.locations()

    def cells(self, row: LocationSetupView) -> Sequence[str]:
        return location_cells(row)

    def row_key(self, row: LocationSetupView) -> str:
        return str(row.id)

    def open_row(self) -> None:
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
