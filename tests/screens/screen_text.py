"""Everything an app shows, as text: to prove no driver text ever reaches a screen.

What is on screen now (the screenshot's text, toasts included), and what every widget of
every screen on the stack would show (a Static's content, a table's cells, an input's
value, each notification's title and message), so a message behind a modal or scrolled
out of sight counts too.
"""

from __future__ import annotations

import html
import re
from typing import Any

from textual.app import App
from textual.widgets import DataTable, Input, Static

# What a driver or a traceback says, never a person at the desk.
DRIVER_WORDS = (
    "IntegrityError",
    "UniqueViolation",
    "asyncpg",
    "sqlite3",
    "psycopg",
    "Traceback",
    "another operation is in progress",
    "duplicate key",
    "UNIQUE constraint",
    "DBAPIError",
    "OperationalError",
    "sqlalchemy",
)


def screen_text(app: App[Any]) -> str:
    parts: list[str] = []
    svg = app.export_screenshot()
    parts.append(html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " "))
    for screen in app.screen_stack:
        for widget in screen.walk_children(with_self=False):
            if isinstance(widget, Static):
                parts.append(str(widget.render()))
            elif isinstance(widget, DataTable):
                for key in widget.rows:
                    parts.extend(str(cell) for cell in widget.get_row(key))
            elif isinstance(widget, Input):
                parts.append(widget.value)
    for note in app._notifications:
        parts.extend((str(note.title), str(note.message)))
    return "\n".join(parts)


def driver_words_in(app: App[Any]) -> list[str]:
    """The driver words anywhere in what the app shows (none, or the test fails)."""
    shown = screen_text(app).lower()
    return [word for word in DRIVER_WORDS if word.lower() in shown]
