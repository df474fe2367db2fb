"""Search results cut long values with an ellipsis (issue 14): a phone number cut at its
column's edge must never look like a whole, shorter number."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from frontdesk.services.clients import Clients
from frontdesk.views import ClientHit
from screens.search import COLUMN_WIDTHS, ClientSearchScreen
from tests.screens.profile_fixtures import SIZE, ProfileHost
from tests.waiting import wait_until

LONG = ClientHit(
    id=1,
    client_number="C000001",
    first_name="Maria de los Ángeles",
    last_name="Fernández-Castellanos",
    phone="+44 (0)7700 900 001",
    email="maria.fernandez.castellanos@example.com",
)
SHORT = ClientHit(
    id=2,
    client_number="C000002",
    first_name="Ann",
    last_name="Lee",
    phone="07700 900123",
    email="ann@ex.com",
)


class LongValues(Clients):
    async def search(self, text: str, limit: int = 50) -> tuple[ClientHit, ...]:
        return (LONG, SHORT)


def screen_lines(app: ProfileHost) -> list[str]:
    """What the terminal shows, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_cut_cells_end_with_an_ellipsis_and_whole_ones_do_not(sqlite_url: str) -> None:
    app = ProfileHost(sqlite_url, ClientSearchScreen, areas={"clients": LongValues})
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot, lambda: isinstance(app.screen, ClientSearchScreen), what="the search"
        )
        await pilot.press(*"mar")
        screen = app.screen
        assert isinstance(screen, ClientSearchScreen)
        await wait_until(pilot, lambda: screen.hits_for == "mar", what="the rows for mar")
        table: DataTable[Text] = screen.query_one("#search-results", DataTable)
        long_row = [c.plain for c in table.get_row_at(0)]
        short_row = [c.plain for c in table.get_row_at(1)]

        assert long_row == [
            "Maria de los Ángeles…",  # the space before the cut dropped
            "C000001",
            "+44 (0)7700 90…",
            "maria.fernandez.cas…",
        ]
        for text, width in zip(long_row, COLUMN_WIDTHS.values(), strict=True):
            assert cell_len(text) <= width
        assert short_row == ["Ann Lee", "C000002", "07700 900123", "ann@ex.com"]

        # On screen: every cell of the long row shows its ellipsis (none cropped away by
        # the table's edge), and the short row shows whole values with none.
        lines = screen_lines(app)
        long_line = next(line for line in lines if "Maria de los" in line)
        assert long_line.count("…") == 3, long_line
        assert "+44 (0)7700 90…" in long_line
        assert "maria.fernandez.cas…" in long_line
        short_line = next(line for line in lines if "Ann Lee" in line)
        assert "…" not in short_line and "ann@ex.com" in short_line
