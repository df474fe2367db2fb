"""The baseline app: Header, Footer and a DataTable of 20 rows, nothing else.

    python -m tests.benchmarks.bare_app                 # the launch / memory / idle baseline
    python -m tests.benchmarks.bare_app --search FILE   # plus a search box doing our SQL

With `--search`, FILE (JSON, written by rows/search.py) holds the database URL and, for
each text the benchmark types, the statement and parameters frontdesk's search sent
for it (captured). Each change of the box runs that statement through the raw driver
and shows the rows: the same SQL, without frontdesk around it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, Input

ROWS = 20
MARK = "Bare row 01"


class BareApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("q", "quit", "Quit")]

    def __init__(self, search: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.search = search
        self.conn: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        if self.search is not None:
            yield Input(placeholder="Find a client", id="box")
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        if self.search is not None:
            # The search statement's columns: id, client_number, first, last, phone, …
            table.add_columns("No.", "First", "Last", "Phone")
            return
        table.add_columns("Name", "No.", "Phone")
        if self.search is None:
            for n in range(1, ROWS + 1):
                table.add_row(f"Bare row {n:02}", f"C{n:06}", f"07700 900{n:03}")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.find(event.value)

    @work(exclusive=True)
    async def find(self, typed: str) -> None:
        assert self.search is not None
        known = self.search["texts"].get(typed)
        table = self.query_one(DataTable)
        if known is None:  # a text the benchmark never waits on: nothing to show
            table.clear()
            return
        rows = await self.fetch(known["sql"], known["params"])
        table.clear()
        for row in rows:
            table.add_row(*(str(v) for v in list(row)[1:5]))

    async def fetch(self, sql: str, params: list[Any]) -> list[Any]:
        assert self.search is not None
        url: str = self.search["url"]
        if url.startswith("sqlite"):
            import aiosqlite

            if self.conn is None:
                self.conn = await aiosqlite.connect(url.split("///", 1)[1])
            async with self.conn.execute(sql, params) as cursor:
                return list(await cursor.fetchall())
        import asyncpg

        if self.conn is None:
            self.conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
        return list(await self.conn.fetch(sql, *params))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--search", type=Path)
    args = parser.parse_args()
    search = json.loads(args.search.read_text()) if args.search else None
    BareApp(search).run()


if __name__ == "__main__":
    main()
