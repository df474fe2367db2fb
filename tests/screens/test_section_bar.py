"""The one-widget row of tabs (screens/widgets/section_bar.py): a row wider than the bar
scrolls to keep the active label in view, labels change in place, a click picks the
label under it wherever the row has scrolled to."""

from __future__ import annotations

from textual.app import App, ComposeResult

from screens.widgets.section_bar import SectionBar
from tests.waiting import wait_until

SECTIONS = [(f"s{i}", f"Label {i}") for i in range(10)]  # 9 cells each: 90 in all


class BarApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[str] = []

    def compose(self) -> ComposeResult:
        yield SectionBar(SECTIONS, id="bar")

    def on_section_bar_changed(self, event: SectionBar.Changed) -> None:
        self.changes.append(event.section)


def row(app: BarApp) -> str:
    bar = app.query_one(SectionBar)
    return str(bar.render_line(0).text)


async def test_a_wide_row_scrolls_to_keep_the_active_label_in_view() -> None:
    app = BarApp()
    async with app.run_test(size=(40, 4)) as pilot:
        bar = app.query_one(SectionBar)
        assert row(app).startswith(" Label 0  Label 1 ")  # fits from the start
        bar.active = "s5"
        await wait_until(pilot, lambda: "Label 5" in row(app), what="label 5 in view")
        text = row(app)
        assert "Label 0" not in text
        # Centred: as many cells before it as after, within a label's rounding.
        start = text.index("Label 5")
        assert abs(start - (40 - start - len("Label 5"))) <= 2, text
        bar.active = "s9"  # the end: the row stops at its last label, no blank after
        await wait_until(pilot, lambda: "Label 9" in row(app), what="label 9 in view")
        assert row(app).rstrip().endswith("Label 9"), row(app)
        assert len(row(app)) == 40  # one line: the row never wraps
        assert app.changes == ["s5", "s9"]


async def test_a_click_picks_the_label_under_it_after_scrolling() -> None:
    app = BarApp()
    async with app.run_test(size=(40, 4)) as pilot:
        bar = app.query_one(SectionBar)
        bar.active = "s9"
        await wait_until(pilot, lambda: "Label 9" in row(app), what="scrolled to the end")
        x = row(app).index("Label 8")
        await pilot.click(SectionBar, offset=(x + 1, 0))
        await wait_until(pilot, lambda: bar.active == "s8", what="label 8 picked")


async def test_relabel_changes_one_label_in_place() -> None:
    app = BarApp()
    async with app.run_test(size=(90, 4)) as pilot:
        bar = app.query_one(SectionBar)
        bar.relabel("s1", "Label 1 · Opted out")
        await wait_until(pilot, lambda: "Opted out" in row(app), what="the new label")
        assert bar.labels[1] == "Label 1 · Opted out"
        assert bar.labels[0] == "Label 0" and bar.active == "s0"
        assert app.changes == []
