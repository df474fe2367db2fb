"""Roles and the permissions they hold; the services check these before acting
(docs/rules.md#staff-and-permissions). Hiding a key in a screen is never the check."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Perm(StrEnum):
    """What a staff member may do. The value is the name a refusal shows."""

    ADJUST_BALANCES = "adjust balances"
    DEDUCT_BELOW_ZERO = "deduct below zero"
    REVERSE_ENTRIES = "reverse entries"
    REFUND_TICKETS = "refund tickets"
    TAKE_PAYMENTS = "take payments"
    EDIT_TRANSFORMATION_LOG = "edit transformation log"
    SETUP = "setup"
    REPORTS = "reports"
    RUN_RENEWALS = "run renewals"
    MANAGE_STAFF = "manage staff"
    APPROVE = "approve above the threshold"
    MERGE_CLIENTS = "merge clients"
    CANCEL_MEMBERSHIPS = "cancel memberships"
    # A closed cash drawer takes no cash until a manager reopens it (docs/rules.md, D4).
    REOPEN_DRAWER = "reopen the cash drawer"


class Role(StrEnum):
    FRONT_DESK = "front_desk"
    PRACTITIONER = "practitioner"
    MANAGER = "manager"
    OWNER = "owner"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


# Deduct a client's Beauty Bank below zero (docs/rules.md#beauty-bank, W3).
PERM_WALLET_NEGATIVE: Final = Perm.DEDUCT_BELOW_ZERO
# Create, edit or view a client's transformation log and goals (docs/rules.md, F1).
PERM_TRANSFORMATION: Final = Perm.EDIT_TRANSFORMATION_LOG

_DESK: Final = frozenset({Perm.ADJUST_BALANCES, Perm.TAKE_PAYMENTS})
_PRACTITIONER: Final = frozenset({Perm.TAKE_PAYMENTS, Perm.EDIT_TRANSFORMATION_LOG})
_MANAGER: Final = frozenset(Perm) - {Perm.SETUP}

ROLE_PERMISSIONS: Final[dict[Role, frozenset[Perm]]] = {
    Role.FRONT_DESK: _DESK,
    Role.PRACTITIONER: _PRACTITIONER,
    Role.MANAGER: _MANAGER,
    Role.OWNER: frozenset(Perm),
}

# Grants stored in staff_permissions before roles existed, by their old names.
_OLD_NAMES: Final = {
    "adjust_wallet_negative": Perm.DEDUCT_BELOW_ZERO,
    "edit_transformation_log": Perm.EDIT_TRANSFORMATION_LOG,
    "reverse_entries": Perm.REVERSE_ENTRIES,
}


def role_of(stored: str) -> Role:
    """The access role for a stored role; a job title (stylist, therapist, aesthetic
    practitioner...) is a practitioner."""
    try:
        return Role(stored)
    except ValueError:
        return Role.PRACTITIONER


def permission_named(name: str) -> Perm | None:
    """A stored grant's permission, by its name or its old name; None if unknown."""
    try:
        return Perm(name)
    except ValueError:
        return _OLD_NAMES.get(name)


def permissions_of(stored_role: str, grants: frozenset[str] = frozenset()) -> frozenset[Perm]:
    """A role's permissions plus any granted to the person by name."""
    extra = {p for p in map(permission_named, grants) if p is not None}
    return ROLE_PERMISSIONS[role_of(stored_role)] | extra
