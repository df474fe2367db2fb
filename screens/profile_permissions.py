"""What the signed-in person may do, as the profile, its tabs and the receipt show it.

The services are the check (docs/rules.md, X1); this only keeps the screens honest about
it. On the profile, its tabs and the receipt a key the person may not use is not
offered: the node's `refusal_of(action)` says why not (a permission, a travel member's
read-only tab) and its `check_action` returns False then, which takes the key out of the
footer and the command palette and makes Textual refuse it. Pressed all the same, the
key says why in the service's own words ("You need the “adjust balances” permission to
do this"): `refused_key`, from the screen's key handler. The set comes from
`desk.staff.mine()`, read in the screen's own load worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Protocol, runtime_checkable

from textual import events
from textual.actions import parse
from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode
from textual.screen import Screen

from frontdesk.domain.errors import PermissionDenied
from frontdesk.domain.permissions import Perm

# Binding id → the permission its action needs.
NEEDS: Final[Mapping[str, Perm]] = {
    "profile.adjust_wallet": Perm.ADJUST_BALANCES,
    "profile.adjust_account": Perm.ADJUST_BALANCES,
    "profile.pay_balance": Perm.TAKE_PAYMENTS,
    "profile.choose_benefit": Perm.ADJUST_BALANCES,
    "account.adjust_prepaid": Perm.ADJUST_BALANCES,
    "account.reverse": Perm.REVERSE_ENTRIES,
    "account.reverse_section": Perm.REVERSE_ENTRIES,
    "profile.transformation.add": Perm.EDIT_TRANSFORMATION_LOG,
    "profile.transformation.edit": Perm.EDIT_TRANSFORMATION_LOG,
    "profile.goals.add": Perm.EDIT_TRANSFORMATION_LOG,
    "profile.goals.edit": Perm.EDIT_TRANSFORMATION_LOG,
    "receipt.refund": Perm.REFUND_TICKETS,
    "profile.merge": Perm.MERGE_CLIENTS,
    "memberships.pause": Perm.TAKE_PAYMENTS,
    "memberships.change_plan": Perm.TAKE_PAYMENTS,
    "memberships.cancel": Perm.CANCEL_MEMBERSHIPS,
}


def needed(node: DOMNode, action: str) -> Perm | None:
    """The permission `action` needs in `node`, found through the binding that names it
    (NEEDS is keyed by binding id, as keymaps are)."""
    for binding in type(node).BINDINGS:
        if not isinstance(binding, Binding) or binding.id is None:
            continue
        if binding.id in NEEDS and parse(binding.action)[1] == action:
            return NEEDS[binding.id]
    return None


def lacking(node: DOMNode, may: frozenset[Perm], action: str) -> str | None:
    """The refusal when `action` needs a permission outside `may`, else None."""
    permission = needed(node, action)
    return None if permission is None or permission in may else refusal(permission)


@runtime_checkable
class Explains(Protocol):
    """A node that can say why one of its actions is not offered here (None: it is)."""

    def refusal_of(self, action: str) -> str | None: ...


def refused_key(screen: Screen[Any], key: str) -> str | None:
    """Why `key` does nothing on `screen`: the reason of the first binding of it that is
    not offered, if no binding of it would run. Mirrors Textual's own (non-priority) walk
    of the focus chain; None when some binding takes the key or none explains."""
    why: str | None = None
    # The chain Textual's App._check_bindings walks (private, Textual is pinned at 8.2.8).
    for node, bindings in screen._modal_binding_chain:
        for binding in bindings.key_to_bindings.get(key, ()):
            if binding.priority:
                continue  # already tried before the key reached the screen
            if screen.app._check_action_state(binding.action, node):
                return None
            if why is None and isinstance(node, Explains):
                why = node.refusal_of(parse(binding.action)[1])
    return why


def explain_key(node: DOMNode, event: events.Key) -> None:
    """A key not offered here still says why when pressed, instead of nothing. From a
    key handler: Textual offers the key to the focus chain before its (non-priority)
    bindings, so stopping it here means no binding of it runs."""
    reason = refused_key(node.screen, event.key)
    if reason is not None:
        event.stop()
        event.prevent_default()
        node.app.notify(reason, title="Not here", severity="warning")


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
