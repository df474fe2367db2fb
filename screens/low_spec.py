"""The app on a low-spec terminal (``TERM=linux``, ``TERM=vt100``): only drawable
characters, the 16 ANSI colours, nothing that moves. Nothing blinks on any terminal (a
steady cursor is the rule everywhere, see `on_descendant_focus`). What the terminal can draw
is decided in ``screens/terminal_caps.py``; this module makes the app follow it.

Under a modern ``TERM`` none of this does anything: the app looks as it always has.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.segment import Segment, Segments
from rich.style import Style
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.color import Color
from textual.content import Content
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widget import Widget
from textual.widgets import Static

from frontdesk.domain.money_context import limit_symbols_to
from screens.terminal_caps import FULL, Kind, TerminalCaps, key_display, translate

LOADING = "Loading..."
SEVERITY_WORDS: dict[str, str] = {"warning": "Warning", "error": "Error"}


class GlyphFilter(LineFilter):
    """Replaces, in every line drawn, each character the terminal lacks (same width)."""

    def __init__(self, kind: Kind) -> None:
        super().__init__(enabled=kind is not Kind.FULL)
        self.kind = kind

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        kind = self.kind
        return [
            segment if segment.control else Segment(translate(segment.text, kind), segment.style)
            for segment in segments
        ]


_BACK = RichColor.parse("#555555")  # Textual's own defaults
_BAR = RichColor.parse("bright_magenta")


class AsciiScrollBarRender(ScrollBarRender):
    """A scrollbar in characters every terminal has: the thumb ``#``, the track ``|``
    (``-`` across). Textual's own draws the thumb's ends in eighth blocks and tells the
    thumb from the track by colour alone."""

    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8

    @classmethod
    def render_bar(
        cls,
        size: int = 25,
        virtual_size: float = 50,
        window_size: float = 20,
        position: float = 0,
        thickness: int = 1,
        vertical: bool = True,
        back_color: RichColor = _BACK,
        bar_color: RichColor = _BAR,
    ) -> Segments:
        drawn = super().render_bar(
            size, virtual_size, window_size, position, thickness, vertical, back_color, bar_color
        )
        track = "|" if vertical else "-"

        def plain(segment: Segment) -> Segment:
            if segment.control or segment.text == "\n":
                return segment
            style = segment.style or Style()
            thumb = (style.meta or {}).get("@mouse.down") == "grab"
            return Segment(("#" if thumb else track) * len(segment.text), style)

        return Segments([plain(s) for s in drawn.segments], new_lines=drawn.new_lines)


class StaticLoading(Static):
    """What a loading widget shows on a low-spec terminal: words that do not move."""

    DEFAULT_CSS = """
    StaticLoading { width: 100%; height: 100%; content-align: center middle; }
    """


class SteadyCursor:
    """Mixed into an app (before `App`): no Input or TextArea of it ever blinks.

    Idle means silent, on every terminal (issue 19): a blinking cursor is a repaint twice
    a second that SSH on a slow link, a serial line or a kiosk pays for, and frames that
    differ under test. One rule for the desk, the kiosk and the tests' host apps, instead
    of each screen remembering it for each of its fields.
    """

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Focus is what starts a blink, and this arrives before its first half-second
        # is up; the cursor stays, steady.
        if hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False


class LowSpecApp(SteadyCursor, App[int]):
    """Mixed into the app: set ``terminal_caps`` before the app runs (``apply_caps``)."""

    terminal_caps: TerminalCaps = FULL

    def apply_caps(self, caps: TerminalCaps) -> None:
        """Follow ``caps``: called once, from the constructor (nothing drawn yet)."""
        self.terminal_caps = caps
        self._glyph_filter = GlyphFilter(caps.kind)
        if not caps.low_spec:
            return
        # A COLORTERM=truecolor carried into a console session would otherwise win over
        # TERM (Rich reads it first); these terminals have the 16 colours, no more.
        self.console._color_system = ColorSystem.STANDARD
        self.theme = "ansi-dark"
        self.animation_level = "none"
        # Process-wide on purpose: one terminal per process, and every scrollbar of it.
        ScrollBar.renderer = AsciiScrollBarRender
        limit_symbols_to(caps.chars)
        self.add_class("-low-spec", f"-term-{caps.kind.value}")

    def get_line_filters(self) -> Sequence[LineFilter]:
        filters = list(super().get_line_filters())
        glyphs = getattr(self, "_glyph_filter", None)
        if glyphs is not None and glyphs.enabled:
            filters.append(glyphs)
        return filters

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # A toast's colour is all that told a warning or an error from news: on every
        # terminal it also says so in words (a VT100 has no colour; some people see none).
        if not title and severity in SEVERITY_WORDS:
            title = SEVERITY_WORDS[severity]
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def get_loading_widget(self) -> Widget:
        if self.terminal_caps.low_spec:
            return StaticLoading(Content(LOADING))
        return super().get_loading_widget()

    def get_key_display(self, binding: Binding) -> str:
        return key_display(super().get_key_display(binding), self.terminal_caps.kind)
