"""Select add-ons: use a client's banked units (CLIENT OWNS) and buy new ones (BUY NEW).

The Use/Buy rule is the domain's (`frontdesk.domain.addons`): products the service needs
are pre-selected with `open_split`, typing Use goes through `type_use`, typing Buy through
`type_buy`, and after a `Conflict` (another terminal used units first) every row is re-fit
with `with_owned`. This screen only parses what staff type and shows the result.

Nothing is written until "Add to service" (ctrl+s), which calls the service once; Esc
writes nothing. "Buy more" is its own use case (a quantity, then `buy_more`).

Every save passes the appointment's version the picker read. If another terminal changed
the appointment's add-ons since (`StaleVersion`), the picker says who and when, and
reloads its lines from what was saved there: the quantities typed here are replaced.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Static

import styles
from frontdesk.domain.addons import (
    AddonSplit,
    open_split,
    step,
    type_buy,
    type_use,
    with_owned,
)
from frontdesk.domain.errors import Conflict, StaleVersion, ValidationError, describe
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.parsing import parse_quantity
from frontdesk.domain.write_keys import new_key
from frontdesk.services.desk import Desk
from frontdesk.views import AppointmentView
from frontdesk.views.addons import AddonPicker, AddonResult, AddonSelection, PickerProduct
from frontdesk.views.changes import ADDONS, BALANCES, Change
from screens.addon_panes import fill_panes
from screens.addon_rows import (
    FIELDS,
    QuantityInput,
    RowState,
    SelectionRow,
    totals_line,
)
from screens.addon_saved_lines import buy_more_refusal, buy_more_units, remove_saved_line
from screens.widgets.footer import SteadyFooter
from screens.widgets.live import DataChanged, LiveRefresh

STYLES_DIR = Path(styles.__file__).parent

# After the service's "Changed on <terminal> at <time> — reloaded; check and save again".
LINES_REPLACED = " (the quantities typed here were replaced by the saved lines)"


class AddonPickerScreen(ModalScreen[AddonResult | None]):
    """Dismisses with the service's `AddonResult` after "Add to service", or None (Esc)."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "addon_picker.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="addons.close"),
        Binding("ctrl+s", "add_to_service", "Add to service", id="addons.save"),
        Binding("a", "add_highlighted", "Add", id="addons.add"),
        Binding("b", "buy_more", "Buy more", id="addons.buy_more"),
    ]

    def __init__(self, desk: Desk, appointment_id: int) -> None:
        super().__init__(classes="addon-picker")
        self.desk = desk
        self.appointment_id = appointment_id
        self.picker: AddonPicker | None = None
        self.rows: dict[int, RowState] = {}
        self._saving = False
        # One key per opening of the picker: a second "Add to service" or a retry after a
        # lost answer replays the first, never uses the units twice.
        self.key = new_key()
        # Another terminal used or banked this client's units: CLIENT OWNS follows.
        self.live = LiveRefresh(
            self,
            self._changed,
            BALANCES | {ADDONS},
            lambda: self.picker.client_id if self.picker else None,
        )

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog"):
            yield Static(Content("Select add-ons"), id="picker-heading")
            owns: DataTable[Text] = DataTable(
                id="owns-table", cursor_type="row", classes="pane-table"
            )
            new: DataTable[Text] = DataTable(
                id="new-table", cursor_type="row", classes="pane-table"
            )
            with Vertical(id="owns-pane", classes="pane") as pane:
                pane.border_title = "CLIENT OWNS"
                yield owns
                yield Static(id="owns-note", classes="pane-note")
            with Vertical(id="new-pane", classes="pane") as pane:
                pane.border_title = "BUY NEW"
                yield new
                yield Static(id="new-note", classes="pane-note")
            yield Static(Content("SELECTION"), id="selection-heading")
            yield VerticalScroll(id="selection")
            yield Static(id="picker-totals")
            yield Static(id="picker-message")
            with Horizontal(id="picker-buttons"):
                yield Button("Add to service", id="picker-save", variant="primary", compact=True)
                yield Button("Cancel", id="picker-cancel", compact=True)
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        owns = self.query_one("#owns-table", DataTable)
        owns.add_column("Product", key="product")
        owns.add_column("Owned", key="owned")
        owns.add_column("", key="actions")
        new = self.query_one("#new-table", DataTable)
        new.add_column("Product", key="product")
        new.add_column("Price", key="price")
        new.add_column("", key="actions")
        self.query_one("#picker-dialog").loading = True
        self.load(initial=True)

    @property
    def money(self) -> MoneyContext:
        """The store's, as the picker was read with it."""
        assert self.picker is not None, "read with the picker"
        return self.picker.money

    # -- loading -----------------------------------------------------------------

    @work(exclusive=True, group="addon-picker-load", exit_on_error=False)
    async def load(self, initial: bool = False, stale: StaleVersion | None = None) -> None:
        """Read the picker. After `stale` (another terminal saved first), drop what was
        typed here and show the lines as saved, saying who changed them and when."""
        try:
            picker = await self.desk.addons.picker(self.appointment_id)
        except Exception as exc:
            self.query_one("#picker-dialog").loading = False
            self.show_message(f"Could not load add-ons: {describe(exc)}")
            return
        if stale is not None:
            self.rows.clear()
            await self.query_one("#selection", VerticalScroll).remove_children()
        await self.apply(picker, initial=initial or stale is not None)
        self.query_one("#picker-dialog").loading = False
        if stale is not None:
            self.show_message(f"{stale}{LINES_REPLACED}")

    def stale(self, exc: StaleVersion) -> None:
        self.show_message(str(exc))
        self.query_one("#picker-dialog").loading = True
        self.load(stale=exc)

    def saved_here(self, view: AppointmentView) -> None:
        """This terminal's own change moved the appointment on: later saves build on it."""
        if self.picker is not None:
            self.picker = self.picker.model_copy(update={"version": view.version})

    async def apply(self, picker: AddonPicker, *, initial: bool) -> None:
        self.picker = picker
        self.query_one("#picker-heading", Static).update(
            Content(f"Select add-ons — {picker.service_name} for {picker.client_name}")
        )
        fill_panes(self, picker)
        products = self.products()
        if initial:
            await self._initial_rows(picker)
        else:
            for pid, row in self.rows.items():
                fresh = products.get(pid)
                if fresh is None:
                    continue
                row.product = fresh
                row.split = with_owned(row.split, fresh.owned)
                self._row_widget(pid).refresh_row(fields=True)
        self.update_totals()
        if initial:
            self._focus_start()

    def on_data_changed(self, message: DataChanged) -> None:
        self.live.changed(message.change)

    def on_screen_resume(self) -> None:
        self.live.shown()

    def _changed(self, _change: Change) -> None:
        if self.picker is not None and not self._saving:
            self.refresh_owned()

    @work(exclusive=True, group="addon-picker-refresh", exit_on_error=False)
    async def refresh_owned(self) -> None:
        """Read the owned counts again; a row's fields change only when its split must
        (fewer units owned than it uses), so what staff are typing stays."""
        try:
            picker = await self.desk.addons.picker(self.appointment_id)
        except Exception as exc:
            self.show_message(f"Could not refresh add-ons: {describe(exc)}")
            return
        if self._saving:
            return
        if self.picker is not None:
            # The rows on screen still build on the lines this picker first read: another
            # terminal's change to them must refuse the save (StaleVersion), not be taken
            # as seen because the owned counts were read again.
            picker = picker.model_copy(update={"version": self.picker.version})
        self.picker = picker
        fill_panes(self, picker)
        products = self.products()
        for pid, row in self.rows.items():
            fresh = products.get(pid)
            if fresh is None:
                continue
            row.product = fresh
            split = with_owned(row.split, fresh.owned)
            moved = split != row.split
            row.split = split
            self._row_widget(pid).refresh_row(fields=moved)
        self.update_totals()

    def products(self) -> dict[int, PickerProduct]:
        if self.picker is None:
            return {}
        return {p.product_id: p for p in (*self.picker.client_owns, *self.picker.buy_new)}

    async def _initial_rows(self, picker: AddonPicker) -> None:
        """Lines already on the appointment as they are; otherwise the service's defaults."""
        products = self.products()
        rows: list[RowState] = []
        seen: set[int] = set()
        for line in picker.current:
            product = products.get(line.product_id)
            if product is None or line.use_units + line.buy_units == 0:
                continue
            as_saved = AddonSplit(
                owned=max(product.owned, line.use_units), use=line.use_units, buy=line.buy_units
            )
            split = with_owned(as_saved, product.owned)
            rows.append(RowState(product, split, existing=True))
            seen.add(product.product_id)
        for product in products.values():
            if product.default_units > 0 and product.product_id not in seen:
                rows.append(RowState(product, open_split(product.owned, product.default_units)))
        for row in rows:
            await self._add_row(row)

    async def _add_row(self, row: RowState) -> SelectionRow:
        self.rows[row.product.product_id] = row
        widget = SelectionRow(row, self.money)
        await self.query_one("#selection", VerticalScroll).mount(widget)
        return widget

    def _row_widget(self, product_id: int) -> SelectionRow:
        return self.query_one(f"#sel-{product_id}", SelectionRow)

    def _focus_start(self) -> None:
        owns = self.query_one("#owns-table", DataTable)
        new = self.query_one("#new-table", DataTable)
        if owns.display:
            owns.focus()
        elif new.display:
            new.focus()
        else:
            self.query_one("#picker-cancel", Button).focus()

    # -- typing ------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        box = event.input
        if not isinstance(box, QuantityInput):
            return
        event.stop()
        row = self.rows.get(box.product_id)
        if row is None or event.value != box.value:
            # Stale: the field changed again since (keys typed in a burst); its newer
            # Changed is queued. Acting on this one would write an old value over them.
            return
        name = box.field_name
        label = "Use" if name == "use" else "Buy"
        try:
            typed = parse_quantity(event.value, field=name)
        except ValidationError as exc:
            row.errors[name] = f"{label}: {exc}"
            self._row_widget(box.product_id).refresh_row()
            self.update_totals()
            return
        old = row.split
        limit = row.product.max_units_per_line
        try:
            new = type_use(old, typed, limit) if name == "use" else type_buy(old, typed, limit)
        except ValidationError as exc:
            # Over the per-line bound: the row keeps its last good split, nothing is sent.
            row.errors[name] = f"{label}: {exc}"
            self._row_widget(box.product_id).refresh_row()
            self.update_totals()
            return
        row.errors.pop(name, None)
        row.split = new
        widget = self._row_widget(box.product_id)
        # Show what the rule made of it: Use 12 with 10 owned reads back as 10 (+2 Buy).
        if name == "use" and new.use != typed:
            box.set_text(str(new.use))
        if name == "buy" and new.buy != typed:
            box.set_text(str(new.buy))
        if name == "use" and new.buy != old.buy:
            row.errors.pop("buy", None)
            widget.input("buy").set_text(str(new.buy))
        if name == "buy" and new.use != old.use:
            row.errors.pop("use", None)
            widget.input("use").set_text(str(new.use))
        widget.refresh_row()
        self.update_totals()

    def on_quantity_input_stepped(self, event: QuantityInput.Stepped) -> None:
        event.stop()
        box = event.box
        row = self.rows.get(box.product_id)
        if row is None:
            return
        # Step from what the row holds: a half-typed bad value counts as what it was.
        row.errors.clear()
        new = step(row.split, box.field_name, event.delta, row.product.max_units_per_line)
        row.split = new
        widget = self._row_widget(box.product_id)
        for name in FIELDS:
            value = new.use if name == "use" else new.buy
            widget.input(name).set_text(str(value), select=name == box.field_name)
        widget.refresh_row()
        self.update_totals()

    async def on_quantity_input_remove_line(self, event: QuantityInput.RemoveLine) -> None:
        """Drop a line not yet added; a saved one is removed by the service (with a
        reason), which returns the units it used to the client's bank."""
        event.stop()
        row = self.rows.get(event.product_id)
        if row is None or self._saving:
            return
        if not row.existing:
            await self.drop_row(event.product_id)
            return
        saved = self.picker and next(
            (x for x in self.picker.current if x.product_id == event.product_id), None
        )
        if saved:
            self.remove_saved(saved.id, row.product)

    async def drop_row(self, product_id: int) -> None:
        del self.rows[product_id]
        await self._row_widget(product_id).remove()
        self.update_totals()
        self._focus_start()

    @work(exclusive=True, group="addon-picker-remove", exit_on_error=False)
    async def remove_saved(self, addon_id: int, product: PickerProduct) -> None:
        await remove_saved_line(self, addon_id, product)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if isinstance(event.input, QuantityInput):
            event.stop()
            self.focus_next()

    def update_totals(self) -> None:
        self.query_one("#picker-totals", Static).update(
            Content(totals_line(list(self.rows.values()), self.money))
        )
        invalid = any(r.errors for r in self.rows.values())
        self.query_one("#picker-save", Button).disabled = invalid or self._saving

    def show_message(self, message: str) -> None:
        note = self.query_one("#picker-message", Static)
        note.update(Content(message))
        note.set_class(bool(message), "-shown")

    # -- actions -----------------------------------------------------------------

    def _highlighted(self) -> PickerProduct | None:
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            return None
        row_key, _ = focused.coordinate_to_cell_key(focused.cursor_coordinate)
        return self.products().get(int(row_key.value or 0))

    async def action_add_highlighted(self) -> None:
        product = self._highlighted()
        if product is not None:
            await self.add_product(product)

    async def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        product = self.products().get(int(event.row_key.value or 0))
        if product is not None:
            await self.add_product(product)

    async def add_product(self, product: PickerProduct) -> None:
        """Add the product to SELECTION (or go to its row if it is there already)."""
        widget: SelectionRow
        if product.product_id in self.rows:
            widget = self._row_widget(product.product_id)
        else:
            required = product.default_units or 1
            widget = await self._add_row(RowState(product, open_split(product.owned, required)))
            self.update_totals()
        use = widget.input("use")
        target = use if not use.disabled else widget.input("buy")
        target.focus()
        widget.scroll_visible()

    def chosen_selections(self) -> list[AddonSelection]:
        return [
            AddonSelection(
                product_id=pid,
                use=row.split.use,
                buy=row.split.buy,
                expected_owned=row.product.owned,
            )
            for pid, row in self.rows.items()
            if row.existing or row.split.required > 0
        ]

    def action_add_to_service(self) -> None:
        if self._saving or self.picker is None:
            return
        invalid = [r for r in self.rows.values() if r.errors]
        if invalid:
            self.show_message("Fix the highlighted quantities first.")
            self._row_widget(invalid[0].product.product_id).input(
                next(iter(invalid[0].errors))
            ).focus()
            return
        chosen = self.chosen_selections()
        if not chosen:
            self.show_message("Choose at least one add-on: Add a product, then Use or Buy.")
            return
        self._saving = True
        self.update_totals()
        self.save(chosen)

    @work(exclusive=True, group="addon-picker-save", exit_on_error=False)
    async def save(self, chosen: list[AddonSelection]) -> None:
        assert self.picker is not None  # action_add_to_service saves only a loaded picker
        try:
            result = await self.desk.addons.add_to_service(
                self.appointment_id,
                chosen,
                key=self.key,
                expected_version=self.picker.version,
            )
        except StaleVersion as exc:
            self._saving = False
            self.stale(exc)
            return
        except Conflict as exc:
            self.show_message(str(exc))
            self._saving = False
            self.load()
            return
        except Exception as exc:
            self.show_message(describe(exc))
            self._saving = False
            self.update_totals()
            if isinstance(exc, ValidationError) and exc.field in ("use", "buy"):
                self.app.bell()
            return
        self.dismiss(result)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "picker-save":
            self.action_add_to_service()
        elif event.button.id == "picker-cancel":
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_buy_more(self) -> None:
        refusal = buy_more_refusal(self.picker, self._highlighted())
        if refusal is not None:
            self.notify(refusal, title="Buy more", severity="warning")
            return
        product = self._highlighted()
        assert product is not None  # no refusal: a product is highlighted
        self.buy_more(product)

    @work(exclusive=True, group="addon-picker-buy-more", exit_on_error=False)
    async def buy_more(self, product: PickerProduct) -> None:
        await buy_more_units(self, product)
