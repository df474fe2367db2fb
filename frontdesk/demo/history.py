"""The ledger history: each rich client's planned events posted in time order through
the real ledger (`LedgerBatch`, `reverse`, `post`), never by setting a balance, so the
demo ledger obeys every ledger invariant (balance = sum of entries, running
`balance_after`).

Only the first few hundred clients get a rich history; larger runs give one extra client
in 50 a single wallet credit, so the ledger work stays bounded however many clients are
asked for.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.ledger import Actor, LedgerBatch, item_key, post, reverse
from frontdesk.db.tables import AppointmentAddon, LedgerEntry, StoredValueAccount
from frontdesk.demo.bookings import Booking
from frontdesk.demo.catalogue import ADDON_DEFAULTS, Catalogue
from frontdesk.demo.clients import RICH_CLIENTS
from frontdesk.demo.events import AccountKey, ClientPlanner, Completed, Event, HistoryWindow
from frontdesk.demo.memberships import SERVICE_DAYS, LiveMembership, plan_membership
from frontdesk.demo.timeline import HISTORY_DAYS, utc
from frontdesk.domain.ledger import Reason, StoredValueKind

EXTRA_WALLET_EVERY = 50  # beyond the rich ones, every 50th client gets one wallet credit,
EXTRA_WALLET_MAX = 1_000  # up to this many: the ledger work is bounded whatever the size

Planned = list[tuple[int, list[Event]]]  # (client id, that client's events)
_Wanted = tuple[int, StoredValueKind, str | None]  # client id, account kind, item key


# Entries a manager makes; the front desk makes the rest (names.SEED_MANAGER_NAME).
MANAGERS_WORK = frozenset({Reason.RENEWAL, Reason.REVERSAL})
# Adjustments: above the store's threshold they carry a second person's approval.
ADJUSTMENTS = frozenset({Reason.ADJUST, Reason.CREDIT, Reason.CHARGE})


class History:
    """Posts each client's history in time order through the real ledger functions."""

    def __init__(
        self, session: AsyncSession, catalogue: Catalogue, terminal: str, today: dt.date
    ) -> None:
        self.session = session
        self.catalogue = catalogue
        self.actor = Actor(catalogue.actor_id, terminal)
        self.manager = Actor(catalogue.manager_id, terminal)
        self.window = HistoryWindow(today)
        self.today = today
        self.addon_appointments: set[int] = set()
        # What the renewal run takes over for the last 90 days (ids once flushed).
        self.live_memberships: list[LiveMembership] = []

    async def rich_clients(self, client_ids: list[int], bookings: list[Booking], seed: int) -> None:
        rng = random.Random(f"{seed}:ledger")
        completed: Completed = {}
        for b in bookings:
            if b.status == "completed":
                completed.setdefault((b.client_index, b.service_key), []).append(b)
        planner = ClientPlanner(
            rng, self.window, self.catalogue.services, completed, self.catalogue.money
        )
        planned: Planned = []
        for index, client_id in enumerate(client_ids):
            events = planner.plan(index)
            membership, renewals, live = plan_membership(
                rng,
                index,
                client_id,
                plans=self.catalogue.plans,
                services=self.catalogue.services,
                window=self.window,
                today=self.today,
            )
            if membership is not None:
                self.session.add(membership)
            if live is not None:
                self.live_memberships.append(live)
                events = _before_the_run(events, self.today)
            events.extend(renewals)
            planned.append((client_id, events))
        await self._post_all(planned)
        self._bought_addons(bookings)

    def _bought_addons(self, bookings: list[Booking]) -> None:
        """Completed injectables that used no banked units bought what they needed."""
        for b in bookings:
            if (
                b.status == "completed"
                and b.service_key in ADDON_DEFAULTS
                and b.appointment_id not in self.addon_appointments
            ):
                product_key, units = ADDON_DEFAULTS[b.service_key]
                product = self.catalogue.products[product_key]
                self.session.add(
                    AppointmentAddon(
                        appointment_id=b.appointment_id,
                        product_id=product.id,
                        use_units=0,
                        buy_units=units,
                        unit_price_minor=product.unit_price_minor,
                        created_at=utc(b.starts_at),
                    )
                )

    def _account_fields(self, key: AccountKey) -> dict[str, Any]:
        kind, item = key
        product_id = service_id = None
        unit_value = 1
        if kind is StoredValueKind.PRODUCT_UNITS and item:
            product = self.catalogue.products[item]
            product_id, unit_value = product.id, product.unit_price_minor
        elif kind is StoredValueKind.PREPAID_VISITS and item:
            service = self.catalogue.services[item]
            service_id, unit_value = service.id, service.price_minor
        return {
            "kind": kind.value,
            "item_key": item_key(kind, product_id, service_id),
            "product_id": product_id,
            "service_id": service_id,
            "unit_value_minor": unit_value,
        }

    async def _accounts(self, planned: Planned) -> dict[_Wanted, int]:
        """Every account the plan posts to, found or opened with one read and one flush
        (get_or_create per account was a third of a first `--demo`)."""
        wanted = {(client_id, *e.account) for client_id, events in planned for e in events}
        fields = {w: self._account_fields((w[1], w[2])) for w in wanted}
        existing = await self._existing_accounts(sorted({w[0] for w in wanted}))
        opened: dict[_Wanted, StoredValueAccount] = {}
        found: dict[_Wanted, int] = {}
        for w in sorted(wanted, key=lambda w: (w[0], w[1].value, w[2] or "")):
            f = fields[w]
            account_id = existing.get((w[0], f["kind"], f["item_key"]))
            if account_id is not None:
                found[w] = account_id
            else:
                opened[w] = StoredValueAccount(client_id=w[0], balance=0, **f)
        self.session.add_all(opened.values())
        await self.session.flush()
        found.update({w: account.id for w, account in opened.items()})
        return found

    async def _existing_accounts(self, client_ids: list[int]) -> dict[tuple[int, str, str], int]:
        """(client id, kind, item key) -> account id, for these clients' accounts."""
        existing: dict[tuple[int, str, str], int] = {}
        for chunk in range(0, len(client_ids), 500):
            rows = await self.session.execute(
                select(
                    StoredValueAccount.id,
                    StoredValueAccount.client_id,
                    StoredValueAccount.kind,
                    StoredValueAccount.item_key,
                ).where(StoredValueAccount.client_id.in_(client_ids[chunk : chunk + 500]))
            )
            existing.update({(r.client_id, r.kind, r.item_key): r.id for r in rows})
        return existing

    async def _post_all(self, planned: Planned) -> None:
        accounts = await self._accounts(planned)
        batch = LedgerBatch(self.session, self.actor)
        await batch.lock(list(accounts.values()))
        posted: list[tuple[LedgerEntry, Event]] = []
        for client_id, events in planned:
            # Stable sort: one account's events were planned in order; ties keep it.
            events.sort(key=lambda e: e.when)
            for e in events:
                # Each entry is recorded by someone whose role may make it.
                batch.actor = self.manager if e.reason in MANAGERS_WORK else self.actor
                entry = await batch.post(
                    accounts[(client_id, *e.account)],
                    e.amount,
                    reason=str(e.reason),
                    description=e.description,
                    appointment_id=e.appointment_id,
                    allow_negative=e.allow_negative,
                    when=e.when,
                    # The hash covers the approver: set it here, never on the entry later.
                    approved_by=self.manager.staff_id if self._needs_approval(e) else None,
                )
                posted.append((entry, e))
        await batch.flush()  # entry ids from here on
        to_reverse = self._used_addons(posted)
        for entry_id, description in to_reverse:
            await reverse(self.session, entry_id, description=description, actor=self.manager)

    def _needs_approval(self, e: Event) -> bool:
        """An adjustment worth more than the store's threshold (docs/rules.md, X4)."""
        if e.reason not in ADJUSTMENTS:
            return False
        unit_value: int = self._account_fields(e.account)["unit_value_minor"]
        return abs(e.amount) * unit_value > self.catalogue.approval_threshold_minor

    def _used_addons(self, posted: list[tuple[LedgerEntry, Event]]) -> list[tuple[int, str]]:
        """Add-on rows for units used on a visit; the entries to reverse afterwards."""
        to_reverse: list[tuple[int, str]] = []
        for entry, e in posted:
            if e.addon is not None and e.appointment_id is not None:
                self.addon_appointments.add(e.appointment_id)
                product = self.catalogue.products[e.addon[0]]
                self.session.add(
                    AppointmentAddon(
                        appointment_id=e.appointment_id,
                        product_id=product.id,
                        use_units=e.addon[1],
                        buy_units=0,
                        unit_price_minor=product.unit_price_minor,
                        use_entry_id=entry.id,
                        created_at=e.when,
                    )
                )
            if e.reverse_later:
                to_reverse.append((entry.id, e.reverse_later))
        return to_reverse

    async def extra_wallets(self, client_ids: list[int], seed: int) -> None:
        """One welcome credit for every 50th client beyond the rich ones (bounded work)."""
        rng = random.Random(f"{seed}:extra")
        chosen = [client_ids[i] for i in range(RICH_CLIENTS, len(client_ids), EXTRA_WALLET_EVERY)][
            :EXTRA_WALLET_MAX
        ]
        if not chosen:
            return
        accounts = await self._open_wallets(chosen)
        for client_id in chosen:
            await post(
                self.session,
                accounts[client_id],
                self.catalogue.money.minor(rng.choice((1_000, 1_500, 2_000))),
                reason=Reason.ADJUST,
                description="Welcome credit: new client offer",
                actor=self.actor,
                when=self.window.at(rng, 0, HISTORY_DAYS),
            )

    async def _open_wallets(self, chosen: list[int]) -> dict[int, int]:
        """Empty wallets for these clients in one statement (what get_or_create_account
        would make, balance 0); every unit of value still arrives through `post`."""
        kind = StoredValueKind.WALLET_MONEY
        created = dt.datetime.combine(self.window.start.date(), dt.time(0), dt.UTC)
        account_rows = [
            {
                "client_id": client_id,
                "kind": kind.value,
                "item_key": item_key(kind, None, None),
                "unit_value_minor": 1,
                "balance": 0,
                "created_at": created,
            }
            for client_id in chosen
        ]
        await self.session.execute(insert(cast(Table, StoredValueAccount.__table__)), account_rows)
        rows = await self.session.execute(
            select(StoredValueAccount.client_id, StoredValueAccount.id).where(
                StoredValueAccount.kind == kind.value,
                StoredValueAccount.client_id >= chosen[0],
            )
        )
        return {client_id: account_id for client_id, account_id in rows.all()}


# The accounts the renewal run writes to: the Beauty Bank and prepaid visits (a Select
# treatment). A member's other planned entries on them end where the run takes over.
_RUN_KINDS = frozenset({StoredValueKind.WALLET_MONEY, StoredValueKind.PREPAID_VISITS})


def _before_the_run(events: list[Event], today: dt.date) -> list[Event]:
    """A member's planned events, less those on the run's accounts from the cut-over on:
    the run's entries come after the whole history is posted, so each account's entries
    stay in time order. What is kept is a prefix in time of each account, so every
    balance along it is one the plan already allowed."""
    cutover = dt.datetime.combine(today - dt.timedelta(days=SERVICE_DAYS), dt.time(0), dt.UTC)
    return [e for e in events if e.when < cutover or e.account[0] not in _RUN_KINDS]
