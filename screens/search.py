"""Find a client: type a name (either order), phone digits, email or client number.

`ClientSearchScreen(desk)` dismisses with the chosen client's id, or None on Esc.
Results follow the text as you type: one exclusive async worker per keystroke waits a
short debounce (a newer keystroke cancels it) and a result is shown only while it still
answers the text in the box, so a slow answer can never replace a newer one.

When nobody matches, ctrl+n or Enter opens the New Client form with the typed text
pre-filled (name, phone or email); the client saved there, or the likely duplicate
opened instead, is what the search dismisses with, so every caller carries on as if
that client had been chosen.

`open_client_flow(app, desk, location_id)` is what the app binds to `/` and
`ctrl+f`: search, then open the chosen client's profile. Given `opener`, the search
does not close with the chosen id: it awaits the screen `opener` makes for it (the
flow reads the profile's opening first) and that screen takes its place, composed
whole, with no frame of the screen beneath in between (issue 19).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path, PurePath
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

import styles
from frontdesk.domain.errors import describe
from frontdesk.domain.new_client import prefill_from_search
from frontdesk.services.desk import Desk
from frontdesk.views import ClientHit
from frontdesk.views.profile import ProfileOpening
from screens.new_client import NewClientScreen
from screens.widgets.cells import cell
from screens.widgets.late_cover import cover_if_slow

STYLES_DIR = Path(styles.__file__).parent
SEARCH_LIMIT = 50
# Short enough that last key -> rows painted stays under 100 ms (issue 19): the query is
# a few ms, the paint a frame or two. Keys closer together than this (a burst) send one
# query, each key's exclusive worker cancelling the one before while it waits here;
# slower typing sends one per key, each cheap, and an answer to older text is never shown.
DEBOUNCE_SECONDS = 0.04
HINT = "Type a name, phone, email or client number"

COLUMNS = {"name": "Name", "number": "No.", "phone": "Phone", "email": "Email"}
# Every column has a width, so a long value is cut by `fit` with an ellipsis rather than
# cropped at the table's edge. They fill the 74 cells inside the 78-wide dialog at 80x24:
# 64 of text, one cell of padding either side of each column, 2 for the scrollbar.
COLUMN_WIDTHS = {"name": 22, "number": 7, "phone": 15, "email": 20}


def result_cells(hit: ClientHit) -> tuple[Text, ...]:
    """One search result's cells, each cut to its column with "…"."""
    values = {
        "name": hit.name,
        "number": hit.client_number,
        "phone": hit.phone,
        "email": hit.email,
    }
    return tuple(cell(values[key], COLUMN_WIDTHS[key]) for key in COLUMNS)


