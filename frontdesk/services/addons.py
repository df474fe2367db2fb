"""Add-ons on an appointment: Use banked units, Buy new ones, Buy more to bank.

* **Use** units come out of the client's bank now, as a ledger debit on their product
  account tied to the appointment (reason "use"). Removing the line or cancelling the
  appointment gives them back by a reversal entry.
* **Buy** units are sold with the visit: charged at checkout and consumed on the
  appointment, never banked.
* **Buy more** units are sold on the visit's ticket to be banked; checkout banks them.

Banking (and so Use and Buy more) needs both the store setting "future product usage" and
the product's "usage tracking". `add_to_service` re-reads what the client owns under the
account lock: if another terminal used units after the picker opened, it refuses with a
`Conflict` carrying the fresh count and writes nothing.

The lines change only through their appointment, under its row lock, and every change
bumps the appointment's `version`: a save from a picker read at an older version
(`expected_version`) is refused with `StaleVersion` naming the terminal that changed it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db import ledger
from frontdesk.db.ledger import Actor, Head, Locked
from frontdesk.db.tables import (
    Appointment,
    AppointmentAddon,
    LedgerEntry,
    Product,
    Service,
    StoredValueAccount,
)
from frontdesk.domain.addons import check_line_buy
from frontdesk.domain.errors import Conflict, NotFound, ValidationError
from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.ledger_hash import GENESIS
from frontdesk.domain.parsing import clean_description
from frontdesk.services.addon_picker import read_picker
from frontdesk.services.appointments import (
    OPEN,
    clip,
    lock_appointment,
    return_used_units,
    view_in,
    when_text,
)
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.versions import save_checked
from frontdesk.services.write_keys import real_outcome
from frontdesk.views import AppointmentView, StoreView
from frontdesk.views.addons import (
    AddonPicker,
    AddonResult,
    AddonSelection,
)

# More units than any one visit could sensibly need: a typo guard, not a business rule.
MAX_UNITS = 100_000


def units_text(count: int, unit_name: str) -> str:
    if count == 1 or unit_name.endswith("s"):
        return f"{count} {unit_name}"
    return f"{count} {unit_name}s"


def _closed(status: str) -> ValidationError:
    return ValidationError(
        "status", f"Add-ons can't be changed on a {status.replace('_', '-')} appointment"
    )


async def _active_lines(session: AsyncSession, appointment_id: int) -> list[AppointmentAddon]:
    stmt = (
        select(AppointmentAddon)
        .where(
            AppointmentAddon.appointment_id == appointment_id,
            AppointmentAddon.removed_at.is_(None),
        )
        .order_by(AppointmentAddon.id)
    )
    return list((await session.execute(stmt)).scalars())


def _check_selection(selections: Sequence[AddonSelection]) -> None:
    if not selections:
        raise ValidationError("selections", "Choose at least one add-on")
    seen: set[int] = set()
    for s in selections:
        if s.product_id in seen:
            raise ValidationError("selections", "Each product can be added once")
        seen.add(s.product_id)
        for field, value in (("use", s.use), ("buy", s.buy)):
            if value < 0:
                raise ValidationError(field, f"{field.capitalize()} must not be negative")
            if value > MAX_UNITS:
                raise ValidationError(field, f"{field.capitalize()} must be at most {MAX_UNITS}")
        if s.use + s.buy == 0:
            raise ValidationError("use", "Enter the units to use or buy")


async def _offered_products(
    session: AsyncSession, store: StoreView, ordered: Sequence[AddonSelection]
) -> dict[int, Product]:
    """The selected products, each checked to be offered and usable the way it is asked."""
    product_ids = [s.product_id for s in ordered]
    products = {
        p.id: p
        for p in (
            await session.execute(select(Product).where(Product.id.in_(product_ids)))
        ).scalars()
    }
    for s in ordered:
        product = products.get(s.product_id)
        if product is None:
            raise NotFound(f"Product {s.product_id}")
        if not (product.active and product.addon_eligible):
            raise ValidationError("product_id", f"{product.name} isn't offered as an add-on")
        check_line_buy(s.buy, product.max_units_per_line)
        if s.use and not store.future_product_usage:
            raise ValidationError(
                "use",
                "Banked products are off for this store (future product usage), "
                "so units can't be used from a bank; sell them with Buy instead",
            )
        if s.use and not product.usage_tracking:
            raise ValidationError(
                "use",
                f"{product.name} isn't usage-tracked, so it can't be used from a bank; "
                "sell it with Buy instead",
            )
    return products


@dataclass(frozen=True)
class _Replaced:
    """Lines being replaced (by product) and the units their use entries will give back
    first (by account). The entries themselves are held so that reversing them finds them
    in the session instead of reading each one again."""

    lines: dict[int, AppointmentAddon]
    use: dict[int, int]
    entries: list[LedgerEntry]


async def _lines_replaced(
    session: AsyncSession, appointment_id: int, products: dict[int, Product]
) -> _Replaced:
    old_lines = {
        line.product_id: line
        for line in await _active_lines(session, appointment_id)
        if line.product_id in products
    }
    old_entry_ids = [
        line.use_entry_id for line in old_lines.values() if line.use_entry_id is not None
    ]
    entries: list[LedgerEntry] = []
    if old_entry_ids:
        entries = list(
            (
                await session.execute(select(LedgerEntry).where(LedgerEntry.id.in_(old_entry_ids)))
            ).scalars()
        )
    return _Replaced(old_lines, {e.account_id: -e.amount for e in entries}, entries)


async def _lock_product_accounts(
    session: AsyncSession, client_id: int, product_ids: Sequence[int]
) -> dict[int, Locked]:
    """The client's unit accounts for these products, by product, locked in id order with
    their heads: what they own and what a posting needs, in one statement (issue 19).
    None is made here: a product the client never banked has nothing to use."""
    stmt = (
        select(
            StoredValueAccount.id,
            StoredValueAccount.product_id,
            StoredValueAccount.balance,
            StoredValueAccount.last_hash,
        )
        .where(
            StoredValueAccount.client_id == client_id,
            StoredValueAccount.kind == StoredValueKind.PRODUCT_UNITS.value,
            StoredValueAccount.product_id.in_(product_ids),
        )
        .order_by(StoredValueAccount.id)
        .with_for_update()
    )
    return {
        r.product_id: Locked(r.id, Head(r.balance, r.last_hash or GENESIS))
        for r in (await session.execute(stmt)).all()
        if r.product_id is not None
    }


def _usable(account: Locked | None, old_use: dict[int, int]) -> int:
    """Units the client can use: the locked balance plus what the replaced line gives back."""
    if account is None:
        return 0
    return account.head.balance + old_use.get(account.id, 0)


def _check_owned(s: AddonSelection, owned: int, product: Product) -> None:
    if s.use == 0 or s.use <= owned:
        return
    left = units_text(owned, f"{product.name} {product.unit_name}")
    if s.use <= s.expected_owned:
        raise Conflict(
            f"Only {left} left — another terminal used some. The picker has been refreshed.",
            owned=owned,
        )
    raise ValidationError("use", f"The client owns only {left}; buy the rest")


async def _replace_line(
    session: AsyncSession,
    actor: Actor,
    appointment: Appointment,
    s: AddonSelection,
    product: Product,
    old: AppointmentAddon | None,
    accounts: dict[int, Locked],
    heads: dict[int, Head],
    *,
    used_on: str,
    now: dt.datetime,
) -> None:
    """Give back the old line's use and retire it (keeping its units to bank), then add
    the new line with its use debited from the bank. `heads` are the accounts' heads as
    this transaction left them, kept current here, so the debit reads nothing again."""
    bank_units = 0
    if old is not None:
        if old.use_entry_id is not None:
            returned = await ledger.reverse(
                session,
                old.use_entry_id,
                description=clip(
                    f"Returned {product.name}: add-on changed on {when_text(appointment.starts_at)}"
                ),
                actor=actor,
            )
            heads[returned.account_id] = Head(returned.balance_after, returned.entry_hash)
        old.removed_at = now
        bank_units = old.bank_units
    entry_id: int | None = None
    if s.use:
        account_id = accounts[s.product_id].id
        entry = await ledger.post(
            session,
            account_id,
            -s.use,
            reason=Reason.USE.value,
            description=used_on,
            actor=actor,
            appointment_id=appointment.id,
            head=heads[account_id],
        )
        heads[account_id] = Head(entry.balance_after, entry.entry_hash)
        entry_id = entry.id
    session.add(
        AppointmentAddon(
            appointment_id=appointment.id,
            product_id=s.product_id,
            use_units=s.use,
            buy_units=s.buy,
            bank_units=bank_units,
            unit_price_minor=product.unit_price_minor,
            use_entry_id=entry_id,
            created_at=now,
        )
    )


class Addons(Area):
    """The add-on picker: what a visit uses from the bank or buys, and buying more."""

    async def picker(self, appointment_id: int) -> AddonPicker:
        """Everything the "Select add-ons" picker shows (`read_picker`)."""
        async with self.ctx.read() as session:
            return await read_picker(session, appointment_id)

    @real_outcome(AddonResult)
    async def add_to_service(
        self,
        appointment_id: int,
        selections: Sequence[AddonSelection],
        *,
        key: str,
        expected_version: int | None = None,
    ) -> AddonResult:
        """Add to service: Use units become a debit on the client's bank tied to this
        appointment, Buy units a line charged at checkout. A product already on the appointment
        has its line replaced (old use reversed first), so re-opening the picker edits.

        All or nothing, in one transaction under the account locks. ``expected_version``
        is the picker's `AddonPicker.version`: a stale one is refused (`StaleVersion`). The
        same `key` again (a double submit, a retry) returns the first result (replayed) and
        writes nothing, even though the first save moved the version on.
        """
        _check_selection(selections)
        ordered = sorted(selections, key=lambda s: s.product_id)
        async with self.ctx.transaction() as session:
            # The request is what is added, not the counts the picker last showed.
            selected = [(s.product_id, s.use, s.buy) for s in ordered]
            claim = await self.claim(
                session, key, "addons.add", appointment=appointment_id, add=selected
            )
            if (first := claim.replay(AddonResult)) is not None:
                return first
            appointment = await lock_appointment(session, appointment_id)
            save_checked(appointment, self.ctx.actor, expected_version)
            if appointment.status not in OPEN:
                raise _closed(appointment.status)
            store = await load_store(session)
            service = await session.get(Service, appointment.service_id)
            assert service is not None  # foreign key
            product_ids = [s.product_id for s in ordered]
            products = await _offered_products(session, store, ordered)
            old = await _lines_replaced(session, appointment_id, products)
            # The fresh truth, read under the lock other terminals must also take.
            accounts = await _lock_product_accounts(session, appointment.client_id, product_ids)
            heads = {a.id: a.head for a in accounts.values()}
            for s in ordered:
                owned = _usable(accounts.get(s.product_id), old.use)
                _check_owned(s, owned, products[s.product_id])

            now = dt.datetime.now(dt.UTC)
            used_on = clip(f"Used on {service.name} {when_text(appointment.starts_at)}")
            for s in ordered:
                await _replace_line(
                    session,
                    self.ctx.actor,
                    appointment,
                    s,
                    products[s.product_id],
                    old.lines.get(s.product_id),
                    accounts,
                    heads,
                    used_on=used_on,
                    now=now,
                )
            await session.flush()

            owned_after: dict[int, int] = {}
            for s in ordered:
                product = products[s.product_id]
                account = accounts.get(s.product_id)
                banked = store.future_product_usage and product.usage_tracking
                owned_after[s.product_id] = (
                    heads[account.id].balance if account is not None and banked else 0
                )
            result = AddonResult(
                appointment=await view_in(session, appointment_id), owned_after=owned_after
            )
            return await claim.done(session, result)

    async def remove(
        self, addon_id: int, reason: str, *, expected_version: int | None = None
    ) -> AppointmentView:
        """Take one add-on line off its appointment; used units go back by a reversal entry.
        ``expected_version`` is the appointment's, as the screen read it."""
        cleaned = clean_description(reason, field="reason")
        async with self.ctx.transaction() as session:
            line = await session.get(AppointmentAddon, addon_id)
            if line is None:
                raise NotFound(f"Add-on {addon_id}")
            appointment = await lock_appointment(session, line.appointment_id)
            save_checked(appointment, self.ctx.actor, expected_version)
            if appointment.status not in OPEN:
                raise _closed(appointment.status)
            removed = await return_used_units(
                session,
                appointment.id,
                why=f"add-on removed from {when_text(appointment.starts_at)} — {cleaned}",
                actor=self.ctx.actor,
                addon_ids=[addon_id],
            )
            if not removed:
                raise Conflict("This add-on has already been removed (perhaps on another terminal)")
            return await view_in(session, appointment.id)

    async def buy_more(
        self,
        appointment_id: int,
        product_id: int,
        units: int,
        *,
        expected_version: int | None = None,
    ) -> AppointmentView:
        """Sell ``units`` more of a banked product on this visit's ticket; checkout banks them.
        ``expected_version`` is the appointment's, as the screen read it."""
        if units < 1:
            raise ValidationError("units", "Buy at least 1 unit")
        if units > MAX_UNITS:
            raise ValidationError("units", f"Buy at most {MAX_UNITS} units at once")
        async with self.ctx.transaction() as session:
            appointment = await lock_appointment(session, appointment_id)
            save_checked(appointment, self.ctx.actor, expected_version)
            if appointment.status not in OPEN:
                raise _closed(appointment.status)
            store = await load_store(session)
            product = await session.get(Product, product_id)
            if product is None:
                raise NotFound(f"Product {product_id}")
            if not store.future_product_usage:
                raise ValidationError(
                    "product_id",
                    "Banked products are off for this store (future product usage), "
                    "so units can't be bought to bank",
                )
            if not product.usage_tracking:
                raise ValidationError(
                    "product_id",
                    f"{product.name} isn't usage-tracked, so its units can't be banked",
                )
            if not product.active:
                raise ValidationError("product_id", f"{product.name} is no longer sold")
            line = next(
                (
                    line
                    for line in await _active_lines(session, appointment_id)
                    if line.product_id == product_id
                ),
                None,
            )
            # Units bought to bank count against the same per-line bound as Buy.
            check_line_buy(
                (line.bank_units if line else 0) + units, product.max_units_per_line, field="units"
            )
            if line is None:
                session.add(
                    AppointmentAddon(
                        appointment_id=appointment_id,
                        product_id=product_id,
                        use_units=0,
                        buy_units=0,
                        bank_units=units,
                        unit_price_minor=product.unit_price_minor,
                    )
                )
            else:
                line.bank_units += units
            await session.flush()
            return await view_in(session, appointment_id)
