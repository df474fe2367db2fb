"""The late loading cover (screens/widgets/late_cover.py): up when a read is slow, and
never up once the read is done, even when its timer had already fired."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from screens.widgets.late_cover import cover_if_slow
from tests.waiting import wait_until


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("rows", id="rows")


async def test_a_slow_read_is_covered() -> None:
    app = Host()
    async with app.run_test() as pilot:
        rows = app.query_one("#rows", Static)
        cover = cover_if_slow(rows, after=0.001)
        await wait_until(pilot, lambda: rows.loading, what="the cover")
        cover.stop()


async def test_a_read_done_after_the_timer_fired_is_not_covered() -> None:
    """Textual's timer queues its callback on the widget (`call_next`) when it fires. A
    read ending between that and the widget's turn used to leave the cover up for good:
    a profile tab under its loading cover on a loaded CI machine."""
    app = Host()
    async with app.run_test() as pilot:
        rows = app.query_one("#rows", Static)
        cover = cover_if_slow(rows, after=3600.0)  # fired by hand below, not by time
        fired = cover._timer._callback  # what the timer runs when its time comes
        assert fired is not None
        fired()  # queued on `rows`, not run yet
        cover.stop()  # the read ends before `rows` gets to the queued callback
        rows.loading = False
        after: list[str] = []
        rows.call_next(after.append, "drained")  # runs after the queued callback
        await wait_until(pilot, lambda: after, what="the widget's queue drained")
        assert not rows.loading
