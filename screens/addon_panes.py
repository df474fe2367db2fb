"""The add-on picker's two panes: CLIENT OWNS (banked units, to use or buy more of) and
BUY NEW (every other add-on), each a table or, when empty, a note saying why."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Static

from frontdesk.views.addons import AddonPicker
from screens.addon_rows import units
from screens.widgets.live import kept_cursor

BANKING_OFF = (
    "Banking is off (Store Settings › Enable future product usage) — units can only be bought."
)
NOTHING_OWNED = "The client has no banked units."
NOTHING_TO_BUY = "No other add-on products."
OWNS_ACTIONS = "[Add] [Buy more]"
NEW_ACTIONS = "[Add]"


def fill_panes(screen: Widget, picker: AddonPicker) -> None:
    """CLIENT OWNS and BUY NEW as `picker` has them, or a note where a pane is empty."""
    owns = screen.query_one("#owns-table", DataTable)
    new = screen.query_one("#new-table", DataTable)
    # Refilled when another terminal changes what the client owns: the cursor stays put.
    with kept_cursor(owns), kept_cursor(new):
        for table in (owns, new):
            table.clear()
        for p in picker.client_owns:
            owns.add_row(
                Text(p.name, no_wrap=True, overflow="ellipsis"),
                Text(units(p.owned, p.unit_name), no_wrap=True),
                Text(OWNS_ACTIONS, no_wrap=True),
                key=str(p.product_id),
            )
        for p in picker.buy_new:
            price = f"{picker.money.format(p.unit_price)} / {p.unit_name}"
            new.add_row(
                Text(p.name, no_wrap=True, overflow="ellipsis"),
                Text(price, no_wrap=True),
                Text(NEW_ACTIONS, no_wrap=True),
                key=str(p.product_id),
            )
    owns_note = screen.query_one("#owns-note", Static)
    if not picker.banking_enabled:
        owns_note.update(Content(BANKING_OFF))
    elif not picker.client_owns:
        owns_note.update(Content(NOTHING_OWNED))
    owns.display = bool(picker.client_owns)
    owns_note.display = not picker.client_owns
    new_note = screen.query_one("#new-note", Static)
    new_note.update(Content(NOTHING_TO_BUY))
    new.display = bool(picker.buy_new)
    new_note.display = not picker.buy_new
