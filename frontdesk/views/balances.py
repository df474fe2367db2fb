"""Read models of stored value: ledger entries as history shows them, balance changes,
pages of history, prepaid items, and what the business owes clients (liability)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from frontdesk.domain.ledger import StoredValueKind
from frontdesk.views import ClientSummary, View


class EntryView(View):
    """One ledger entry as history shows it. Money kinds in currency, others in units."""

    id: int
    account_id: int
    kind: StoredValueKind
    item_name: str
    amount: Decimal
    balance_after: Decimal
    reason: str
    description: str
    staff_name: str
    terminal: str
    created_at: dt.datetime
    ticket_id: int | None
    appointment_id: int | None
    reverses_entry_id: int | None
    reversed_by_id: int | None = None
    # A reversal's result returned again for the same key: nothing was written this time.
    replayed: bool = False


class BalanceChange(View):
    entry: EntryView
    balance_before: Decimal
    balance_after: Decimal
    # The first result returned again for the same key: nothing was written this time.
    replayed: bool = False


class HistoryPage(View):
    entries: tuple[EntryView, ...]
    total: int
    offset: int
    limit: int


class BalancesWithHistory(View):
    """The balances and one page of one kind's history, read together: the Account
    tab's first look (issue 19: one read transaction, not two)."""

    summary: ClientSummary
    page: HistoryPage


class Liability(View):
    as_of: dt.datetime
    wallet: Decimal
    account_credit: Decimal
    prepaid_visits: Decimal
    banked_units: Decimal

    @property
    def total(self) -> Decimal:
        return self.wallet + self.account_credit + self.prepaid_visits + self.banked_units


class PrepaidItem(View):
    account_id: int
    service_id: int
    service_name: str
    remaining: int
    purchased: int
    used: int
    visit_value: Decimal
    # An adjustment's result returned again for the same key: nothing was written this time.
    replayed: bool = False

    @property
    def active(self) -> bool:
        return self.remaining > 0
