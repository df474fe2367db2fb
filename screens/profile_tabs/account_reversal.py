"""The Account tab's `r`: reverse a ledger entry with a reason (docs/rules.md#ledger).

One new, opposite entry; nothing is edited. A refusal (often another terminal got there
first) re-reads the page so the desk sees what happened.
"""

from __future__ import annotations

from frontdesk.domain.errors import DomainError, describe
from frontdesk.domain.write_keys import new_key
from frontdesk.views.balances import EntryView
from screens.adjust_balance import signed_money
from screens.approval import with_approval
from screens.profile_tabs.base import ProfileTab
from screens.profile_tabs.ledger_history import LedgerHistory
from screens.reason import ReasonModal


async def _reload_after_refusal(tab: ProfileTab, history: LedgerHistory) -> None:
    """A refusal often means another terminal got there first: show what it did."""
    try:
        await history.load_page(history.page_offset)
    except Exception as exc:
        tab.app.notify(describe(exc), title="Could not load history", severity="error")


async def reverse_entry(tab: ProfileTab, history: LedgerHistory, entry: EntryView) -> None:
    """Ask why, reverse `entry` (a manager's PIN if needed), and show the result."""
    key = new_key()  # this reversal's: asking again with a manager's PIN is a retry
    assert history.money is not None
    money = signed_money(entry.amount, history.money)
    reason = await tab.app.push_screen_wait(
        ReasonModal(
            f"Reverse {money} · {entry.description}"[:60],
            "Reason for the reversal (required)",
            placeholder="e.g. entered twice",
        )
    )
    if reason is None:
        return
    try:
        reversal = await with_approval(
            tab.app,
            lambda approval: tab.desk.balances.reverse_entry(
                entry.id, reason, key=key, approval=approval
            ),
        )
    except Exception as exc:
        if not isinstance(exc, DomainError):
            tab.log.error("reverse failed", exc)
        tab.app.notify(describe(exc), title="Not reversed", severity="error")
        await _reload_after_refusal(tab, history)
        return
    tab.app.notify(
        f"Reversed: {signed_money(reversal.amount, history.money)} ({reversal.item_name})",
        title="Reversal already written" if reversal.replayed else "Reversal written",
    )
    tab.loading = True
    try:
        await tab.load()
    finally:
        tab.loading = False
    history.table.focus()
    tab.post_changed()
