"""The schedule's table: its columns fitted to the width, its cells, its keys.

Split from `screens.schedule` (the screen and its loading) so each stays small.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from frontdesk.views import AppointmentView
from screens.widgets.cells import cell

# Status in words as well as colour: the colour is a reminder, never the only signal.
# Named ANSI colours so 16-colour terminals show them natively.
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "booked": ("Booked", ""),
    "confirmed": ("Confirmed", ""),
    "checked_in": ("Checked in", "bold cyan"),
    "in_progress": ("In progress", "bold cyan"),
    "completed": ("Completed", "green"),
    "cancelled": ("Cancelled", "red"),
    "no_show": ("No-show", "bold yellow"),
}

TIME_W = 11  # "09:30–10:15"
# Client, Service and Staff share what is left of the width: each gets what its longest
# name needs when that fits, otherwise the widest shrinks first, never below these.
MIN_WIDTHS = {"client": 12, "service": 10, "staff": 8}
HEADERS = {
    "time": "Time",
    "client": "Client",
    "service": "Service",
    "staff": "Staff",
    "status": "Status",
}
PADDING = 2  # DataTable's cell padding, one cell either side
SCROLLBAR = 2


def status_label(status: str) -> str:
    label, _ = STATUS_LABELS.get(status, (status.replace("_", " ").capitalize(), ""))
    return label


def status_text(status: str) -> Text:
    label, style = STATUS_LABELS.get(status, (status.replace("_", " ").capitalize(), ""))
    return Text(label, style=style, no_wrap=True, end="")


def column_widths(
    total: int, appointments: Sequence[AppointmentView], *, scrollbar: bool
) -> dict[str, int]:
    """Widths for the five columns so the table fits `total` cells without wrapping."""
    status_w = max(
        [cell_len(HEADERS["status"])] + [cell_len(status_label(a.status)) for a in appointments]
    )
    wanted = {
        "client": [a.client_name for a in appointments],
        "service": [a.service_name for a in appointments],
        "staff": [a.staff_name for a in appointments],
    }
    widths = {
        key: max([cell_len(HEADERS[key]), MIN_WIDTHS[key]] + [cell_len(v) for v in values])
        for key, values in wanted.items()
    }
    room = total - TIME_W - status_w - 5 * PADDING - (SCROLLBAR if scrollbar else 0)
    while sum(widths.values()) > room:
        shrinkable = [k for k in widths if widths[k] > MIN_WIDTHS[k]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda k: widths[k])
        widths[widest] -= 1
    widths["client"] += max(0, room - sum(widths.values()))
    return {"time": TIME_W, **widths, "status": status_w}


def literal(text: str, width: int) -> Text:
    """A schedule cell: cut to its column with an ellipsis, never parsed as markup."""
    return cell(text, width)


def units(count: int, unit_name: str) -> str:
    plural = unit_name if count == 1 or unit_name.endswith("s") else f"{unit_name}s"
    return f"{count} {plural}"


def long_day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def time_range(appt: AppointmentView) -> str:
    return f"{appt.starts_at:%H:%M}–{appt.ends_at:%H:%M}"


class ScheduleTable(DataTable[object], inherit_bindings=False):
    """The day's rows without the table's own enter/left/right: the screen owns those keys
    (open, previous/next day). With them the footer's order changed with focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        b
        for b in DataTable.BINDINGS
        if isinstance(b, Binding) and b.key not in {"enter", "left", "right"}
    ]
