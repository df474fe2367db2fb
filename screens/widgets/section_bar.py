"""A row of section labels drawn by one widget, for a `ContentSwitcher` below it.

Issue 19: the Account tab's `TabbedContent` mounted 17 widgets on `7` (the tabs, their
row containers, the underline, a switcher and five panes) to show one section. This bar
draws the same row as Textual's `Tabs` — labels padded by one cell, the active one
bright (block cursor when focused), a `━` underline under it — as one focusable widget:
← and → step through the sections, a click picks one. It posts `SectionBar.Changed`
when the active section changes; the owner shows that section in its switcher.

The profile's twelve tabs use it too (in place of a `TabbedContent`: 28 widgets). A row
wider than the bar scrolls, as `Tabs` does: the active label is kept in view, centred
where it can be (`_offset`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.bar import Bar
from textual.widget import Widget


class SectionBar(Widget, can_focus=True):
    """Section labels over an underline; `active` is the shown section's id."""

    DEFAULT_CSS = """
    SectionBar {
        width: 1fr;
        height: 2;
        & > .section-bar--label { color: $foreground 50%; }
        & > .section-bar--active { color: $foreground; }
        & > .section-bar--underline {
            color: $block-cursor-background;
            background: $foreground 10%;
        }
        &:focus {
            & > .section-bar--active {
                text-style: $block-cursor-text-style;
                color: $block-cursor-foreground;
                background: $block-cursor-background;
            }
            & > .section-bar--underline { background: $foreground 30%; }
        }
        &:ansi {
            & > .section-bar--label { text-style: dim; }
            & > .section-bar--active { text-style: not dim bold; }
            & > .section-bar--underline { background: $border-blurred; }
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "section-bar--label",
        "section-bar--active",
        "section-bar--underline",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous section", show=False),
        Binding("right", "step(1)", "Next section", show=False),
    ]

    active: reactive[str] = reactive("", init=False)

    class Changed(Message):
        """The active section is now `section`."""

        def __init__(self, bar: SectionBar, section: str) -> None:
            self.bar = bar
            self.section = section
            super().__init__()

        @property
        def control(self) -> SectionBar:
            return self.bar

    def __init__(self, sections: Sequence[tuple[str, str]], *, id: str | None = None) -> None:
        """`sections`: (id, label) pairs, in order; the first is active."""
        super().__init__(id=id)
        self.sections = tuple(sections)
        self.set_reactive(SectionBar.active, self.sections[0][0])
        self._offset = 0  # the first cell of the row in view (a row wider than the bar)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for _, label in self.sections)

    def relabel(self, section: str, label: str) -> None:
        """Show `section` as `label` from now on."""
        sections = tuple((s, label if s == section else old) for s, old in self.sections)
        if sections != self.sections:
            self.sections = sections
            self.refresh()

    def validate_active(self, active: str) -> str:
        ids = [section for section, _ in self.sections]
        return active if active in ids else self.active

    def watch_active(self, active: str) -> None:
        self.post_message(self.Changed(self, active))

    def _spans(self) -> list[tuple[str, int, int]]:
        """Each section's id, first cell and width (label plus one cell either side)."""
        spans, x = [], 0
        for section, label in self.sections:
            width = len(label) + 2
            spans.append((section, x, width))
            x += width
        return spans

    def _window(self, spans: list[tuple[str, int, int]]) -> int:
        """The first cell in view: 0 when the row fits, else the active label centred
        as far as the row's ends allow."""
        total = spans[-1][1] + spans[-1][2] if spans else 0
        width = self.size.width
        if width <= 0 or total <= width:
            return 0
        x, span = next(((x, w) for s, x, w in spans if s == self.active), (0, 0))
        return max(0, min(x + span // 2 - width // 2, total - width))

    def render(self) -> RenderableType:
        label_style = self.get_component_rich_style("section-bar--label")
        active_style = self.get_component_rich_style("section-bar--active")
        row = Text(no_wrap=True, overflow="crop")
        highlight = (0, 0)
        spans = self._spans()
        offset = self._offset = self._window(spans)
        for (section, label), (_, x, width) in zip(self.sections, spans, strict=True):
            chosen = section == self.active
            row.append(f" {label} ", active_style if chosen else label_style)
            if chosen:
                highlight = (max(x + 1 - offset, 0), x + width - 1 - offset)  # as Tabs do
        bar_style = self.get_component_rich_style("section-bar--underline")
        underline = Bar(
            highlight_range=highlight,
            highlight_style=Style.from_color(bar_style.color),
            background_style=Style.from_color(bar_style.bgcolor),
        )
        if offset:
            row = row[offset:]  # a slice keeps the spans, not the wrapping: set again
            row.no_wrap, row.overflow = True, "crop"
        return Group(row, underline)

    def action_step(self, step: int) -> None:
        ids = [section for section, _ in self.sections]
        self.active = ids[(ids.index(self.active) + step) % len(ids)]

    def on_click(self, event: events.Click) -> None:
        cell = event.x + self._offset
        for section, x, width in self._spans():
            if x <= cell < x + width:
                self.active = section
                return
