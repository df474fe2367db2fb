"""A loading cover that goes up only when a read is slow (issue 19).

A cover is a widget mounted over the one loading and removed again, each a layout
pass; for a read that takes a few milliseconds it is only a flash. `cover_if_slow`
puts `widget.loading` up after `after` seconds; the caller stops the returned timer
and sets `widget.loading = False` when the read is done. Tests wait for "done" with a
flag of their own (e.g. `ProfileTab.reading`), never for the cover.
"""

from __future__ import annotations

from textual.timer import Timer
from textual.widget import Widget

COVER_AFTER = 0.1  # seconds: a read quicker than this shows no cover


def cover_if_slow(widget: Widget, after: float = COVER_AFTER) -> Timer:
    """Cover `widget` if the read it waits for is still running `after` seconds on."""

    def cover() -> None:
        widget.loading = True

    return widget.set_timer(after, cover, name="late-cover")
