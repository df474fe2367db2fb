"""The profile's money keys: adjust a balance, take what is owed, sell on a ticket, merge.

Each modal is imported when its key is pressed, not with the profile: opening a profile
loads none of the till, the Adjust Balance modal or the merge screen (issue 19: a profile
in a blink, lean sessions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from frontdesk.domain.errors import describe
from frontdesk.domain.permissions import Perm
from screens.profile_booking import ProfileHost

if TYPE_CHECKING:
    from frontdesk.domain.money_context import MoneyContext
    from frontdesk.views.balances import BalanceChange
    from frontdesk.views.till import CheckoutResult
    from screens.adjust_balance import AdjustKind


class WritingHost(ProfileHost, Protocol):
    """The profile screen as its money keys see it: who may do what, too."""

    may: frozenset[Perm]


async def adjust_from_profile(screen: WritingHost, kind: AdjustKind) -> None:
    from screens.adjust_balance import AdjustBalanceModal

    try:
        summary = await screen.desk.clients.summary(screen.client_id)
    except Exception as exc:
        screen.notify(describe(exc), title="Could not open", severity="error")
        return
    balance = summary.wallet_balance if kind == "wallet" else summary.account_balance
    may = kind == "wallet" and Perm.DEDUCT_BELOW_ZERO in screen.may
    change = await screen.app.push_screen_wait(
        AdjustBalanceModal(screen.desk, screen.client_id, kind, balance, summary.money, may)
    )
    after_write(screen, change, summary.money)


async def pay_from_profile(screen: WritingHost) -> None:
    from screens.pay_balance import PayBalanceModal

    try:
        summary = await screen.desk.clients.summary(screen.client_id)
    except Exception as exc:
        screen.notify(describe(exc), title="Could not open", severity="error")
        return
    change = await screen.app.push_screen_wait(
        PayBalanceModal(screen.desk, screen.client_id, summary.owes, summary.money)
    )
    after_write(screen, change, summary.money)


def after_write(screen: WritingHost, change: BalanceChange | None, money: MoneyContext) -> None:
    from screens.adjust_balance import signed_money

    if change is None:
        return
    entry = change.entry
    screen.notify(
        f"{entry.item_name}: {signed_money(entry.amount, money)} → "
        f"{signed_money(change.balance_after, money)}",
        # A retry of a write that had gone through: nothing was written twice.
        title="Already saved" if change.replayed else "Saved",
    )
    screen.reload_after_change(also=("account",))


def sell_from_profile(screen: WritingHost) -> None:
    from screens.ticket import TicketScreen

    def after_sale(result: CheckoutResult | None) -> None:
        if result is not None:  # the ticket's receipt has said what was sold
            screen.reload_after_change(also=("account", "activity"))

    ticket = TicketScreen(
        screen.desk, screen.client_id, location_id=screen.location_id, clock=screen.clock
    )
    screen.app.push_screen(ticket, after_sale)


async def merge_into_profile(screen: WritingHost) -> None:
    """Merge another record of this person into this one."""
    from screens.merge_client import MergeClientScreen

    result = await screen.app.push_screen_wait(MergeClientScreen(screen.desk, screen.client_id))
    if result is not None:
        screen.notify(f"{len(result.moves)} balances moved", title="Merged")
        screen.reload_after_change(also=("account", "activity"))
