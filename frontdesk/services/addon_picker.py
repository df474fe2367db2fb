"""The add-on picker's read: what the client owns, what can be bought, the lines already
on the appointment, and the appointment's version they were read at (sent back on save).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Appointment,
    AppointmentAddon,
    Client,
    Product,
    Service,
    ServiceAddonDefault,
    StoredValueAccount,
)
from frontdesk.domain.errors import NotFound
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.services.catalog import load_store
from frontdesk.views.addons import AddonPicker, PickerLine, PickerProduct


async def owned_by_product(
    session: AsyncSession, client_id: int, product_ids: Sequence[int]
) -> dict[int, StoredValueAccount]:
    """The client's product-unit accounts for `product_ids`, by product."""
    if not product_ids:
        return {}
    stmt = select(StoredValueAccount).where(
        StoredValueAccount.client_id == client_id,
        StoredValueAccount.kind == StoredValueKind.PRODUCT_UNITS.value,
        StoredValueAccount.product_id.in_(product_ids),
    )
    out: dict[int, StoredValueAccount] = {}
    for account in (await session.execute(stmt)).scalars():
        if account.product_id is not None:
            out[account.product_id] = account
    return out


async def read_picker(session: AsyncSession, appointment_id: int) -> AddonPicker:
    """Everything the "Select add-ons" picker shows, split into CLIENT OWNS and BUY NEW,
    with the appointment's version it was read at."""
    store = await load_store(session)
    row = (
        await session.execute(
            select(Appointment, Client.first_name, Client.last_name, Service.name)
            .join(Client, Client.id == Appointment.client_id)
            .join(Service, Service.id == Appointment.service_id)
            .where(Appointment.id == appointment_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"Appointment {appointment_id}")
    appointment, first, last, service_name = row
    products = list(
        (
            await session.execute(
                select(Product)
                .where(Product.addon_eligible.is_(True), Product.active.is_(True))
                .order_by(Product.name, Product.id)
            )
        ).scalars()
    )
    accounts = await owned_by_product(session, appointment.client_id, [p.id for p in products])
    defaults = {
        product_id: units
        for product_id, units in await session.execute(
            select(ServiceAddonDefault.product_id, ServiceAddonDefault.default_units).where(
                ServiceAddonDefault.service_id == appointment.service_id
            )
        )
    }
    lines = (
        await session.execute(
            select(AppointmentAddon, Product.name, Product.unit_name)
            .join(Product, Product.id == AppointmentAddon.product_id)
            .where(
                AppointmentAddon.appointment_id == appointment_id,
                AppointmentAddon.removed_at.is_(None),
            )
            .order_by(AppointmentAddon.id)
        )
    ).all()
    # Units this appointment already uses are the client's to re-split when editing.
    in_use = {line.product_id: line.use_units for line, _, _ in lines if line.use_entry_id}
    owns: list[PickerProduct] = []
    new: list[PickerProduct] = []
    for product in products:
        account = accounts.get(product.id)
        usable = (
            account.balance + in_use.get(product.id, 0)
            if account is not None and store.future_product_usage and product.usage_tracking
            else 0
        )
        item = PickerProduct(
            product_id=product.id,
            name=product.name,
            unit_name=product.unit_name,
            unit_price=from_minor(product.unit_price_minor, store.currency),
            owned=max(usable, 0),
            usage_tracking=product.usage_tracking,
            default_units=defaults.get(product.id, 0),
            max_units_per_line=product.max_units_per_line,
        )
        (owns if usable > 0 else new).append(item)

    current = tuple(
        PickerLine(
            id=line.id,
            product_id=line.product_id,
            product_name=name,
            unit_name=unit_name,
            use_units=line.use_units,
            buy_units=line.buy_units,
            bank_units=line.bank_units,
            unit_price=from_minor(line.unit_price_minor, store.currency),
        )
        for line, name, unit_name in lines
    )
    return AddonPicker(
        appointment_id=appointment.id,
        client_id=appointment.client_id,
        client_name=f"{first} {last}".strip(),
        service_name=service_name,
        banking_enabled=store.future_product_usage,
        client_owns=tuple(owns),
        buy_new=tuple(new),
        current=current,
        version=appointment.version,
        currency=store.currency,
        locale=store.locale,
    )
