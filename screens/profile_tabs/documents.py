"""Documents: the client's forms and consents, unsigned first; `n` adds one for the client
to sign, `s` marks one signed."""

from __future__ import annotations

from typing import ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Static

from frontdesk.domain.errors import describe
from frontdesk.views.profile import DOCUMENT_KINDS, DocumentKind, DocumentView
from screens.profile_tabs.activity import cell, day
from screens.profile_tabs.base import ProfileTab
from screens.reason import ConfirmModal
from screens.widgets.form import FormField, FormModal, Values, show_line

KIND_WORDS: dict[DocumentKind, str] = {"form": "Form", "consent": "Consent"}


def status_text(doc: DocumentView) -> str:
    return f"Signed {day(doc.signed_at)}" if doc.signed_at else "Unsigned"


class DocumentsTab(ProfileTab):
    """Forms and consents with their Signed/Unsigned status (in words)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_document", "New", id="profile.documents.new"),
        Binding("s", "mark_signed", "Mark signed", id="profile.documents.sign"),
    ]

    documents: tuple[DocumentView, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="documents-status", classes="tab-status")
        yield DataTable(id="documents-table", cursor_type="row", zebra_stripes=True)
        yield Static(
            Content("No forms or consents for this client."),
            id="documents-empty",
            classes="tab-empty",
        )
        yield Static(id="documents-message", classes="tab-message")
        yield Static(
            Content("n new form or consent · s mark the selected document signed"),
            classes="tab-help",
        )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Document", width=36, key="title")
        table.add_column("Kind", width=8, key="kind")
        table.add_column("Status", width=18, key="status")

    def message(self, text: str, *, error: bool = False) -> None:
        show_line(self.query_one("#documents-message", Static), text, error=error)

    async def load(self) -> None:
        try:
            documents = await self.desk.profile.documents(self.client_id)
        except Exception as exc:
            self.message(f"Could not load the documents: {describe(exc)}", error=True)
            return
        self._show(documents)

    def _show(self, documents: tuple[DocumentView, ...], focus_id: int | None = None) -> None:
        self.documents = documents
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for doc in documents:
            table.add_row(
                cell(doc.title),
                cell(KIND_WORDS.get(doc.kind, doc.kind)),
                cell(status_text(doc)),
                key=str(doc.id),
            )
        if documents:
            ids = [d.id for d in documents]
            target = ids.index(focus_id) if focus_id in ids else row
            table.move_cursor(row=min(max(target, 0), len(documents) - 1))
        table.set_class(not documents, "-empty")  # stays focusable when empty
        self.query_one("#documents-empty", Static).set_class(not documents, "-shown")
        unsigned = sum(1 for d in documents if not d.signed)
        status = (
            f"{len(documents)} document{'' if len(documents) == 1 else 's'} · {unsigned} unsigned"
            if documents
            else ""
        )
        self.query_one("#documents-status", Static).update(Content(status))
        self.refresh_bindings()

    def selected(self) -> DocumentView | None:
        table = self.query_one(DataTable)
        if not self.documents or not table.display:
            return None
        return self.documents[min(max(table.cursor_row, 0), len(self.documents) - 1)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action == "mark_signed":
            return self.selected() is not None
        return True

    def action_mark_signed(self) -> None:
        doc = self.selected()
        if doc is None:
            return
        if doc.signed:
            self.message(f"{doc.title} is already signed ({status_text(doc)}).")
            return

        def answered(sure: bool | None) -> None:
            if sure:
                self._sign(doc)

        self.app.push_screen(
            ConfirmModal("Mark signed", f"Has the client signed “{doc.title}”?"), answered
        )

    def action_new_document(self) -> None:
        form = FormModal(
            "New form or consent",
            [
                FormField("title", "Title", placeholder="e.g. Botox consent"),
                FormField(
                    "kind",
                    "Kind (←→ then Space)",
                    "form",
                    kind="choice",
                    choices=[(k, KIND_WORDS[k]) for k in DOCUMENT_KINDS],
                ),
            ],
            self._add,
            id="documents-form",
        )

        def done(added: DocumentView | None) -> None:
            if added is not None:
                self._added(added)

        self.app.push_screen(form, done)

    async def _add(self, values: Values) -> DocumentView:
        kind = cast(DocumentKind, str(values["kind"]))
        return await self.desk.profile.add_document(self.client_id, str(values["title"]), kind)

    @work(exclusive=True, group="profile-documents-write", exit_on_error=False)
    async def _added(self, added: DocumentView) -> None:
        self.message(f"{added.title} added, unsigned.")
        await self._reload(focus_id=added.id)

    @work(exclusive=True, group="profile-documents-write", exit_on_error=False)
    async def _sign(self, doc: DocumentView) -> None:
        try:
            signed = await self.desk.profile.mark_signed(doc.id)
        except Exception as exc:
            self.message(f"Not marked signed: {describe(exc)}", error=True)
            return
        self.message(f"{signed.title}: {status_text(signed)}.")
        await self._reload(focus_id=signed.id)

    async def _reload(self, *, focus_id: int) -> None:
        try:
            documents = await self.desk.profile.documents(self.client_id)
        except Exception as exc:
            self.message(f"Could not reload the documents: {describe(exc)}", error=True)
            return
        self._show(documents, focus_id=focus_id)
        self.post_changed()
