"""Staff and roles (issue 16, item 1): the staff list, to add staff, change a role or
location, deactivate and reactivate, unlock and set a PIN ("manage staff"), and grant
permissions beyond a role (G; "setup" too, since a grant can give anything).

Anything that makes, changes or retires an owner, or sets an owner's PIN, also needs
"setup"; the last active owner keeps the role and stays active. The service says so and
the message line (or the form, under the field) shows it; nothing is written. A PIN is
typed twice, masked. I shows the inactive staff too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from frontdesk.domain.errors import StaleVersion, ValidationError
from frontdesk.domain.permissions import ROLE_PERMISSIONS, Perm, Role, role_of
from frontdesk.views import LocationView
from frontdesk.views.staff import TeamMember
from screens.setup_base import SetupListScreen
from screens.widgets.form import FormField, FormModal, Values

PINS_DIFFER = "The two PINs differ: type the same PIN twice"


def is_locked(member: TeamMember) -> bool:
    return member.locked_until is not None and member.locked_until > dt.datetime.now(dt.UTC)


def staff_cells(member: TeamMember) -> tuple[str, ...]:
    return (
        str(member.number),
        member.name,
        member.role.replace("_", " "),
        member.location_name,
        "yes" if member.active else "no",
        "set" if member.has_pin else "—",
        "locked" if is_locked(member) else "",
    )


def role_choices(current: str = "") -> tuple[tuple[str, str], ...]:
    """The access roles, and a practitioner's own job title (kept as it is) if they have one."""
    roles = tuple((r.value, r.label) for r in Role)
    if current and current not in {r.value for r in Role}:
        return ((current, current.replace("_", " ")), *roles)
    return roles