class ClientSearchScreen(ModalScreen[int | None]):
    """Search as you type; ↓/↑ move, Enter opens, Esc closes."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "search.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="search.close"),
        Binding("down", "move(1)", "Next", show=False, id="search.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="search.up"),
        Binding("enter", "choose", "Open", id="search.open"),
        Binding("ctrl+n", "new_client", "New client", id="search.new_client"),
    ]

    def __init__(
        self,
        desk: Desk,
        *,
        debounce: float = DEBOUNCE_SECONDS,
        location_id: int | None = None,
        opener: Callable[[int], Awaitable[Screen[Any]]] | None = None,
    ) -> None:
        super().__init__(classes="client-search-screen")
        self.desk = desk
        self.location_id = location_id  # a client added from here is at home there
        self.debounce = debounce
        self.hits: tuple[ClientHit, ...] = ()
        self.hits_for = ""  # the query the shown rows answer
        # Enter pressed before the rows for the typed text arrived: open the first row
        # as soon as they do (a fast typist's "hart am⏎"), unless the text changes.
        self.open_when_ready = False
        self.opener = opener
        self.choosing = False  # a client chosen: the rest of the keys wait for the close

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog"):
            yield Static(Content("Find a client"), id="search-title")
            yield Input(placeholder=HINT, id="search-input", compact=True, max_length=120)
            yield DataTable[Text](
                id="search-results", cursor_type="row", zebra_stripes=True, show_cursor=True
            )
            yield Static(Content(HINT), id="search-empty")
            yield Static(
                Content("↓↑ choose · Enter open · ctrl+n new client · Esc close"),
                id="search-keys",
            )

    def on_mount(self) -> None:
        table = self.query_one("#search-results", DataTable)
        table.can_focus = False  # the box keeps focus; ↓/↑ move the row cursor
        for key, label in COLUMNS.items():
            table.add_column(Text(label), key=key, width=COLUMN_WIDTHS[key])
        table.display = False
        box = self.query_one("#search-input", Input)
        box.focus()

    @property
    def query_text(self) -> str:
        return self.query_one("#search-input", Input).value

    # -- searching -----------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.open_when_ready = False
        self.search(event.value)

    @work(exclusive=True, group="client-search", exit_on_error=False)
    async def search(self, query: str) -> None:
        if not query.strip():
            self._show(query, ())
            return
        await asyncio.sleep(self.debounce)  # a newer keystroke cancels this worker here
        if query != self.query_text:
            return
        try:
            hits = await self.desk.clients.search(query, SEARCH_LIMIT)
        except Exception as exc:
            if query == self.query_text:
                self._empty(f"Search failed: {describe(exc)}")
            return
        if query != self.query_text:
            return  # a newer query owns the table
        self._show(query, hits)

    def _empty(self, message: str) -> None:
        self.query_one("#search-results", DataTable).display = False
        empty = self.query_one("#search-empty", Static)
        empty.update(Content(message))
        empty.display = True

    def _show(self, query: str, hits: tuple[ClientHit, ...]) -> None:
        # One frame for the whole change: the cleared table is never painted on its own.
        with self.app.batch_update():
            self._fill(query, hits)

    def _fill(self, query: str, hits: tuple[ClientHit, ...]) -> None:
        self.hits = hits
        self.hits_for = query
        table: DataTable[Text] = self.query_one("#search-results", DataTable)
        table.clear()  # also puts the cursor on the first row, scrolled to the top
        if not query.strip():
            self._empty(HINT)
            return
        if not hits:
            self._empty(f"No match for “{query.strip()}” — ctrl+n or Enter to add a new client")
            if self.open_when_ready and query == self.query_text:
                self.open_when_ready = False
                self.action_new_client()
            return
        for hit in hits:
            table.add_row(*result_cells(hit), key=str(hit.id))
        # No move_cursor(row=0): clear() did it, and moving again would wait for one more
        # refresh to scroll the cursor into view before the rows settle.
        table.display = True
        self.query_one("#search-empty", Static).display = False
        if self.open_when_ready and query == self.query_text:
            self.choose(hits[0].id)

    # -- choosing ------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        table = self.query_one("#search-results", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        table = self.query_one("#search-results", DataTable)
        if self.hits_for != self.query_text:
            self.open_when_ready = bool(self.query_text.strip())
            return
        if not self.hits or not table.row_count:
            if self.query_text.strip():
                self.action_new_client()  # nobody matches: Enter adds them
            return
        row = max(0, min(table.cursor_row, len(self.hits) - 1))
        self.choose(self.hits[row].id)

    def choose(self, client_id: int) -> None:
        """Close with `client_id`, or be replaced by the screen `opener` makes for it."""
        if self.choosing:
            return
        self.choosing = True
        if self.opener is None:
            self.dismiss(client_id)
        else:
            self.run_worker(self._open(self.opener, client_id), exit_on_error=False)

    async def _open(self, opener: Callable[[int], Awaitable[Screen[Any]]], client_id: int) -> None:
        # A read slow to answer (a server across a network) shows it is working.
        cover = cover_if_slow(self.query_one("#search-dialog"))
        try:
            screen = await opener(client_id)
        except Exception as exc:
            self.choosing = False  # Enter can try again
            self.notify(describe(exc), title="Could not open", severity="error")
            return
        finally:
            cover.stop()
            self.query_one("#search-dialog").loading = False
        self.app.switch_screen(screen)

    def action_new_client(self) -> None:
        """The New Client form, pre-filled from the typed text; its client is chosen."""

        def added(hit: ClientHit | None) -> None:
            if hit is not None:
                self.choose(hit.id)

        self.app.push_screen(
            NewClientScreen(
                self.desk, prefill_from_search(self.query_text), location_id=self.location_id
            ),
            added,
        )

    def action_close(self) -> None:
        self.dismiss(None)


async def open_client_flow(
    app: App[Any],
    desk: Desk,
    location_id: int | None,
    *,
    clock: Callable[[], dt.datetime] | None = None,
) -> None:
    """Push the client search; when a client is chosen, push their profile."""
    from screens.profile import ClientProfileScreen  # the profile imports this module

    use_clock = clock or getattr(app, "clock", None)
    now = use_clock or dt.datetime.now

    async def profile(client_id: int) -> Screen[Any]:
        opening: ProfileOpening | None = None
        with contextlib.suppress(Exception):  # the profile reads again, and says why
            opening = await desk.profile.opening(client_id, location_id, now())
        return ClientProfileScreen(
            desk, client_id, location_id=location_id, clock=use_clock, opening=opening
        )

    await app.push_screen(ClientSearchScreen(desk, location_id=location_id, opener=profile))
