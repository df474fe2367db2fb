"""Relationships: the client's family, guardians, dependants and partners.

`l` links another client (search, pick, then say how they are related), `u` unlinks the
selected one (after a yes/no), Enter opens the related client's profile.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from frontdesk.domain.errors import describe
from frontdesk.services.desk import Desk
from frontdesk.views import ClientHit
from frontdesk.views.profile import RELATIONSHIP_KINDS, RelationshipKind, RelationshipView
from screens.profile_tabs.activity import cell
from screens.profile_tabs.base import ProfileTab
from screens.reason import ConfirmModal
from screens.widgets.form import TABS_CSS, show_line

KIND_WORDS: dict[RelationshipKind, str] = {
    "family": "Family",
    "guardian": "Guardian (the chosen client is this client's guardian)",
    "partner": "Partner",
}
SEARCH_LIMIT = 8

LinkChoice = tuple[int, RelationshipKind]


class LinkClientModal(ModalScreen[LinkChoice | None]):
    """Find a client, then pick how they are related; dismisses with (client id, kind).

    Type to search (Enter or ↓ to the results), Enter picks a client, then ↑↓ and Enter
    pick the relation. Esc goes back a step, or closes. Only reads (search); the tab links.
    """

    CSS_PATH: ClassVar[list[str | PurePath]] = [TABS_CSS]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="profile.link.back"),
    ]

    def __init__(self, desk: Desk, client_id: int) -> None:
        super().__init__(classes="tab-form link-modal")
        self.desk = desk
        self.client_id = client_id
        self.hits: dict[str, ClientHit] = {}
        self.chosen: ClientHit | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="link-box"):
            yield Static(Content("Link a client"), id="link-title")
            yield Input(placeholder="Name, phone, email or client number", id="link-search")
            yield OptionList(id="link-results")
            yield Static(id="link-chosen")
            yield OptionList(
                *(Option(Content(KIND_WORDS[k]), id=k) for k in RELATIONSHIP_KINDS),
                id="link-kinds",
            )
            yield Static(id="link-error")
            yield Static(
                Content("Type to search · Enter choose · Esc back"),
                id="link-help",
            )

    def on_mount(self) -> None:
        field = self.query_one("#link-search", Input)
        self.query_one("#link-kinds").display = False
        self.query_one("#link-chosen").display = False
        field.focus()

    @on(Input.Changed, "#link-search")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(Input.Submitted, "#link-search")
    def _to_results(self, event: Input.Submitted) -> None:
        event.stop()
        results = self.query_one("#link-results", OptionList)
        if results.option_count:
            results.focus()

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and isinstance(self.focused, Input):
            results = self.query_one("#link-results", OptionList)
            if results.option_count:
                results.focus()

    @work(exclusive=True, group="profile-link-search", exit_on_error=False)
    async def _search(self, text: str) -> None:
        results = self.query_one("#link-results", OptionList)
        error = self.query_one("#link-error", Static)
        if not text.strip():
            results.clear_options()
            self.hits = {}
            show_line(error, "")
            return
        try:
            hits = await self.desk.clients.search(text, SEARCH_LIMIT + 1)
        except Exception as exc:
            show_line(error, f"Search failed: {describe(exc)}", error=True)
            return
        hits = tuple(h for h in hits if h.id != self.client_id)[:SEARCH_LIMIT]
        self.hits = {str(h.id): h for h in hits}
        results.clear_options()
        results.add_options(
            Option(Content(f"{h.name} · {h.client_number}"), id=str(h.id)) for h in hits
        )
        if hits:
            results.highlighted = 0
        show_line(error, "" if hits else "No client matches that.", error=bool(not hits))

    @on(OptionList.OptionSelected, "#link-results")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self.hits.get(event.option.id or "")
        if hit is None:
            return
        self.chosen = hit
        chosen = self.query_one("#link-chosen", Static)
        chosen.update(Content(f"{hit.name} is this client's:"))
        chosen.display = True
        kinds = self.query_one("#link-kinds", OptionList)
        kinds.display = True
        kinds.highlighted = 0
        kinds.focus()

    @on(OptionList.OptionSelected, "#link-kinds")
    def _kind(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind = event.option.id
        if self.chosen is None or kind not in RELATIONSHIP_KINDS:
            return
        self.dismiss((self.chosen.id, kind))

    def action_back(self) -> None:
        kinds = self.query_one("#link-kinds", OptionList)
        if kinds.display:
            kinds.display = False
            self.query_one("#link-chosen").display = False
            self.chosen = None
            self.query_one("#link-results", OptionList).focus()
            return
        self.dismiss(None)


class RelationshipsTab(ProfileTab):
    """Linked clients: name, relation and client number."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "link", "Link client", id="profile.relationships.link"),
        Binding("u", "unlink", "Unlink", id="profile.relationships.unlink"),
        Binding("enter", "open", "Open profile", id="profile.relationships.open"),
    ]

    links: tuple[RelationshipView, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="relationships-status", classes="tab-status")
        yield DataTable(id="relationships-table", cursor_type="row", zebra_stripes=True)
        yield Static(
            Content("No linked clients. Press l to link family, a guardian or a partner."),
            id="relationships-empty",
            classes="tab-empty",
        )
        yield Static(id="relationships-message", classes="tab-message")
        yield Static(
            Content("l link · u unlink · Enter open their profile"),
            classes="tab-help",
        )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Name", width=40, key="name")
        table.add_column("Relation", width=12, key="relation")
        table.add_column("Client no.", width=12, key="number")

    def message(self, text: str, *, error: bool = False) -> None:
        show_line(self.query_one("#relationships-message", Static), text, error=error)

    async def load(self) -> None:
        try:
            links = await self.desk.profile.relationships(self.client_id)
        except Exception as exc:
            self.message(f"Could not load the relationships: {describe(exc)}", error=True)
            return
        self._show(links)

    def _show(self, links: tuple[RelationshipView, ...]) -> None:
        self.links = links
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for link in links:
            table.add_row(
                cell(link.related_name),
                cell(link.label),
                cell(link.related_client_number),
                key=str(link.id),
            )
        if links:
            table.move_cursor(row=min(max(row, 0), len(links) - 1))
        table.set_class(not links, "-empty")  # stays focusable: `l` works when empty
        self.query_one("#relationships-empty", Static).set_class(not links, "-shown")
        count = len(links)
        self.query_one("#relationships-status", Static).update(
            Content(f"{count} linked client{'' if count == 1 else 's'}" if count else "")
        )
        self.refresh_bindings()

    def selected(self) -> RelationshipView | None:
        table = self.query_one(DataTable)
        if not self.links or not table.display:
            return None
        return self.links[min(max(table.cursor_row, 0), len(self.links) - 1)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action in ("unlink", "open"):
            return self.selected() is not None
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        link = self.selected()
        if link is not None:
            self.post_message(self.OpenClient(link.related_client_id))

    # Modals answer through callbacks: a worker parked on a modal would hold up everyone
    # who waits for the tab's workers to finish (the profile's loading, tests).

    def action_link(self) -> None:
        def chosen(choice: LinkChoice | None) -> None:
            if choice is not None:
                self._link(*choice)

        self.app.push_screen(LinkClientModal(self.desk, self.client_id), chosen)

    def action_unlink(self) -> None:
        link = self.selected()
        if link is None:
            return

        def answered(sure: bool | None) -> None:
            if sure:
                self._unlink(link)

        self.app.push_screen(
            ConfirmModal("Unlink", f"Unlink {link.related_name} ({link.label})?"), answered
        )

    @work(exclusive=True, group="profile-relationships-write", exit_on_error=False)
    async def _link(self, related_id: int, kind: RelationshipKind) -> None:
        try:
            view = await self.desk.profile.link_client(self.client_id, related_id, kind)
        except Exception as exc:
            self.message(f"Not linked: {describe(exc)}", error=True)
            return
        self.message(f"Linked {view.related_name} ({view.label}).")
        await self.load()
        self._focus_row(str(view.id))
        self.post_changed()

    @work(exclusive=True, group="profile-relationships-write", exit_on_error=False)
    async def _unlink(self, link: RelationshipView) -> None:
        try:
            await self.desk.profile.unlink(self.client_id, link.id)
        except Exception as exc:
            self.message(f"Not unlinked: {describe(exc)}", error=True)
            return
        self.message(f"Unlinked {link.related_name}.")
        await self.load()
        self.post_changed()

    def _focus_row(self, key: str) -> None:
        table = self.query_one(DataTable)
        for index, link in enumerate(self.links):
            if str(link.id) == key:
                table.move_cursor(row=index)
        table.focus()