def location_choices(locations: tuple[LocationView, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((str(loc.id), loc.name) for loc in locations)


def pin_fields() -> tuple[FormField, ...]:
    return (
        FormField("pin", "PIN (4-12 digits)", password=True),
        FormField("pin_again", "PIN again", password=True),
    )


def same_pin(values: Values, *, required: bool) -> str | None:
    pin, again = str(values["pin"]).strip(), str(values["pin_again"]).strip()
    if not pin and not again and not required:
        return None
    if pin != again:
        raise ValidationError("pin_again", PINS_DIFFER)
    return pin


def chosen_location(values: Values) -> int | None:
    text = str(values.get("location", ""))
    return int(text) if text.isdigit() else None


class StaffScreen(SetupListScreen[TeamMember]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="staff.back"),
        Binding("n", "new", "New", id="staff.new", tooltip="Add staff"),
        Binding("r", "role", "Role", id="staff.role", tooltip="Change role or location"),
        Binding(
            "x", "toggle_active", "On/off", id="staff.active", tooltip="Deactivate or reactivate"
        ),
        Binding("p", "pin", "PIN", id="staff.pin", tooltip="Set PIN"),
        Binding("g", "grants", "Grants", id="staff.grants", tooltip="Extra permissions"),
        Binding("u", "unlock", "Unlock", id="staff.unlock"),
        Binding("i", "everyone", "Inactive", id="staff.everyone", tooltip="Show inactive"),
    ]
    PERMISSION = Perm.MANAGE_STAFF
    CHANGES = frozenset({"new", "role", "toggle_active", "pin", "unlock", "grants"})

    TITLE_TEXT = "Staff and roles"
    COLUMNS = (
        ("No.", 4),
        ("Name", 16),
        ("Role", 12),
        ("Location", 11),
        ("Active", 6),
        ("PIN", 3),
        ("Locked", 6),
    )

    locations: tuple[LocationView, ...] = ()
    everyone = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A grant can give anything, setup included: only who may set up grants.
        if action == "grants" and Perm.SETUP not in self.mine:
            return False
        return super().check_action(action, parameters)

    async def fetch(self) -> tuple[TeamMember, ...]:
        members = await self.desk.team.roster(everyone=self.everyone)
        self.locations = await self.desk.catalog.locations()
        return members

    def cells(self, row: TeamMember) -> Sequence[str]:
        return staff_cells(row)

    def row_key(self, row: TeamMember) -> str:
        return str(row.number)

    def open_row(self) -> None:
        self.action_role()  # Enter on a row: its role and location

    def action_everyone(self) -> None:
        self.everyone = not self.everyone
        self.load()

    def action_new(self) -> None:
        places = location_choices(self.locations)

        async def submit(values: Values) -> TeamMember:
            pin = same_pin(values, required=False)
            return await self.desk.team.add(
                str(values["name"]),
                str(values["role"]) or Role.FRONT_DESK.value,
                pin,
                location_id=chosen_location(values),
            )

        fields = (
            FormField("name", "Name"),
            FormField("role", "Role", Role.FRONT_DESK.value, kind="choice", choices=role_choices()),
            FormField(
                "location",
                "Location",
                places[0][0] if places else "",
                kind="choice",
                choices=places,
            ),
            *pin_fields(),
        )
        self.open_form(FormModal("Add staff", fields, submit, id="staff-form"), self.reload)

    def action_role(self) -> None:
        member = self.current
        if member is None:
            return
        version = [member.version]

        async def submit(values: Values) -> TeamMember:
            try:
                return await self.desk.team.set_role(
                    member.number,
                    str(values["role"]) or member.role,
                    location_id=chosen_location(values),
                    expected_version=version[0],
                )
            except StaleVersion:  # the next save is against what is there now
                now = {m.number: m for m in await self.desk.team.roster(everyone=True)}
                version[0] = now[member.number].version
                raise

        place = "" if member.location_id is None else str(member.location_id)
        fields = (
            FormField(
                "role", "Role", member.role, kind="choice", choices=role_choices(member.role)
            ),
            FormField(
                "location",
                "Location",
                place,
                kind="choice",
                choices=location_choices(self.locations),
            ),
        )
        title = f"Role and location: {member.name}"
        self.open_form(FormModal(title, fields, submit, id="staff-form"), self.reload)

    def action_pin(self) -> None:
        member = self.current
        if member is None:
            return

        async def submit(values: Values) -> TeamMember:
            return await self.desk.team.set_pin(
                member.number, same_pin(values, required=True) or ""
            )

        form = FormModal(f"Set PIN: {member.name}", pin_fields(), submit, id="staff-form")
        self.open_form(form, self.reload)

    def action_grants(self) -> None:
        member = self.current
        if member is None:
            return
        version = [member.version]

        async def submit(values: Values) -> TeamMember:
            chosen = frozenset(p for p in Perm if values.get(p.name.lower()) is True)
            try:
                return await self.desk.team.set_grants(
                    member.number, chosen, expected_version=version[0]
                )
            except StaleVersion:  # the next save is against what is there now
                now = {m.number: m for m in await self.desk.team.roster(everyone=True)}
                version[0] = now[member.number].version
                raise

        role = ROLE_PERMISSIONS[role_of(member.role)]
        fields = tuple(
            FormField(
                p.name.lower(),
                f"{p.value} (the role gives it)" if p in role else p.value,
                p in member.grants,
                kind="check",
            )
            for p in Perm
        )
        title = f"Extra permissions: {member.name} (setup)"
        self.open_form(FormModal(title, fields, submit, id="staff-form"), self.reload)

    def action_toggle_active(self) -> None:
        member = self.current
        if member is None:
            return
        active = not member.active
        self.change(
            lambda: self.desk.team.set_active(
                member.number, active, expected_version=member.version
            ),
            lambda m: f"{m.name} is {'active' if m.active else 'deactivated'}.",
        )

    def action_unlock(self) -> None:
        member = self.current
        if member is not None:
            self.change(
                lambda: self.desk.team.unlock(member.number), lambda m: f"{m.name} is unlocked."
            )

    def reload(self, result: Any) -> None:
        assert isinstance(result, TeamMember)
        self.set_message(f"Saved {result.name}.")
        self.load(result.number)
