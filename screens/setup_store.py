"""Store settings (issue 16, item 1): the business name, currency and locale, "Enable
future product usage", the commission system, the two-person threshold and the idle lock.

The screen shows them; E edits them all in one form (setup). A bad field is refused under
it and nothing is written; a save after another terminal changed them is refused and the
next save is against what is there now; a currency change is refused once amounts are
stored in the old one (the service says why). After a save this terminal uses the new
idle lock at once (`FrontdeskApp.store_changed`); the threshold is read by the two-person
rule on every check. Other terminals read the store when they start.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from frontdesk.domain.commission import CommissionSystem
from frontdesk.domain.errors import StaleVersion, describe
from frontdesk.domain.setup import StoreInput, parse_minutes
from frontdesk.views import StoreView
from screens.setup_base import SetupScreen
from screens.widgets.footer import SteadyFooter
from screens.widgets.form import FormField, FormModal, Values

SAVED = "Saved. This terminal uses the new settings now; others when they next start."


def settings_text(store: StoreView) -> str:
    money = store.money
    system = CommissionSystem(store.commission_system).label
    minutes, seconds = divmod(store.idle_lock_seconds, 60)
    idle = f"{minutes} min" + (f" {seconds} s" if seconds else "")
    return "\n".join(
        (
            f"Business name        {store.business_name}",
            f"Currency, locale     {store.currency}, {store.locale}",
            f"Future product usage {'on' if store.future_product_usage else 'off'}",
            f"Commission system    {system}",
            f"Two-person threshold {money.format(store.approval_threshold)}",
            f"Idle lock            {idle}",
        )
    )


def store_fields(store: StoreView) -> tuple[FormField, ...]:
    money = store.money
    return (
        FormField("business_name", "Business name", store.business_name),
        FormField("currency", "Currency (ISO code)", store.currency),
        FormField("locale", "Locale", store.locale, placeholder="e.g. en_GB"),
        FormField(
            "future_product_usage",
            "Enable future product usage",
            store.future_product_usage,
            kind="check",
        ),
        FormField(
            "commission_system",
            "Commission system",
            store.commission_system,
            kind="choice",
            choices=tuple((c.value, c.label) for c in CommissionSystem),
        ),
        FormField(
            "approval_threshold",
            f"Two-person threshold ({store.currency})",
            money.for_input(store.approval_threshold),
        ),
        FormField(
            "idle_lock_minutes",
            "Idle lock (minutes, 1-240)",
            str(max(1, store.idle_lock_seconds // 60)),
        ),
    )


def read_store(values: Values, store: StoreView) -> StoreInput:
    """The form as a `StoreInput`; a field that does not parse is refused at it."""
    threshold = store.money.parse(
        str(values["approval_threshold"]), field="approval_threshold", allow_zero=True
    )
    return StoreInput(
        business_name=str(values["business_name"]),
        currency=str(values["currency"]),
        locale=str(values["locale"]),
        future_product_usage=bool(values["future_product_usage"]),
        commission_system=CommissionSystem(str(values["commission_system"]) or "single"),
        approval_threshold=threshold,
        idle_lock_minutes=parse_minutes(str(values["idle_lock_minutes"])),
    )


class StoreSettingsScreen(SetupScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="store.back"),
        Binding("e", "edit", "Edit", id="store.edit", tooltip="Edit the store settings"),
    ]
    CHANGES = frozenset({"edit"})

    store: StoreView | None = None

    def compose(self) -> ComposeResult:
        yield self.desk_header(self.clock)
        yield Static(Content("Store settings"), classes="setup-title")
        yield Static(id="store-settings")
        yield Static(classes="setup-message")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#store-settings", Static).loading = True
        self.load()

    @work(exclusive=True, group="store-load", exit_on_error=False)
    async def load(self) -> None:
        shown = self.query_one("#store-settings", Static)
        try:
            self.store = await self.desk.catalog.store()
            await self.learn_permission()
        except Exception as exc:
            self.set_message(f"Could not load the store settings: {describe(exc)}")
            return
        finally:
            shown.loading = False
        shown.update(Content(settings_text(self.store)))

    def settings_shown(self) -> str:
        return str(self.query_one("#store-settings", Static).render())

    def action_edit(self) -> None:
        if self.store is None:
            return
        read = self.store

        async def submit(values: Values) -> StoreView:
            try:
                return await self.desk.store_setup.save_store(
                    read_store(values, read), expected_version=version[0]
                )
            except StaleVersion:  # the next save is against what is there now
                version[0] = (await self.desk.catalog.store()).version
                raise

        version = [read.version]
        form: FormModal[StoreView] = FormModal(
            "Store settings", store_fields(read), submit, id="store-form"
        )
        self.open_form(form, self.saved)

    def saved(self, store: Any) -> None:
        assert isinstance(store, StoreView)
        self.store = store
        self.query_one("#store-settings", Static).update(Content(settings_text(store)))
        self.set_message(SAVED)
        changed = getattr(self.app, "store_changed", None)
        if callable(changed):
            changed(store)
