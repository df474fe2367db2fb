"""Merge two records of one person (a manager's action, from the client profile).

`MergeClientScreen(desk, keep_id)` asks for the other record (type a name, phone, email
or client number; ↓ and Enter choose), then shows both records, every balance that will
move (and what the kept record's balance becomes), the history that follows, and a
required reason; ctrl+s merges. (Its own search box: the client search screen opens
profiles, so the profile cannot import it without a cycle.) The service checks the
permission (`merge clients`); the profile only greys the key for someone without it.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

import styles
from frontdesk.domain.errors import describe
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.money_context import MoneyContext
from frontdesk.services.desk import Desk
from frontdesk.views import ClientHit, ClientSummary
from frontdesk.views.client_records import MergeMove, MergePreview, MergeResult
from screens.adjust_balance import signed_money

STYLES_DIR = Path(styles.__file__).parent
KEYS = "Type, ↓ Enter: the other record · ctrl+s merge · Esc cancel"
SEARCH_LIMIT = 5


def record_line(label: str, client: ClientSummary) -> str:
    extra = " · ".join(part for part in (client.client_number, client.phone) if part)
    return f"{label} {client.name} · {extra}"


def move_line(move: MergeMove, money: MoneyContext) -> str:
    kind = StoredValueKind(move.kind)
    if kind in (StoredValueKind.ACCOUNT_MONEY, StoredValueKind.WALLET_MONEY):
        amount = signed_money(money.from_minor(move.amount), money)
        after = signed_money(money.from_minor(move.kept_balance_after), money)
    else:
        unit = "units" if kind is StoredValueKind.PRODUCT_UNITS else "visits"
        amount, after = f"{move.amount} {unit}", f"{move.kept_balance_after}"
    return f"  {move.item}: {amount} → kept record {after}"


class MergeClientScreen(ModalScreen[MergeResult | None]):
    """Confirm a merge: what moves, and why (required)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "new_client.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="merge.cancel"),
        Binding("ctrl+s", "merge", "Merge", id="merge.confirm"),
    ]

    def __init__(self, desk: Desk, keep_id: int) -> None:
        super().__init__(classes="new-client merge-client")
        self.desk = desk
        self.keep_id = keep_id
        self.merge_id: int | None = None
        self.hits: tuple[ClientHit, ...] = ()
        self.preview: MergePreview | None = None
        self._merging = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="nc-dialog"):
            yield Static(Content("Merge another record into this client"), classes="nc-title")
            with Horizontal(classes="nc-row"):
                yield Static(Content("Other"), classes="nc-label")
                yield Input(
                    placeholder="name, phone, email or client number",
                    classes="nc-field mc-search",
                    compact=True,
                    max_length=120,
                )
            yield OptionList(classes="nc-duplicates mc-hits", compact=True)
            yield Static(classes="mc-summary")
            with Horizontal(classes="nc-row"):
                yield Static(Content("Reason"), classes="nc-label")
                yield Input(
                    placeholder="required, e.g. same person, booked twice",
                    classes="nc-field mc-reason",
                    compact=True,
                    max_length=200,
                )
            yield Static(classes="nc-error nc-error-reason")
            yield Static(classes="nc-message")
            yield Static(Content(KEYS), classes="nc-keys")

    def on_mount(self) -> None:
        self.query_one(".mc-hits").display = False
        self.query_one(".mc-search", Input).focus()

    # -- the other record ----------------------------------------------------------

    @work(exclusive=True, group="merge-search", exit_on_error=False)
    async def search(self, query: str) -> None:
        try:
            found = await self.desk.clients.search(query, SEARCH_LIMIT + 1)
        except Exception as exc:
            self.show_message(f"Search failed: {describe(exc)}")
            return
        if query != self.query_one(".mc-search", Input).value:
            return  # a newer query owns the list
        self.hits = tuple(h for h in found if h.id != self.keep_id)[:SEARCH_LIMIT]
        shown = self.query_one(".mc-hits", OptionList)
        shown.clear_options()
        shown.add_options(
            Option(Content(f"{h.name} · {h.client_number} · {h.phone} {h.email}"), id=str(h.id))
            for h in self.hits
        )
        if query.strip() and not self.hits:
            shown.add_option(Option(Content("No other record matches"), disabled=True))
        shown.display = bool(query.strip())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        self.merge_id = int(event.option.id)
        self.preview = None
        event.option_list.display = False
        self.query_one(".mc-reason", Input).focus()
        self.query_one(".mc-summary").loading = True
        self.load(self.merge_id)

    @work(exclusive=True, group="merge-load", exit_on_error=False)
    async def load(self, merge_id: int) -> None:
        try:
            preview = await self.desk.client_records.merge_preview(self.keep_id, merge_id)
        except Exception as exc:
            self.show_message(describe(exc))
            return
        finally:
            self.query_one(".mc-summary").loading = False
        if merge_id != self.merge_id:
            return
        self.preview = preview
        self.query_one(".mc-summary", Static).update(Content(summary_text(preview)))

    def show_message(self, message: str) -> None:
        note = self.query_one(".nc-message", Static)
        note.update(Content(message))
        note.set_class(bool(message), "-shown")

    def set_error(self, message: str) -> None:
        note = self.query_one(".nc-error-reason", Static)
        note.update(Content(message))
        note.set_class(bool(message), "-shown")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.has_class("mc-search"):
            self.search(event.value)
        else:
            self.set_error("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.has_class("mc-search"):
            hits = self.query_one(".mc-hits", OptionList)
            if self.hits:
                hits.highlighted = 0
                hits.focus()
            return
        self.action_merge()

    def action_merge(self) -> None:
        if self._merging:
            return
        if self.preview is None or self.merge_id is None:
            self.show_message("Choose the other record first: type, ↓ and Enter")
            return
        self.show_message("")
        self._merging = True
        self.merge(self.merge_id, self.query_one(".mc-reason", Input).value)

    @work(exclusive=True, group="merge-write", exit_on_error=False)
    async def merge(self, merge_id: int, reason: str) -> None:
        try:
            result = await self.desk.client_records.merge(self.keep_id, merge_id, reason)
        except Exception as exc:
            if getattr(exc, "field", None) == "reason":
                self.set_error(describe(exc))
            else:
                self.show_message(describe(exc))
            return
        finally:
            self._merging = False
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


def summary_text(preview: MergePreview) -> str:
    money = preview.keep.money
    lines = [
        record_line("Keep: ", preview.keep),
        record_line("Merge:", preview.merge),
        "",
        "Moves to the kept record:" if preview.moves else "No balances to move.",
        *(move_line(m, money) for m in preview.moves),
        f"History: {preview.appointments} appointments, {preview.tickets} tickets and "
        f"{preview.reward_points} reward points move too.",
        "The merged record leaves search; each balance moves by a pair of ledger entries.",
    ]
    return "\n".join(lines)
