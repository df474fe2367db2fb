"""Table cells cut to their column with an ellipsis, never silently.

A DataTable crops a cell at its column's edge without a mark, so `+44 7700 90001` (the
last digit cut off) reads like a whole number. Every fixed-width column that can hold
longer text puts its cells through `fit` / `cell`.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from frontdesk.domain.normalize import printable

ELLIPSIS = "…"


def fit(text: str, width: int) -> str:
    """`text` in at most `width` terminal cells (wide characters count 2); when it is cut,
    the last cell is "…"."""
    if width <= 0:
        return ""
    text = printable(text)  # one line: a line break or control shows as a placeholder
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + ELLIPSIS


def cell(text: str, width: int, *, style: str = "") -> Text:
    """A table cell that fits `width` and is never parsed as markup (people type names)."""
    return Text(fit(text, width), style=style, no_wrap=True, end="")
