"""The contract every client-profile tab follows.

The profile screen (screens/profile.py) creates each tab once, shows it in a
pane (mounted with it), and calls `load()` when the tab is first shown and again
after anything changed (inside an exclusive async worker, with `self.loading = True`
around the call) — a tab never starts its own first load. A tab that writes posts
`ProfileTab.Changed` so the header and the Overview reload; a tab that links to
another client posts `ProfileTab.OpenClient(client_id)`.

A tab given `read_only_reason` shows that reason and does not offer its writes (the
actions named in `WRITES`). `may` is what the signed-in person may do
(`desk.staff.mine()`, read by the profile): a key needing a permission outside it is not
offered either (screens/profile_permissions.py). "Not offered" is `check_action`
returning False: out of the footer and the command palette, refused when pressed. The
services refuse it all the same.
"""

from __future__ import annotations

import datetime as dt
from abc import abstractmethod
from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.message import Message
from textual.widget import Widget

from frontdesk.domain.permissions import Perm
from frontdesk.services.desk import Desk
from screens.profile_permissions import explain_key, lacking


class ProfileTab(Widget):
    """One tab of the client profile. Subclasses implement `load()`."""

    DEFAULT_CSS = """
    ProfileTab {
        height: 1fr;
    }
    """

    class Changed(Message):
        """This tab wrote something; the profile reloads its header and Overview."""

        def __init__(self, client_id: int) -> None:
            super().__init__()
            self.client_id = client_id

    class OpenClient(Message):
        """Open another client's profile (e.g. from Relationships)."""

        def __init__(self, client_id: int) -> None:
            super().__init__()
            self.client_id = client_id

    def __init__(
        self,
        desk: Desk,
        client_id: int,
        *,
        location_id: int | None,
        read_only_reason: str | None = None,
        id: str | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        may: frozenset[Perm] = frozenset(),
    ) -> None:
        super().__init__(id=id)
        self.may = may
        self.desk = desk
        self.client_id = client_id
        self.location_id = location_id
        self.read_only_reason = read_only_reason
        self.clock: Callable[[], dt.datetime] = clock or dt.datetime.now

    # Actions that write: not offered while the tab is read-only (a travel member).
    WRITES: ClassVar[frozenset[str]] = frozenset()
    # The tables whose rows this tab shows: a change to them (for this client) re-reads
    # it when someone commits one (`refresh_live`); none, and it is left as it is.
    LIVE_TABLES: ClassVar[frozenset[str]] = frozenset()

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def refusal_of(self, action: str) -> str | None:
        """Why `action` is not offered here (read-only, a permission), or None."""
        if self.read_only_reason is not None and action in self.WRITES:
            return self.read_only_reason
        return lacking(self, self.may, action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only what this client and this person allow; subclasses narrow it further."""
        return self.refusal_of(action) is None

    def on_key(self, event: events.Key) -> None:
        explain_key(self, event)  # a key not offered here says why when pressed

    @abstractmethod
    async def load(self) -> None:
        """Fetch this tab's data and show it. Called by the profile screen."""

    async def first_read(self) -> None:
        """Read what the first `load` shows, before the tab is mounted: the profile runs
        it beside the mount, so the read and the building overlap (issue 19). Touches no
        widget. By default nothing: `load` reads. A tab that reads here and fails leaves
        it to `load`, which reads again and says why."""

    # True while `refresh_live` re-reads: tables keep their cursor (`kept_cursor`).
    refreshing = False
    # True while the profile's load of this tab runs: its loading cover goes up only if
    # the read is slow (screens/widgets/late_cover.py), so "loaded" is `not reading`.
    reading = False

    async def refresh_live(self) -> None:
        """Re-read what is shown after someone else's change, keeping the cursor and any
        typing (the profile calls it in the tab's own exclusive worker, no loading cover)."""
        self.refreshing = True
        try:
            await self.load()
        finally:
            self.refreshing = False

    def post_changed(self) -> None:
        """Tell the profile something was written (header and Overview reload)."""
        self.post_message(self.Changed(self.client_id))
