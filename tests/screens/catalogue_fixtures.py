"""The catalogue setup screens' tests: the tiny salon with an owner (setup) and a manager
(everything but setup), the real app opened as one of them, and what the screens show."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Staff
from screens.catalogue_editor import CatalogueEditor
from screens.catalogue_list import CatalogueListScreen
from screens.setup_hub import SETUP_ENTRIES, SetupHubScreen
from tests.waiting import wait_until

SIZE = (80, 24)
OWNER = 9
MANAGER = 8


async def with_owner_and_manager(salon_url: str) -> str:
    """The tiny salon with Olive the owner and Mo the manager; its URL."""
    engine = create_engine(salon_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(Staff),
                [
                    {"id": OWNER, "name": "Olive", "role": "owner", "location_id": 1},
                    {"id": MANAGER, "name": "Mo", "role": "manager", "location_id": 1},
                ],
            )
    finally:
        await engine.dispose()
    return salon_url


async def rows_of(url: str, *columns: Any) -> list[tuple[Any, ...]]:
    """What the database holds, to show a refused save wrote nothing."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            found = await conn.execute(select(*columns).order_by(*columns))
            return [tuple(r) for r in found]
    finally:
        await engine.dispose()


def listed(app: App[Any], kind: type[CatalogueListScreen[Any]]) -> bool:
    screen = app.screen
    return isinstance(screen, kind) and not screen.query_one(DataTable).loading


def table_text(app: App[Any]) -> str:
    table = app.screen.query_one(DataTable)
    return "\n".join(
        " | ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)
    )


def list_message(app: App[Any]) -> str:
    screen = app.screen
    assert isinstance(screen, CatalogueListScreen)
    return screen.message_text()


def editor_of(app: App[Any]) -> CatalogueEditor[Any, Any]:
    screen = app.screen
    assert isinstance(screen, CatalogueEditor), screen
    return screen


# The catalogue's screens as the Setup hub lists them (F8, then the row, then Enter).
SERVICES, PRODUCTS, PACKAGES, PREPAID, PROMOTIONS = (e.label for e in SETUP_ENTRIES[-5:])


async def open_list(pilot: Pilot[Any], label: str, kind: type[CatalogueListScreen[Any]]) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: getattr(app, "member", None) is not None, what="signed in")
    await pilot.press("f8")
    await wait_until(pilot, lambda: isinstance(app.screen, SetupHubScreen), what="the hub")
    row = [e.label for e in SETUP_ENTRIES].index(label)
    await pilot.press(*("down",) * row, "enter")
    await wait_until(pilot, lambda: listed(app, kind), what=f"the {kind.__name__} list")


async def open_editor(pilot: Pilot[Any], key: str = "n") -> None:
    await pilot.press(key)
    await wait_until(
        pilot, lambda: isinstance(pilot.app.screen, CatalogueEditor), what="the editor"
    )


def fits(app: App[Any]) -> bool:
    """Every widget of the editor's dialog is inside the 80x24 screen."""
    dialog = app.screen.query_one("#cat-dialog")
    region = dialog.region
    return region.x >= 0 and region.y >= 0 and region.right <= 80 and region.bottom <= 24
