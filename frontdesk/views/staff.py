"""Who is signed in, and the staff list the sign-in screen and `frontdesk staff list` show."""

from __future__ import annotations

import datetime as dt

from frontdesk.domain.permissions import Perm
from frontdesk.views import View


class SignedIn(View):
    """The staff member now at the terminal and what their role lets them do."""

    id: int
    name: str
    role: str
    permissions: frozenset[Perm]

    def may(self, permission: Perm) -> bool:
        return permission in self.permissions


class TeamMember(View):
    """One staff member; `number` is what they type at sign-in."""

    number: int
    name: str
    role: str
    active: bool
    has_pin: bool
    locked_until: dt.datetime | None
    location_id: int | None = None
    location_name: str = ""
    # Permissions granted to this person by name, beyond their role's (docs/rules.md, X2).
    grants: frozenset[Perm] = frozenset()
    # Read at this version: the staff screen sends it back with a role or status change.
    version: int = 1


class Approval(View):
    """A second person's say-so for a change above the store's threshold: their staff
    number (or name) and PIN, typed on the same terminal (docs/rules.md, X4)."""

    who: str
    pin: str
