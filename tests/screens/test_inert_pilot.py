"""Issue 15, item 6: Profile Details shows a client another tool stored with escape
sequences (raw SQL, no validator) with placeholders in every field, notes included."""

from __future__ import annotations

import sqlite3

from textual.widgets import Input, TextArea

from screens.profile_tabs.details import DetailsTab
from tests.screens.profile_tab_fixtures import SIZE, Profile, build_profile_at, tab_loaded
from tests.screens.test_profile_tabs import host

RAW = {
    "first_name": "Amelia\x1b]0;PWNED\x07",
    "last_name": "Hart\x1b[2J\x00",
    "email": "amelia\x9b@example.com",
    "notes": "line one\nline two\x1b]2;PWNED\x1b\\",
}
SHOWN = {
    "first_name": "Amelia␛]0;PWNED␇",
    "last_name": "Hart␛[2J␀",
    "email": "amelia\\x9b@example.com",
}


async def test_details_show_stored_escape_sequences_as_placeholders(sqlite_url: str) -> None:
    profile: Profile = await build_profile_at(sqlite_url)
    with sqlite3.connect(sqlite_url.split(":///", 1)[1]) as db:
        sets = ", ".join(f"{name} = ?" for name in RAW)
        db.execute(f"UPDATE clients SET {sets} WHERE id = ?", (*RAW.values(), profile.client))
    app = host(sqlite_url, DetailsTab, profile.client, location_id=profile.home)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        for field, shown in SHOWN.items():
            assert app.query_one(f"#details-{field}", Input).value == shown
        # A note keeps its line breaks; only the escape sequence is made visible.
        assert app.query_one("#details-notes", TextArea).text == "line one\nline two␛]2;PWNED␛\\"
