"""A loading cover that goes up only when a read is slow (issue 19).

A cover is a widget mounted over the one loading and removed again, each a layout
pass; for a read that takes a few milliseconds it is only a flash. `cover_if_slow`
puts `widget.loading` up after `after` seconds; the caller stops it and sets
`widget.loading = False` when the read is done. Tests wait for "done" with a flag of
their own (e.g. `ProfileTab.reading`), never for the cover.
"""

from __future__ import annotations

from textual.widget import Widget

COVER_AFTER = 0.1  # seconds: a read quicker than this shows no cover


class LateCover:
    """The cover's timer, and whether the read it was for is done.

    Textual's timer does not call back itself: when it fires it queues the callback on
    the widget (`call_next`). A read that ends between the two has stopped the timer,
    yet the queued callback still ran and put the cover up after the read took it down,
    for good (a profile tab left under its cover on a loaded machine). So the callback
    asks `done` first."""

    def __init__(self, widget: Widget, after: float) -> None:
        self.widget = widget
        self.done = False
        self._timer = widget.set_timer(after, self._cover, name="late-cover")

    def _cover(self) -> None:
        if not self.done:
            self.widget.loading = True

    def stop(self) -> None:
        """The read is done: no cover from now on (the caller takes one down)."""
        self.done = True
        self._timer.stop()


def cover_if_slow(widget: Widget, after: float | None = None) -> LateCover:
    """Cover `widget` if the read it waits for is still running `after` seconds on
    (`COVER_AFTER`, read at each call: a test sets it rather than race a clock)."""
    return LateCover(widget, COVER_AFTER if after is None else after)
