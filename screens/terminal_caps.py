"""What the terminal can draw, decided once at start-up from ``TERM`` (issue 18, item 4).

Three kinds:

* ``full`` -- today's look: any ``TERM`` not named below, and an unset one. Unknown names
  are taken as modern on purpose: a terminal emulator that calls itself something new
  (``xterm-kitty``, ``alacritty``, ``foot``) draws Unicode, and a wrong guess the other
  way would turn every modern desk into ASCII art.
* ``linux`` -- the Linux console: ASCII and the single-line box drawing set
  (``LINUX_BOX``), 16 colours.
* ``ascii`` -- ``vt100``, ``vt102``, ``vt220`` and the other DEC names, ``ansi``,
  ``dumb``: printable ASCII only, 16 colours.

Under ``linux`` and ``ascii`` a line filter (``GlyphFilter``) replaces every character the
terminal lacks with one of the same width from ``GLYPHS`` (or the letter without its
accent, or ``?``), so nothing else has to remember: our own text, Textual's borders,
Footer keys and the command palette's icon all pass it. Amounts are written with the
currency's ISO code where the symbol is not drawable ("GBP 35.00", never a bare number:
``frontdesk.domain.money_context.limit_symbols_to``). The app also takes the 16 ANSI
colours, animates and blinks nothing (``screens/low_spec.py``).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from rich.cells import cell_len


class Kind(Enum):
    FULL = "full"
    LINUX = "linux"
    ASCII = "ascii"


ASCII = frozenset(chr(code) for code in range(0x20, 0x7F))

# The Linux console's line drawing: the DEC special graphics lines that terminfo's
# `acsc` for `linux` maps (qx lkmj tu vw n) and that the console's fonts carry in every
# charmap (the kernel's built-in CP437 font, console-setup's Lat15/Uni2 Terminus and
# Fixed). Kept to these eleven: the rest of CP437 (blocks, rounded or double corners,
# arrows, £) is missing from some of the fonts a console may have loaded.
LINUX_BOX = "─│┌┐└┘├┤┬┴┼"
LINUX = ASCII | frozenset(LINUX_BOX)

_DEC_NAMES = ("vt52", "vt100", "vt102", "vt125", "vt131", "vt132", "vt200", "vt220")
_ASCII_NAMES = frozenset({*_DEC_NAMES, "vt240", "vt320", "vt340", "vt420", "ansi", "dumb"})


def kind_of(term: str | None) -> Kind:
    """The kind of terminal ``TERM`` names (``vt100-am`` is a ``vt100``)."""
    name = (term or "").strip().lower()
    base = name.split("-", 1)[0]
    console = name.startswith("con") and name[3:].split("x")[0].isdigit()  # con80x25
    if base == "linux" or console:
        return Kind.LINUX
    if base in _ASCII_NAMES:
        return Kind.ASCII
    return Kind.FULL


def allowed(kind: Kind) -> frozenset[str] | None:
    """Every character ``kind`` draws; None for a modern terminal (anything)."""
    return {Kind.FULL: None, Kind.LINUX: LINUX, Kind.ASCII: ASCII}[kind]


_H, _V, _C = "-", "|", "+"
# Each glyph our screens or Textual draw, with a stand-in of the same width (a line's
# layout is done before the filter runs): (for the Linux console, for ASCII).
GLYPHS: dict[str, tuple[str, str]] = {
    **{c: ("─", _H) for c in "─━═╌╍┄┅┈┉╴╶╸╺╼╾"},
    **{c: ("│", _V) for c in "│┃║╎╏┆┇┊┋╵╷╹╻╽╿"},
    **{c: ("┌", _C) for c in "┌┍┎┏╒╓╔╭"},
    **{c: ("┐", _C) for c in "┐┑┒┓╕╖╗╮"},
    **{c: ("└", _C) for c in "└┕┖┗╘╙╚╰"},
    **{c: ("┘", _C) for c in "┘┙┚┛╛╜╝╯"},
    **{c: ("├", _C) for c in "├┝┞┟┠┡┢┣╞╟╠"},
    **{c: ("┤", _C) for c in "┤┥┦┧┨┩┪┫╡╢╣"},
    **{c: ("┬", _C) for c in "┬┭┮┯┰┱┲┳╤╥╦"},
    **{c: ("┴", _C) for c in "┴┵┶┷┸┹┺┻╧╨╩"},
    **{c: ("┼", _C) for c in "┼┽┾┿╀╁╂╃╄╅╆╇╈╉╊╋╪╫╬"},
    # Textual's tall, wide and panel borders and the tabs' underline are eighth blocks.
    "▔": ("─", _H),
    "▁": ("─", "_"),
    "▀": ("─", _H),
    "▄": ("─", "_"),
    **{c: ("│", _V) for c in "▏▎▍▌▋▊▉▐▕"},
    **{c: ("#", "#") for c in "█▇▆▅▓"},
    **{c: (":", ":") for c in "▂▃░▒"},
    # Letters NFKD does not take apart (names: "Øster" reads "Oster").
    **{c: (a, a) for c, a in zip("ØøßŁłĐđÆæŒœıÞþ", "OosLlDdAaOoiTt", strict=True)},
    # Punctuation and signs.
    "·": (".", "."),
    "•": ("*", "*"),
    "●": ("*", "*"),
    "○": ("o", "o"),
    "…": (".", "."),
    "—": ("-", "-"),
    "–": ("-", "-"),
    "−": ("-", "-"),
    "‘": ("'", "'"),
    "’": ("'", "'"),
    "“": ('"', '"'),
    "”": ('"', '"'),
    "«": ("<", "<"),
    "»": (">", ">"),
    "×": ("x", "x"),
    "→": (">", ">"),
    "←": ("<", "<"),
    "↑": ("^", "^"),
    "↓": ("v", "v"),
    "↩": ("<", "<"),
    "⏎": ("<", "<"),
    "▼": ("v", "v"),
    "▲": ("^", "^"),
    "▶": (">", ">"),
    "►": (">", ">"),
    "◀": ("<", "<"),
    "◄": ("<", "<"),
    "✓": ("*", "*"),
    "✔": ("*", "*"),
    "✗": ("x", "x"),
    "✘": ("x", "x"),
    "⚠": ("!", "!"),
    "⌫": ("<", "<"),
    "🔎": ("> ", "> "),
    "\u00a0": (" ", " "),
    "\u202f": (" ", " "),
    "\u2009": (" ", " "),
}

# Key names for the footer and the palette, where a word fits (the footer lays its keys
# out after asking). Arrows stay one character: the schedule's footer has no room for
# "Left Right" at 80 columns, and "<" ">" read as arrows next to "Day".
KEY_WORDS = {"⏎": "Enter", "⌫": "Bksp"}


@lru_cache(maxsize=4096)
def stand_in(char: str, kind: Kind) -> str:
    """What ``kind`` draws for ``char``: itself, its ``GLYPHS`` entry, the letter without
    its accent ("é" → "e"), or a "?" per cell it covers. Same cell width, always."""
    chars = allowed(kind)
    if chars is None or char in chars:
        return char
    if char in GLYPHS:
        linux, plain = GLYPHS[char]
        return linux if kind is Kind.LINUX else plain
    width = cell_len(char)
    base = unicodedata.normalize("NFKD", char)[:1]
    if width == 1 and base in ASCII:
        return base
    return "?" * width


def translate(text: str, kind: Kind) -> str:
    """``text`` with every character ``kind`` lacks replaced (``stand_in``)."""
    chars = allowed(kind)
    if chars is None or all(c in chars for c in text):
        return text
    return "".join(stand_in(c, kind) for c in text)


def key_display(text: str, kind: Kind) -> str:
    """A key as the footer shows it: arrows and Enter as words, then ``translate``."""
    if kind is Kind.FULL:
        return text
    return translate(KEY_WORDS.get(text, text), kind)


@dataclass(frozen=True, slots=True)
class TerminalCaps:
    """The terminal the desk draws on, read once at start-up."""

    kind: Kind = Kind.FULL

    @property
    def low_spec(self) -> bool:
        return self.kind is not Kind.FULL

    @property
    def chars(self) -> frozenset[str] | None:
        return allowed(self.kind)

    @classmethod
    def from_environment(cls) -> TerminalCaps:
        return cls(kind_of(os.environ.get("TERM")))


FULL = TerminalCaps()


SIXTEEN_COLOUR_SYSTEMS = {"standard", "windows"}


def wants_ansi_theme() -> bool:
    """16-colour terminals (kiosks, old SSH clients) get the terminal's own ANSI palette."""
    return os.environ.get("TEXTUAL_COLOR_SYSTEM", "").lower() in SIXTEEN_COLOUR_SYSTEMS
