"""Watchers left behind by closed screens (issue 19: no growth over 100 profile opens).

`data_bind` and `watch` on another object (the app's `business_name`, its `theme`, ...)
put `(node, callback)` on that object's watcher list. Textual drops the entries of
closed nodes only when the watched reactive next changes, and the desk's name, location,
terminal and signed-in person hardly ever do: every profile opened and closed stayed
reachable from the app through them, with all its tabs (about 3 MB each). Textual's own
`Footer` does the same to itself: each key it replaces stays bound to its `compact`.
"""

from __future__ import annotations

from textual._styles_cache import StylesCache
from textual.dom import DOMNode

# Where Textual 8.2.8 (pinned) keeps an object's watchers: `textual.reactive._watch`.
WATCHERS = "__watchers"


def forget_closed_watchers(obj: DOMNode) -> int:
    """Drop the watchers on `obj`'s reactives whose node is closing or closed, as
    Textual itself would on the next change; returns how many were dropped."""
    watchers: dict[str, list[tuple[DOMNode, object]]] = getattr(obj, WATCHERS, {})
    dropped = 0
    for entries in watchers.values():
        kept = [(node, callback) for node, callback in entries if not _gone(node)]
        dropped += len(entries) - len(kept)
        entries[:] = kept
    return dropped


def _gone(node: DOMNode) -> bool:
    return node._closing or node._closed


def forget_closed_styles() -> None:
    """Empty Textual's colour cache: it is keyed by each widget's `StylesCache` (1,024 of
    them, with every line they rendered), so a closed screen's widgets' lines stayed in
    memory until newer widgets pushed them out. It refills from the widgets on screen."""
    StylesCache.get_inner_outer.cache_clear()
