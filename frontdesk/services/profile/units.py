"""Banked units' history (Account › Service Add-ons, and unit use in Activity).

Each product's entries are said in words, from what the ledger entry records: its reason,
the ticket it belongs to, the appointment it was used on and the entry it reverses.
Nothing is stored twice: the appointment is named from the appointment row, so a use
reads "Used on Botox — Anti-wrinkle, 23 Nov 2025 10:00" whatever the entry's own text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Appointment, LedgerEntry, Product, Service, StoredValueAccount
from frontdesk.domain.errors import NotFound
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.profile.lookups import check_page, load_client
from frontdesk.services.stored_value import entry_views
from frontdesk.views.balances import EntryView
from frontdesk.views.profile import (
    BankedProductView,
    UnitEntryView,
    UnitEvent,
    UnitHistoryPage,
)

UNDOING = frozenset({Reason.REVERSAL.value, Reason.REFUND.value})


async def appointment_names(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, str]:
    """ "Botox — Anti-wrinkle, 23 Nov 2025 10:00" per appointment (its wall-clock time)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(
        select(Appointment.id, Service.name, Appointment.starts_at)
        .join(Service, Service.id == Appointment.service_id)
        .where(Appointment.id.in_(wanted))
    )
    return {i: f"{name}, {starts:%d %b %Y %H:%M}" for i, name, starts in rows.all()}


def unit_words(entry: EntryView, appointments: dict[int, str]) -> tuple[UnitEvent, str]:
    """What happened, in words, for one entry of a product account."""
    appt = appointments.get(entry.appointment_id or 0)
    ticket = f"ticket #{entry.ticket_id}" if entry.ticket_id is not None else ""
    reason = entry.reason
    event: UnitEvent
    if reason == Reason.USE.value:
        # Without an appointment (imported history) the entry's own words are all there is.
        event, text = "used", f"Used on {appt}" if appt else (entry.description or "Used")
    elif reason in UNDOING and appt and entry.amount > 0:
        event, text = "returned", f"Returned from {appt}"
        if reason == Reason.REFUND.value and ticket:
            text += f" (refund of {ticket})"
    elif reason in UNDOING:
        event, text = "reversed", f"Reversed: {entry.description.removeprefix('Reversal: ')}"
    elif reason in (Reason.SALE.value, Reason.BANK.value) and ticket:
        event, text = "bought", f"Bought on {ticket}"
    elif reason == Reason.SALE.value:
        event, text = "bought", f"Bought: {entry.description}"
    elif reason == Reason.BANK.value:
        event, text = "banked", f"Banked: {entry.description}"
    else:
        event, text = "adjusted", f"Adjusted: {entry.description}"
    if entry.reversed_by_id is not None:
        text += " — since returned" if event == "used" else " — since reversed"
    return event, text


async def worded(session: AsyncSession, entries: Sequence[EntryView]) -> list[UnitEntryView]:
    names = await appointment_names(session, (e.appointment_id for e in entries))
    out: list[UnitEntryView] = []
    for entry in entries:
        event, text = unit_words(entry, names)
        out.append(UnitEntryView(**entry.model_dump(), event=event, text=text))
    return out


class UnitHistoryCases(Area):
    """Account › Service Add-ons: the products a client banks and each one's entries."""

    async def banked_products(self, client_id: int) -> tuple[BankedProductView, ...]:
        """Every product the client has an account for, even at 0 (its history stays)."""
        async with self.ctx.read() as session:
            await load_client(session, client_id)
            counts = (
                select(LedgerEntry.account_id, func.count().label("n"))
                .group_by(LedgerEntry.account_id)
                .subquery()
            )
            rows = await session.execute(
                select(StoredValueAccount, Product, func.coalesce(counts.c.n, 0))
                .join(Product, Product.id == StoredValueAccount.product_id)
                .outerjoin(counts, counts.c.account_id == StoredValueAccount.id)
                .where(
                    StoredValueAccount.client_id == client_id,
                    StoredValueAccount.kind == StoredValueKind.PRODUCT_UNITS.value,
                )
                .order_by(Product.name, Product.id)
            )
            return tuple(
                BankedProductView(
                    account_id=account.id,
                    product_id=product.id,
                    product_name=product.name,
                    unit_name=product.unit_name,
                    units=account.balance,
                    entries=int(n),
                )
                for account, product, n in rows.all()
            )

    async def unit_history(
        self, client_id: int, product_id: int, *, offset: int = 0, limit: int = 50
    ) -> UnitHistoryPage:
        """One product's entries for the client, newest first, paged in the database."""
        offset, limit = check_page(offset, limit)
        async with self.ctx.read() as session:
            await load_client(session, client_id)
            product = await session.get(Product, product_id)
            if product is None:
                raise NotFound(f"Product {product_id}")
            account = await session.scalar(
                select(StoredValueAccount).where(
                    StoredValueAccount.client_id == client_id,
                    StoredValueAccount.kind == StoredValueKind.PRODUCT_UNITS.value,
                    StoredValueAccount.product_id == product_id,
                )
            )
            entries: list[UnitEntryView] = []
            total = 0
            if account is not None:
                where: list[object] = [LedgerEntry.account_id == account.id]
                total = int(
                    await session.scalar(
                        select(func.count())
                        .select_from(LedgerEntry)
                        .where(LedgerEntry.account_id == account.id)
                    )
                    or 0
                )
                currency = (await load_store(session)).currency
                views = await entry_views(session, where, currency, offset=offset, limit=limit)
                entries = await worded(session, views)
            return UnitHistoryPage(
                entries=tuple(entries),
                total=total,
                offset=offset,
                limit=limit,
                product_id=product.id,
                product_name=product.name,
                unit_name=product.unit_name,
                units=account.balance if account is not None else 0,
            )
