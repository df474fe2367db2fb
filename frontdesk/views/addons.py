"""Read models for the add-on picker ("Select add-ons" on an appointment).

Frozen pydantic models, like `frontdesk.views`: a screen holding one cannot trigger a lazy
load or a write. Units are whole numbers; money is `Decimal` in the store currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from frontdesk.views import AddonLineView, AppointmentView, InStoreMoney, View


class PickerProduct(View):
    """A product staff can add to the appointment.

    ``owned`` is what the client can *use* on this appointment: their banked units plus
    any this appointment already uses (so re-opening the picker re-splits them), when the
    store banks (future product usage) and the product is usage-tracked; otherwise 0. Send
    it back as ``AddonSelection.expected_owned`` so a change by another terminal is noticed.
    """

    product_id: int
    name: str
    unit_name: str
    unit_price: Decimal
    owned: int
    usage_tracking: bool
    # Units the appointment's service normally needs (0 when the service sets none).
    default_units: int
    # The most units one line may buy (the product's own bound; 999 unless it says).
    max_units_per_line: int = 999


class PickerLine(AddonLineView):
    """An active add-on line, with the units sold to bank on this visit ("Buy more")."""

    bank_units: int = 0


class AddonPicker(InStoreMoney):
    appointment_id: int
    client_id: int
    client_name: str
    service_name: str
    # The store setting "future product usage": off means nothing is banked or used.
    banking_enabled: bool
    # CLIENT OWNS: usage-tracked add-ons the client has units of (empty when banking is off).
    client_owns: tuple[PickerProduct, ...]
    # BUY NEW: every other add-on-eligible product, tracked or not.
    buy_new: tuple[PickerProduct, ...]
    # Lines already on the appointment; adding the same product again edits its line.
    current: tuple[PickerLine, ...]
    # The appointment's version this was read at: send it back as `expected_version`.
    version: int = 1


class AddonResult(View):
    appointment: AppointmentView
    # Units left in the client's bank per product in the selection, after this change
    # (0 for products that aren't banked).
    owned_after: dict[int, int]
    # The first result returned again for the same key: nothing was written this time.
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class AddonSelection:
    """What staff chose for one product in the picker.

    ``expected_owned`` is the ``owned`` the picker showed; it tells a stale picker (another
    terminal used units meanwhile: `Conflict`) from a typing mistake (`ValidationError`).
    """

    product_id: int
    use: int
    buy: int
    expected_owned: int
