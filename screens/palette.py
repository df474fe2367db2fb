"""The command palette's entries: the bindings in effect, by name.

Built from `screen.active_bindings`, the map Textual's footer is built from (focus
chain, then the screen, then the app), so the footer and the palette cannot disagree:
a binding whose node's `check_action` returns False (not for this client, not for this
person) is in neither; one it returns None for (shown greyed) is not offered either.
Unlike the footer, the palette also lists the `show=False` bindings that are real
actions: every one of ours carries an `id` (user keymaps need it), while the bindings
Textual's own widgets bring (cursor keys in a table or an input) carry none.

An entry is titled with the binding's palette name and helped by its key and its footer
word; it runs the action in the node that bound it, through `run_action`, so the node's
`check_action` is asked again when it is chosen. The palette name is the binding's
description (the word the footer shows), or its tooltip where the footer's word is cut
short for 80 columns ("Staff" → "Filter by staff", "Pay bal." → "Pay balance"): the
tooltip names the action in full, and typing the footer's word still finds it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Final

from textual.actions import parse
from textual.app import SystemCommand
from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode
from textual.screen import Screen

# Textual's own commands kept beside ours: the key help panel. Theme (a desk on a
# 16-colour kiosk must stay on the terminal's palette), Screenshot (writes into the
# working directory) and Maximize are not front-desk actions.
TEXTUAL_KEPT: Final = frozenset({"Keys"})


def action_key(node: DOMNode, action: str) -> tuple[int, str, tuple[object, ...]]:
    """What an action string runs, wherever it was bound: `app.search` bound on the
    schedule and `search` bound on the app are one action, so one entry."""
    destination, name, parameters = parse(action)
    if destination == "app":
        target: object = node.app
    elif destination == "screen":
        target = node.screen
    elif destination == "focused":
        target = node.app.focused
    else:
        target = node
    return id(target), name, parameters


def offered(screen: Screen[object]) -> Iterator[ActiveBinding]:
    """The bindings the palette offers on `screen`: in effect, enabled, ours (with an
    id), one per action (the first, as the footer shows the first key of an action)."""
    seen: set[tuple[int, str, tuple[object, ...]]] = set()
    for found in screen.active_bindings.values():
        node, binding, enabled, _tooltip = found
        if not enabled or binding.id is None or binding.system:
            continue
        key = action_key(node, binding.action)
        if key in seen:
            continue
        seen.add(key)
        yield found


def palette_name(binding: Binding) -> str:
    """The action's name in full: the tooltip if the binding has one, else the footer's."""
    return binding.tooltip or binding.description


def help_text(screen: Screen[object], binding: Binding) -> str:
    key = f"Key: {screen.app.get_key_display(binding)}"
    if palette_name(binding) == binding.description:
        return key
    return f"{key} ({binding.description})"


def binding_commands(screen: Screen[object]) -> Iterator[SystemCommand]:
    """One palette entry per offered binding, titled as the footer names it."""
    for node, binding, _enabled, _tooltip in offered(screen):
        yield SystemCommand(
            palette_name(binding),
            help_text(screen, binding),
            _runner(node, binding.action),
        )


def _runner(node: DOMNode, action: str) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        # The app's run_action with the node as namespace: what a key press does, so
        # check_action is asked again (the client or the person may have changed).
        await node.app.run_action(action, node)

    return run
