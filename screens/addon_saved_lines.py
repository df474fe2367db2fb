"""What the add-on picker does to lines already saved on the appointment: take one off
(its used units go back to the bank) and buy more units to bank with this visit. Each
sends the appointment's version as the picker read it: another terminal's change first
is refused (StaleVersion) and the picker reloads."""

from __future__ import annotations

from typing import Any, Protocol

from textual.app import App

from frontdesk.domain.errors import StaleVersion, describe
from frontdesk.services.desk import Desk
from frontdesk.views import AppointmentView
from frontdesk.views.addons import AddonPicker, PickerProduct
from screens.addon_panes import BANKING_OFF
from screens.addon_rows import units
from screens.reason import QuantityModal, ReasonModal


class PickerHost(Protocol):
    """What these actions need of the picker screen (a Protocol: no import, no cycle)."""

    desk: Desk
    appointment_id: int
    picker: AddonPicker | None

    @property
    def app(self) -> App[Any]: ...

    def notify(self, message: str, *, title: str = "", severity: Any = "information") -> None: ...

    def show_message(self, message: str) -> None: ...

    def stale(self, exc: StaleVersion) -> None: ...

    def saved_here(self, view: AppointmentView) -> None: ...

    async def drop_row(self, product_id: int) -> None: ...

    def load(self) -> object: ...


def buy_more_refusal(picker: AddonPicker | None, product: PickerProduct | None) -> str | None:
    """Why "Buy more" can't start here, or None when it can."""
    if product is None:
        return "Highlight a product in CLIENT OWNS first."
    if picker is None or not picker.banking_enabled:
        return BANKING_OFF
    if not product.usage_tracking:
        return f"{product.name} isn't usage-tracked, so it can't be banked."
    return None


async def remove_saved_line(screen: PickerHost, addon_id: int, product: PickerProduct) -> None:
    reason = await screen.app.push_screen_wait(
        ReasonModal(f"Remove {product.name}", "Why is it coming off? (required)")
    )
    if reason is None:
        return
    assert screen.picker is not None  # a saved line was read with the picker
    try:
        view = await screen.desk.addons.remove(
            addon_id, reason, expected_version=screen.picker.version
        )
    except StaleVersion as exc:
        screen.stale(exc)
        return
    except Exception as exc:
        screen.show_message(describe(exc))
        return
    screen.saved_here(view)
    await screen.drop_row(product.product_id)
    screen.show_message(f"{product.name} removed; any units it used are back in the bank.")
    screen.load()


async def buy_more_units(screen: PickerHost, product: PickerProduct) -> None:
    count = await screen.app.push_screen_wait(
        QuantityModal(
            f"Buy more {product.name}",
            f"{product.unit_name.capitalize()}s to bank (paid with this visit)",
            maximum=product.max_units_per_line,
        )
    )
    if count is None:
        return
    assert screen.picker is not None  # "Buy more" asks only with a loaded picker
    try:
        view = await screen.desk.addons.buy_more(
            screen.appointment_id,
            product.product_id,
            count,
            expected_version=screen.picker.version,
        )
    except StaleVersion as exc:
        screen.stale(exc)
        return
    except Exception as exc:
        screen.show_message(describe(exc))
        return
    screen.saved_here(view)
    screen.notify(
        f"{units(count, f'{product.name} {product.unit_name}')} will be banked "
        "when the visit is paid",
        title="Buy more",
    )
    screen.load()
