"""Contact History: calls, emails and SMS with the client, newest first, 50 a page.

`c` logs a contact (channel and note); the selected row's whole note shows under the list.
"""

from __future__ import annotations

from typing import ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Static

from frontdesk.domain.errors import describe
from frontdesk.views.profile import CONTACT_CHANNELS, ContactChannel, ContactPage, ContactView
from screens.profile_tabs.activity import (
    PAGE_SIZE,
    cell,
    when,
)
from screens.profile_tabs.paging import PagedTab, page_label
from screens.widgets.form import FormField, FormModal, Values, show_line

CHANNEL_WORDS: dict[ContactChannel, str] = {"call": "Call", "email": "Email", "sms": "SMS"}


class ContactTab(PagedTab):
    """What was said to the client, when, by whom."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "log_contact", "Log contact", id="profile.contact.log"),
        Binding("pagedown", "next_page", "Next 50", id="profile.contact.next", priority=True),
        Binding("pageup", "prev_page", "Previous 50", id="profile.contact.prev", priority=True),
    ]

    page: ContactPage | None = None
    page_offset = 0

    def compose(self) -> ComposeResult:
        yield Static(id="contact-status", classes="tab-status")
        yield DataTable(id="contact-table", cursor_type="row", zebra_stripes=True)
        yield Static(
            Content("No calls, emails or SMS logged yet. Press c to log one."),
            id="contact-empty",
            classes="tab-empty",
        )
        yield Static(id="contact-detail", classes="tab-detail")
        yield Static(id="contact-message", classes="tab-message")
        yield Static(Content("c log a contact · PgDn/PgUp page"), classes="tab-help")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("When", width=17, key="when")
        table.add_column("Channel", width=7, key="channel")
        table.add_column("Staff", width=12, key="staff")
        table.add_column("Note", width=30, key="note")

    def message(self, text: str, *, error: bool = False) -> None:
        show_line(self.query_one("#contact-message", Static), text, error=error)

    async def load(self) -> None:
        await self._fetch(self.page_offset)

    async def _fetch(self, offset: int) -> None:
        try:
            page = await self.desk.profile.contact_history(self.client_id, offset, PAGE_SIZE)
            if not page.items and page.total and offset:
                last = max((page.total - 1) // PAGE_SIZE * PAGE_SIZE, 0)
                page = await self.desk.profile.contact_history(self.client_id, last, PAGE_SIZE)
        except Exception as exc:
            self.message(f"Could not load the contact history: {describe(exc)}", error=True)
            return
        self.page = page
        self.page_offset = page.offset
        self._show(page)
        self.refresh_bindings()

    def _show(self, page: ContactPage) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for item in page.items:
            table.add_row(
                cell(when(item.created_at)),
                cell(CHANNEL_WORDS.get(item.channel, item.channel)),
                cell(item.staff_name or "—"),
                cell(item.note),
                key=str(item.id),
            )
        empty = page.total == 0
        table.set_class(empty, "-empty")  # stays focusable: its keys work when empty
        self.query_one("#contact-empty", Static).set_class(empty, "-shown")
        if empty:
            status = ""
        else:
            status = page_label(page.offset, len(page.items), page.total) + " · newest first"
        self.query_one("#contact-status", Static).update(Content(status))
        self._show_detail(page.items[0] if page.items else None)

    def _show_detail(self, item: ContactView | None) -> None:
        detail = self.query_one("#contact-detail", Static)
        detail.update(Content(" ".join(item.note.split()) if item else ""))
        detail.display = item is not None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        page = self.page
        if page is None:
            return
        key = event.row_key.value
        self._show_detail(next((i for i in page.items if str(i.id) == key), None))

    # -- paging --------------------------------------------------------------------

    # -- logging a contact -----------------------------------------------------------

    def action_log_contact(self) -> None:
        form = FormModal(
            "Log a contact",
            [
                FormField(
                    "channel",
                    "Channel (←→ then Space)",
                    "call",
                    kind="choice",
                    choices=[(c, CHANNEL_WORDS[c]) for c in CONTACT_CHANNELS],
                ),
                FormField("note", "Note", kind="text"),
            ],
            self._submit,
            id="contact-form",
        )

        def done(logged: ContactView | None) -> None:
            if logged is not None:
                self._logged(logged)

        self.app.push_screen(form, done)

    async def _submit(self, values: Values) -> ContactView:
        channel = cast(ContactChannel, str(values["channel"]))
        return await self.desk.profile.log_contact(self.client_id, channel, str(values["note"]))

    @work(exclusive=True, group="profile-contact-write", exit_on_error=False)
    async def _logged(self, logged: ContactView) -> None:
        self.message(f"{CHANNEL_WORDS[logged.channel]} logged.")
        await self._fetch(0)
        self.query_one(DataTable).focus()
        self.post_changed()
