"""The Account tab does not reverse an entry a ticket owns, nor a reversal: `r` is greyed
on it, the line above the table says where it is undone, and pressed it says why
(issue 15, item 7)."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Service
from frontdesk.domain.checkout import LineKind
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from screens.profile import ClientProfileScreen
from screens.profile_tabs.ledger_history import LedgerHistory
from screens.reason import ReasonModal
from screens.widgets.section_bar import SectionBar
from tests.money import amount
from tests.screens.profile_fixtures import (
    NOW,
    SIZE,
    ProfileClinic,
    ProfileHost,
    build_profile_clinic_at,
    ledger_count,
    notes,
    profile_opened,
    section_shown,
    tab_ready,
)
from tests.screens.screen_text import driver_words_in
from tests.waiting import wait_until


async def _spend_on_a_ticket(url: str, clinic: ProfileClinic) -> int:
    """A facial paid partly from Ann's Beauty Bank: the wallet entry belongs to the ticket."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            facial = await conn.scalar(select(Service.id).where(Service.name == "Signature Facial"))
    finally:
        await engine.dispose()
    desk = Desk.open(url, terminal="desk-2", staff_id=clinic.reception_id)
    try:
        result = await desk.till.complete(
            CheckoutInput(
                idempotency_key="owned-on-screen",
                client_id=clinic.ann_id,
                lines=(LineInput(kind=LineKind.SERVICE, service_id=facial),),
                use_wallet=True,
                wallet_amount=amount("10"),
                tenders=(TenderInput(method="cash", amount=amount("1000")),),
            )
        )
    finally:
        await desk.close()
    return result.ticket_id


def status(history: LedgerHistory) -> str:
    return str(history.query_one(".ledger-status").render())


async def test_r_on_a_ticket_entry_or_a_reversal_says_where_to_undo_it(
    sqlite_url: str,
) -> None:
    clinic = await build_profile_clinic_at(sqlite_url)
    ticket = await _spend_on_a_ticket(sqlite_url, clinic)
    app = ProfileHost(
        sqlite_url,
        lambda s: ClientProfileScreen(
            s, clinic.ann_id, location_id=clinic.home_id, clock=lambda: NOW
        ),
        staff_id=clinic.manager_id,
    )
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.press("7")
        await wait_until(pilot, lambda: tab_ready(app, "account"), what="the Account tab")
        app.screen.query_one("#account-sections", SectionBar).active = "acct-wallet"
        await wait_until(pilot, lambda: section_shown(app, "acct-wallet"), what="Beauty Bank")
        history = app.screen.query_one("#wallet-history", LedgerHistory)
        history.table.focus()
        entry = history.selected_entry()
        assert entry is not None and entry.ticket_id == ticket
        await wait_until(
            pilot,
            lambda: status(history).endswith(f"undo: refund ticket #{ticket}"),
            what="where the ticket's entry is undone, above the table",
        )
        assert history.table.check_action("reverse", ()) is None  # shown greyed
        before = await ledger_count(sqlite_url)
        await pilot.press("r")
        refusal = f"Entry {entry.id} belongs to ticket #{ticket} — refund the ticket instead"
        await wait_until(pilot, lambda: refusal in notes(app), what="the refusal")
        assert not isinstance(app.screen, ReasonModal)
        assert await ledger_count(sqlite_url) == before

        # A free-standing entry is reversed as before; its reversal is not.
        await pilot.press("down")
        await wait_until(
            pilot, lambda: status(history).endswith("r reverse"), what="r offered again"
        )
        assert history.table.check_action("reverse", ()) is True
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReasonModal), what="the reason")
        await pilot.press(*"Entered twice", "enter")
        await wait_until(
            pilot,
            lambda: (
                history.page is not None
                and history.page.entries[0].reverses_entry_id is not None
                and not history.loading
            ),
            what="the reversal at the top of the history",
        )
        assert await ledger_count(sqlite_url) == before + 1
        history.table.focus()
        history.table.move_cursor(row=0)
        await wait_until(
            pilot,
            lambda: status(history).endswith("r: not reversible"),
            what="a reversal not reversible",
        )
        reversal = history.selected_entry()
        assert reversal is not None
        await pilot.press("r")
        said = f"Entry {reversal.id} is itself a reversal; make a new adjustment instead"
        await wait_until(pilot, lambda: said in notes(app), what="the reversal's own refusal")
        assert not isinstance(app.screen, ReasonModal)
        assert await ledger_count(sqlite_url) == before + 1
        assert driver_words_in(app) == []
