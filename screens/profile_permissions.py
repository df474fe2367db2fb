"""What the signed-in person may do, as the profile, its tabs and the receipt show it.

The services are the check (docs/rules.md, X1); this only keeps the screens honest about
it: a key the person may not use stays in the footer, greyed, with the refusal as its
tooltip, and pressing it says the same words the service would ("You need the “adjust
balances” permission to do this") instead of doing nothing. The set comes from
`desk.staff.mine()`, read in the screen's own load worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from textual.binding import ActiveBinding
from textual.dom import DOMNode

from frontdesk.domain.errors import PermissionDenied
from frontdesk.domain.permissions import Perm

# Binding id → the permission its action needs.
NEEDS: Final[Mapping[str, Perm]] = {
    "profile.adjust_wallet": Perm.ADJUST_BALANCES,
    "profile.adjust_account": Perm.ADJUST_BALANCES,
    "profile.pay_balance": Perm.TAKE_PAYMENTS,
    "account.adjust_prepaid": Perm.ADJUST_BALANCES,
    "account.reverse": Perm.REVERSE_ENTRIES,
    "account.reverse_section": Perm.REVERSE_ENTRIES,
    "profile.transformation.add": Perm.EDIT_TRANSFORMATION_LOG,
    "profile.transformation.edit": Perm.EDIT_TRANSFORMATION_LOG,
    "profile.goals.add": Perm.EDIT_TRANSFORMATION_LOG,
    "profile.goals.edit": Perm.EDIT_TRANSFORMATION_LOG,
    "receipt.refund": Perm.REFUND_TICKETS,
    "profile.merge": Perm.MERGE_CLIENTS,
}


def refusal(permission: Perm) -> str:
    """The line a refusal shows: the service's own words."""
    return str(PermissionDenied(permission.value))


def refused(node: DOMNode, may: frozenset[Perm], permission: Perm) -> bool:
    """True, after saying why, when the person lacks `permission`."""
    if permission in may:
        return False
    node.app.notify(refusal(permission), title="Not allowed", severity="warning")
    return True


def greyed(bindings: dict[str, ActiveBinding], may: frozenset[Perm]) -> dict[str, ActiveBinding]:
    """The footer's bindings with those the person may not use greyed, saying why."""
    out = dict(bindings)
    for key, found in bindings.items():
        needed = NEEDS.get(found.binding.id or "")
        if needed is not None and needed not in may:
            out[key] = found._replace(enabled=False, tooltip=refusal(needed))
    return out
