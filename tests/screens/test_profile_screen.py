"""The client profile: header, twelve tabs, Overview, Account, balance keys, travel members."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from functools import partial

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.write_keys import new_key
from frontdesk.services.desk import Desk
from screens.adjust_balance import AdjustBalanceModal
from screens.app import FrontdeskApp
from screens.profile import ClientProfileScreen
from screens.profile_tabs.account import AccountTab
from screens.profile_tabs.base import ProfileTab
from screens.profile_tabs.ledger_history import PAGE_SIZE, LedgerHistory, LedgerTable
from screens.profile_tabs.overview import OverviewTab
from screens.profile_tabs.registry import TAB_IDS, TABS
from screens.reason import QuantityModal, ReasonModal
from screens.schedule import ScheduleScreen
from screens.search import ClientSearchScreen, open_client_flow
from screens.widgets.section_bar import SectionBar
from tests.money import amount, money
from tests.money import typed as typed_amount
from tests.screens.profile_fixtures import (
    MARKUP_FIRST,
    MARKUP_LAST,
    NOW,
    SIZE,
    ProfileClinic,
    ProfileHost,
    build_profile_clinic_at,
    bulk_wallet_history,
    ledger_count,
    notes,
    profile_opened,
    section_shown,
    tab_ready,
    text_of,
)
from tests.waiting import wait_until

TRAVEL = "Travel member — home location Marylebone; Profile Details and Account are read-only here."
TAB_LABELS = [
    "Overview",
    "Profile Details",
    "Notifications",
    "Relationships",
    "Activity",
    "Attendance",
    "Account",
    "Rewards",
    "Contact History",
    "Documents",
    "Transformation Log",
    "Goals",
]


@pytest.fixture
async def clinic(sqlite_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(sqlite_url)


def profile_app(
    url: str, client_id: int, location_id: int, *, staff_id: int | None = None
) -> ProfileHost:
    return ProfileHost(
        url,
        lambda s: ClientProfileScreen(s, client_id, location_id=location_id, clock=lambda: NOW),
        staff_id=staff_id,
    )


def profile(app: ProfileHost) -> ClientProfileScreen:
    screen = app.screen
    assert isinstance(screen, ClientProfileScreen), screen
    return screen


def history_rows(app: ProfileHost, history_id: str) -> list[tuple[str, ...]]:
    table: DataTable[Text] = app.screen.query_one(f"#{history_id}-table", DataTable)
    if not table.display:
        return []
    return [tuple(c.plain for c in table.get_row_at(i)) for i in range(table.row_count)]


def footer_keys(app: ProfileHost) -> set[str]:
    from textual.widgets._footer import FooterKey

    return {k.description for k in app.screen.query(FooterKey)}


def adjust_error(app: ProfileHost) -> str:
    modal = app.screen
    return modal.error_of("amount") if isinstance(modal, AdjustBalanceModal) else ""


def noted(app: ProfileHost, note: str, times: int) -> bool:
    return notes(app).count(note) == times


def showing_client(app: ProfileHost, client_id: int) -> bool:
    screen = app.screen
    return (
        isinstance(screen, ClientProfileScreen)
        and screen.client_id == client_id
        and tab_ready(app, "overview")
    )


def history_styles(app: ProfileHost, history_id: str) -> list[str]:
    table: DataTable[Text] = app.screen.query_one(f"#{history_id}-table", DataTable)
    return [str(table.get_row_at(i)[1].style) for i in range(table.row_count)]


async def open_account(pilot: Pilot[None], section: str | None = None) -> None:
    await pilot.press("7")
    await wait_until(pilot, lambda: tab_ready(pilot.app, "account"), what="the Account tab, loaded")
    if section:
        await show_section(pilot, section)


async def show_section(pilot: Pilot[None], section: str) -> None:
    pilot.app.screen.query_one("#account-sections", SectionBar).active = section
    await wait_until(
        pilot, lambda: section_shown(pilot.app, section), what=f"the {section} section of Account"
    )


# -- header and tabs -------------------------------------------------------------------


async def test_header_and_twelve_tabs_in_order(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        assert (
            text_of(app, "#profile-header")
            == f"Ann Lee · C1001 · Glow Gold · Owes {money('30.00')}"
        )
        tabs = app.screen.query_one("#profile-tab-bar", SectionBar)
        assert list(tabs.labels) == TAB_LABELS
        assert tabs.active == "overview"
        assert profile(app).loaded == {"overview"}  # the others wait until shown


async def test_tab_keys_switch_and_load_lazily(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        tabs = app.screen.query_one("#profile-tab-bar", SectionBar)
        for key, pane in (("7", "account"), ("=", "goals"), ("1", "overview"), ("0", "documents")):
            await pilot.press(key)
            await wait_until(pilot, partial(tab_ready, app, pane), what=f"the {pane} tab")
            assert tabs.active == pane, key
        await pilot.press("]")
        await wait_until(
            pilot, lambda: tab_ready(app, "transformation"), what="the Transformation Log tab"
        )
        assert tabs.active == "transformation"
        await pilot.press("[", "[")
        await wait_until(pilot, lambda: tab_ready(app, "contact"), what="the Contact History tab")
        assert tabs.active == "contact"
        assert {"overview", "account", "goals", "documents"} <= profile(app).loaded


async def test_markup_name_in_header_is_literal(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = profile_app(sqlite_url, clinic.markup_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        assert text_of(app, "#profile-header").startswith(f"{MARKUP_FIRST} {MARKUP_LAST} · C1003")
        assert app.is_running


async def test_opted_out_badge_and_notifications_label(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    other = Desk.open(sqlite_url, terminal="setup")
    try:
        for channel in ("email", "sms"):
            for category in ("schedule", "account", "news"):
                await other.profile.set_notification(clinic.bob_id, channel, category, False)
    finally:
        await other.close()
    app = profile_app(sqlite_url, clinic.bob_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        assert text_of(app, "#profile-header") == "Bob Empty · C1002 · No membership · Opted out"
        tabs = app.screen.query_one("#profile-tab-bar", SectionBar)
        assert tabs.labels[TAB_IDS.index("notifications")] == "Notifications · Opted out"


# -- Overview ----------------------------------------------------------------------------


async def test_overview_balances_contact_and_upcoming(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        assert text_of(app, "#overview-balances").splitlines() == [
            f"Account balance: Owes {money('30.00')}",
            f"Beauty Bank Available Balance: {money('40.00')}",
            "Banked products: Botox 10 units",
            "Prepaid services: Signature Facial 3 visits",
        ]
        contact = text_of(app, "#overview-contact")
        assert "Phone: 07700 900123" in contact and "Membership: Glow Gold" in contact
        assert text_of(app, "#overview-upcoming") == (
            "Thu 26 Nov 2026 14:30 · Signature Facial · Rita Reception · booked"
        )
        hints = text_of(app, "#overview-hints")
        for key in (
            "k Book",
            "s Sell",
            "y Pay Balance",
            "b Adjust Beauty Bank",
            "a Adjust Balance",
        ):
            assert key in hints


async def test_overview_empty_states(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = profile_app(sqlite_url, clinic.bob_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        assert text_of(app, "#overview-balances").splitlines() == [
            f"Account balance: {money('0.00')}",
            f"Beauty Bank Available Balance: {money('0.00')}",
            "Banked products: none",
            "Prepaid services: none",
        ]
        assert text_of(app, "#overview-upcoming") == "No upcoming appointments."


async def test_credit_balance_reads_credit(sqlite_url: str, clinic: ProfileClinic) -> None:
    other = Desk.open(sqlite_url, terminal="setup", staff_id=clinic.reception_id)
    try:
        await other.balances.issue_account_credit(
            clinic.bob_id, amount("20"), "Refund as credit", key=new_key()
        )
    finally:
        await other.close()
    app = profile_app(sqlite_url, clinic.bob_id, clinic.home_id, staff_id=clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        assert text_of(app, "#overview-balances").startswith(
            f"Account balance: Credit {money('20.00')}"
        )


# -- Account -------------------------------------------------------------------------------


async def test_account_beauty_bank_arrows_and_signs(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await open_account(pilot, "acct-wallet")
        wallet = app.screen.query_one("#wallet-history", LedgerHistory)
        assert str(wallet.query_one(".ledger-balance").render()).startswith(
            f"Available Balance {money('40.00')}"
        )
        assert history_rows(app, "wallet-history") == [
            ("09 Nov 26", f"↓ −{money('10.00')}", "Spent at checkout", money("40.00"), ""),
            (
                "01 Nov 26",
                f"↑ +{money('50.00')}",
                "Monthly Membership Credit",
                money("50.00"),
                "",
            ),
        ]
        assert history_styles(app, "wallet-history") == ["red", "green"]
        assert history_rows(app, "account-history") == [
            (
                "10 Nov 26",
                f"↓ −{money('30.00')}",
                "Unpaid balance from last visit",
                f"−{money('30.00')}",
                "",
            ),
        ]


async def test_account_sections_with_data(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await open_account(pilot, "acct-addons")
        products: DataTable[Text] = app.screen.query_one("#addons-products", DataTable)
        assert [c.plain for c in products.get_row_at(0)][:2] == ["Botox", "10 units"]
        assert text_of(app, "#addons-history .ledger-balance") == (
            "Botox: 10 units left · ↑↓ product · Enter its entries"
        )
        await show_section(pilot, "acct-memberships")  # each section is read when shown
        members: DataTable[Text] = app.screen.query_one("#memberships-table", DataTable)
        assert [c.plain for c in members.get_row_at(0)][:4] == [
            "Glow Gold",
            "active",
            "05 Jan 26",
            "05 Dec 26",
        ]
        await show_section(pilot, "acct-prepaid")
        prepaid: DataTable[Text] = app.screen.query_one("#prepaid-table", DataTable)
        assert [prepaid.get_row_at(i)[0].plain for i in range(prepaid.row_count)] == [
            "Signature Facial"
        ]
        app.screen.query_one("#account-sections", SectionBar).active = "acct-prepaid"
        await wait_until(
            pilot, lambda: section_shown(app, "acct-prepaid"), what="the Prepaid section"
        )
        prepaid.focus()
        await pilot.press("f")  # show all, including the used-up manicure
        await wait_until(
            pilot, lambda: prepaid.row_count == 2, what="the used-up manicure listed too"
        )
        assert [prepaid.get_row_at(i)[0].plain for i in range(prepaid.row_count)] == [
            "Manicure",
            "Signature Facial",
        ]
        await pilot.press("down", "enter")
        await wait_until(
            pilot,
            lambda: app.screen.query_one("#prepaid-history", DataTable).row_count == 2,
            what="the Signature Facial's history",
        )
        history: DataTable[Text] = app.screen.query_one("#prepaid-history", DataTable)
        assert [
            tuple(c.plain for c in history.get_row_at(i)) for i in range(history.row_count)
        ] == [
            ("12 Nov 26", "↓ −2", "Redeemed", "3"),
            ("03 Nov 26", "↑ +5", "Bought 5 facials", "5"),
        ]


async def test_j_sets_the_visits_left_with_a_reason(sqlite_url: str, clinic: ProfileClinic) -> None:
    """Prepaid "Current Status": the count a desk found on paper becomes the count left,
    by one adjusting entry with the reason given."""
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id, staff_id=clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await open_account(pilot, "acct-prepaid")
        prepaid: DataTable[Text] = app.screen.query_one("#prepaid-table", DataTable)
        assert tuple(c.plain for c in prepaid.get_row_at(0))[:2] == ("Signature Facial", "3")
        assert "Adjust visits" in footer_keys(app)
        before = await ledger_count(sqlite_url)
        await pilot.press("j")
        await wait_until(
            pilot, lambda: isinstance(app.screen, QuantityModal), what="the visits dialog"
        )
        assert text_of(app, "#ask-title") == "Signature Facial: 3 left"
        await pilot.press("backspace", "1", "enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ReasonModal), what="the reason dialog"
        )
        assert text_of(app, "#ask-title") == "Signature Facial: 3 → 1 left"
        await pilot.press(*"Redeemed on paper", "enter")
        await wait_until(
            pilot,
            lambda: prepaid.row_count == 1 and prepaid.get_row_at(0)[1].plain == "1",
            what="1 facial left",
        )
        assert "Signature Facial: 1 left" in notes(app)
        assert await ledger_count(sqlite_url) == before + 1


async def test_account_empty_states(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = profile_app(sqlite_url, clinic.bob_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await open_account(pilot, "acct-wallet")
        wallet = app.screen.query_one("#wallet-history", LedgerHistory)
        assert history_rows(app, "wallet-history") == []
        assert str(wallet.query_one(".ledger-empty").render()) == "No Beauty Bank activity yet."
        assert wallet.query_one(".ledger-empty").display
        await show_section(pilot, "acct-addons")  # each section is read when first shown
        assert text_of(app, "#addons-body").startswith("No banked products — Buy add-ons")
        await show_section(pilot, "acct-prepaid")
        assert text_of(app, "#prepaid-empty") == "No active prepaid services (f shows all)."
        await show_section(pilot, "acct-memberships")
        assert text_of(app, "#memberships-body") == "No memberships."


async def test_ten_thousand_entries_open_paged(sqlite_url: str, clinic: ProfileClinic) -> None:
    await bulk_wallet_history(sqlite_url, clinic.bob_id, 10_000)
    app = profile_app(sqlite_url, clinic.bob_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        started = time.perf_counter()
        await open_account(pilot, "acct-wallet")
        print(f"Account tab with 10,000 wallet entries: {time.perf_counter() - started:.3f}s")
        wallet = app.screen.query_one("#wallet-history", LedgerHistory)
        rows = history_rows(app, "wallet-history")
        assert len(rows) == PAGE_SIZE
        assert rows[0][2] == "Bulk entry 10000"
        status = str(wallet.query_one(".ledger-status").render())
        assert status.startswith("Entries 1–50 of 10,000")
        wallet.table.focus()

        def wallet_status() -> str:
            return str(wallet.query_one(".ledger-status").render())

        await pilot.press("n")
        await wait_until(
            pilot,
            lambda: wallet_status().startswith("Entries 51–100"),
            what="the second page of 50",
        )
        assert history_rows(app, "wallet-history")[0][2] == "Bulk entry 9950"
        await pilot.press("pagedown")
        await wait_until(
            pilot,
            lambda: wallet_status().startswith("Entries 101–150"),
            what="the third page of 50",
        )
        assert str(wallet.query_one(".ledger-status").render()).startswith(
            "Entries 101–150 of 10,000"
        )
        await pilot.press("p")
        await wait_until(
            pilot,
            lambda: wallet_status().startswith("Entries 51–100"),
            what="the second page again",
        )
        assert history_rows(app, "wallet-history")[0][2] == "Bulk entry 9950"


async def test_r_reverses_an_entry_with_one_new_entry(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id, staff_id=clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await open_account(pilot, "acct-wallet")
        before = await ledger_count(sqlite_url)
        app.screen.query_one("#wallet-history", LedgerHistory).table.focus()
        await pilot.press("r")  # newest: −£10.00 "Spent at checkout"
        await wait_until(
            pilot, lambda: isinstance(app.screen, ReasonModal), what="the reason dialog"
        )
        assert isinstance(app.screen, ReasonModal)
        await pilot.press(*"Charged in error", "enter")
        await wait_until(
            pilot,
            lambda: text_of(app, "#overview-balances").splitlines()[1].endswith(money("50.00")),
            what=f"the Beauty Bank back at {money('50.00')}",
        )
        assert await ledger_count(sqlite_url) == before + 1
        rows = history_rows(app, "wallet-history")
        assert rows[0][1:] == (
            f"↑ +{money('10.00')}",
            "Reversal: Charged in error",
            money("50.00"),
            "reversal",
        )
        assert rows[1][4] == "reversed"
        assert text_of(app, "#overview-balances").splitlines()[1].endswith(money("50.00"))
        # The same entry again: it says so and writes nothing.
        await pilot.press("down", "r")
        await wait_until(
            pilot,
            lambda: any("already been reversed" in n for n in notes(app)),
            what='the "already reversed" note',
        )
        assert not isinstance(app.screen, ReasonModal)
        assert any("already been reversed" in n for n in notes(app))
        assert await ledger_count(sqlite_url) == before + 1


async def test_r_works_on_a_history_section_before_its_table_has_focus(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    """Tried by hand: the line above the table says "r reverse" but r did nothing until
    Tab moved into the table. And f (active prepaid only) belongs to the Prepaid section."""
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id, staff_id=clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await open_account(pilot, "acct-wallet")
        await pilot.pause()
        shown = footer_keys(app)
        assert "Active only" not in shown
        assert not isinstance(app.screen.focused, LedgerTable)
        await pilot.press("r")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ReasonModal), what="the reason dialog"
        )
        assert isinstance(app.screen, ReasonModal)
        assert "Spent at checkout" in text_of(app, "#ask-title")
        await pilot.press("escape")
        await wait_until(pilot, lambda: tab_ready(app, "account"), what="the Account tab again")
        app.screen.query_one("#account-sections", SectionBar).active = "acct-prepaid"
        await wait_until(
            pilot, lambda: "Active only" in footer_keys(app), what='"Active only" in the footer'
        )
        shown = footer_keys(app)
        assert "Active only" in shown


# -- balance keys, travel members, permissions ---------------------------------------------


async def test_b_adjusts_the_beauty_bank_and_reloads(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id, staff_id=clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.press("b")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, AdjustBalanceModal),
            what="the Adjust Beauty Bank dialog",
        )
        assert isinstance(app.screen, AdjustBalanceModal)
        await pilot.press(*typed_amount("25"), "tab", *"Goodwill", "enter")
        await wait_until(
            pilot,
            lambda: (
                f"Beauty Bank Available Balance: {money('65.00')}"
                in text_of(app, "#overview-balances")
            ),
            what=f"the Beauty Bank at {money('65.00')}",
        )
        assert isinstance(app.screen, ClientProfileScreen)
        assert f"Beauty Bank Available Balance: {money('65.00')}" in text_of(
            app, "#overview-balances"
        )


async def test_a_and_y_adjust_and_pay_the_account(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id, staff_id=clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: app.screen.query_one("#amount", Input).value == typed_amount("30.00"),
            what=f"the {money('30.00')} owed offered",
        )
        assert app.screen.query_one("#amount", Input).value == typed_amount("30.00")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: text_of(app, "#profile-header") == "Ann Lee · C1001 · Glow Gold",
            what="the header without the debt",
        )
        assert text_of(app, "#profile-header") == "Ann Lee · C1001 · Glow Gold"
        await pilot.press("a")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, AdjustBalanceModal),
            what="the Adjust Balance dialog",
        )
        assert isinstance(app.screen, AdjustBalanceModal)
        await pilot.press(*typed_amount("20"), "tab", *"Goodwill", "enter")
        await wait_until(
            pilot,
            lambda: text_of(app, "#overview-balances").startswith(
                f"Account balance: Credit {money('20.00')}"
            ),
            what=f"a {money('20.00')} credit",
        )
        assert text_of(app, "#overview-balances").startswith(
            f"Account balance: Credit {money('20.00')}"
        )


async def test_travel_member_is_read_only(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = profile_app(sqlite_url, clinic.ann_id, clinic.away_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        assert text_of(app, "#profile-header").endswith("Travel member (home: Marylebone)")
        before = await ledger_count(sqlite_url)
        for count, key in enumerate(("b", "a", "y"), start=1):
            await pilot.press(key)
            await wait_until(
                pilot,
                partial(noted, app, TRAVEL, count),
                what=f"the read-only note for {key}",
            )
            assert isinstance(app.screen, ClientProfileScreen), key
        assert notes(app).count(TRAVEL) == 3
        await open_account(pilot, "acct-wallet")
        assert text_of(app, "#account-readonly") == f"Read-only: {TRAVEL}"
        account = app.screen.query_one(AccountTab)
        assert account.read_only_reason == TRAVEL
        account.query_one("#wallet-history", LedgerHistory).table.focus()
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: not isinstance(app.screen, ReasonModal),
            what="the Account tab, no reason dialog for a travel member",
        )
        assert not isinstance(app.screen, ReasonModal)
        assert await ledger_count(sqlite_url) == before


async def test_staff_without_permission_cannot_go_below_zero(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id, staff_id=clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        before = await ledger_count(sqlite_url)
        await pilot.press("b")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, AdjustBalanceModal),
            what="the Adjust Beauty Bank dialog",
        )
        await pilot.press(*typed_amount("-45"), "tab", *"Correction", "enter")
        refusal = "You need the “deduct below zero” permission to do this"
        await wait_until(
            pilot, lambda: adjust_error(app) == refusal, what="the refusal naming the permission"
        )
        modal = app.screen
        assert isinstance(modal, AdjustBalanceModal) and not modal.may_go_negative
        assert modal.calls == 1  # refused by the service, not only by the screen
        assert await ledger_count(sqlite_url) == before


async def test_manager_goes_below_zero_after_second_confirm(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id, staff_id=clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        before = await ledger_count(sqlite_url)
        await pilot.press("b")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, AdjustBalanceModal),
            what="the Adjust Beauty Bank dialog",
        )
        await pilot.press(*typed_amount("-45"), "tab", *"Correction", "enter")
        await wait_until(
            pilot,
            lambda: "Press Confirm again" in text_of(app, "#adjust-message"),
            what="the second-confirm prompt",
        )
        assert "Press Confirm again" in text_of(app, "#adjust-message")
        assert await ledger_count(sqlite_url) == before
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                f"Beauty Bank Available Balance: −{money('5.00')}"
                in text_of(app, "#overview-balances")
            ),
            what=f"the Beauty Bank at −{money('5.00')}",
        )
        assert await ledger_count(sqlite_url) == before + 1
        assert f"Beauty Bank Available Balance: −{money('5.00')}" in text_of(
            app, "#overview-balances"
        )


async def test_open_client_from_a_tab_pushes_their_profile(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        tab = app.screen.query_one("#tab-overview", OverviewTab)
        tab.post_message(ProfileTab.OpenClient(clinic.bob_id))
        await wait_until(pilot, lambda: showing_client(app, clinic.bob_id), what="Bob's profile")
        assert profile(app).client_id == clinic.bob_id
        await pilot.press("escape")
        await wait_until(
            pilot, lambda: showing_client(app, clinic.ann_id), what="Ann's profile again"
        )
        assert profile(app).client_id == clinic.ann_id


# -- from the schedule: the keystroke budget -------------------------------------------------


async def test_keystrokes_from_schedule_to_a_goodwill_credit(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = FrontdeskApp(
        lambda: Desk.open(sqlite_url, terminal="desk-1", staff_id=clinic.reception_id),
        clock=lambda: NOW,
        today=NOW.date(),
    )
    keystrokes = 0

    async def press(*keys: str, until: Callable[[], object], what: str) -> None:
        nonlocal keystrokes
        keystrokes += len(keys)
        await pilot.press(*keys)
        await wait_until(pilot, until, what=what)

    def adjusting() -> bool:
        return isinstance(app.screen, AdjustBalanceModal)

    def typed(value: str) -> Callable[[], bool]:
        return lambda: isinstance(app.focused, Input) and app.focused.value == value

    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ScheduleScreen), what="the schedule")
        if hasattr(app, "action_search"):
            await press(
                "slash", until=lambda: isinstance(app.screen, ClientSearchScreen), what="search"
            )
        else:  # the app binds "/" to the same helper; count the key anyway
            keystrokes += 1
            await open_client_flow(app, app.desk, clinic.home_id, clock=lambda: NOW)
            await wait_until(
                pilot, lambda: isinstance(app.screen, ClientSearchScreen), what="the client search"
            )
        assert isinstance(app.screen, ClientSearchScreen)
        await press(*"07700", until=typed("07700"), what="07700 in the search box")
        await press("enter", until=lambda: tab_ready(app, "overview"), what="Ann's profile")
        assert isinstance(app.screen, ClientProfileScreen)
        await press("b", until=adjusting, what="the Adjust Beauty Bank dialog")
        await press(*typed_amount("25"), until=typed(typed_amount("25")), what="25 in the amount")
        await press("tab", until=typed(""), what="the reason field")
        await press(*"Goodwill", until=typed("Goodwill"), what="Goodwill as the reason")
        await press("enter", until=lambda: tab_ready(app, "overview"), what="the profile again")
        print(f"keystrokes: {keystrokes}")
        assert keystrokes <= 25
        page = await app.desk.balances.history(clinic.ann_id, StoredValueKind.WALLET_MONEY, limit=1)
        newest = page.entries[0]
        assert (newest.amount, newest.description) == (amount("25.00"), "Goodwill")
        assert isinstance(app.screen, ClientProfileScreen)


async def test_k_books_this_client_on_a_typed_date(sqlite_url: str, clinic: ProfileClinic) -> None:
    from textual.widgets import Select

    from screens.booking import BookingScreen

    app = profile_app(sqlite_url, clinic.bob_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.press("k")
        await wait_until(
            pilot, lambda: isinstance(app.screen, BookingScreen), what="the booking screen"
        )
        booking = app.screen
        assert isinstance(booking, BookingScreen)
        assert booking.client is not None and booking.client.id == clinic.bob_id
        assert booking.query_one("#date", Input).value == f"{NOW:%d/%m/%Y}"
        service: Select[int] = booking.query_one("#service", Select)
        service.value = next(value for _, value in service._options if isinstance(value, int))
        staff: Select[int] = booking.query_one("#staff", Select)
        staff.value = next(value for _, value in staff._options if isinstance(value, int))
        booking.query_one("#date", Input).value = "tomorrow"
        booking.query_one("#start", Input).value = "11:00"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: "11:00" in text_of(app, "#overview-upcoming"),
            what="the new booking under Upcoming",
        )
        assert isinstance(app.screen, ClientProfileScreen)
        upcoming = text_of(app, "#overview-upcoming")
        tomorrow = NOW + dt.timedelta(days=1)
        assert f"{tomorrow:%a} {tomorrow.day} {tomorrow:%b %Y} 11:00" in upcoming, upcoming
        assert any("Booked" in n or "11:00" in n for n in notes(app))


async def test_s_opens_a_ticket_and_the_overview_shows_the_banked_units(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    from textual.widgets import OptionList

    from screens.ticket import TicketScreen
    from screens.widgets.picker import PickerModal
    from tests.screens.ticket_fixtures import completed, press_and_quote, ticket_opened

    app = profile_app(sqlite_url, clinic.bob_id, clinic.home_id, staff_id=clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        assert "Banked products: none" in text_of(app, "#overview-balances")
        await pilot.press("s")
        await ticket_opened(pilot)
        ticket = app.screen
        assert isinstance(ticket, TicketScreen) and ticket.client_id == clinic.bob_id
        assert ticket.location_id == clinic.home_id
        await pilot.press("a")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, PickerModal)
                and app.screen.query_one(OptionList).option_count > 0
            ),
            what="the list of what can be sold",
        )
        items = app.screen.query_one(OptionList)
        items.highlighted = next(
            i
            for i in range(items.option_count)
            if str(items.get_option_at_index(i).prompt).startswith("Botox ·")
        )
        await pilot.press("enter")
        await ticket_opened(pilot)
        await press_and_quote(pilot, "plus", "plus", "plus", "plus")
        await pilot.press("ctrl+s")
        await completed(pilot)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "Banked products: Botox 5 units" in text_of(app, "#overview-balances"),
            what="5 Botox units banked",
        )
        assert isinstance(app.screen, ClientProfileScreen)


async def test_every_tab_footer_fits_beside_the_palette_at_80_columns(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    """The balance, book and sell keys are listed on Overview only (they still work on
    every tab): beside a tab's own keys they ran under the ^p palette key."""
    from textual.widgets._footer import FooterKey

    from screens.booking import BookingScreen

    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        for spec in TABS:
            await pilot.press(spec.key)
            await wait_until(
                pilot, partial(tab_ready, app, spec.pane_id), what=f"the {spec.label} tab"
            )
            await pilot.pause()
            keys = list(app.screen.query(FooterKey))
            palette = next(k for k in keys if k.has_class("-command-palette"))
            others = [k for k in keys if k is not palette]
            assert all(k.region.right <= palette.region.x for k in others), (
                spec.pane_id,
                [(k.description, k.region) for k in others],
            )
            listed = {k.description for k in others}
            assert ("Book" in listed) == (spec.pane_id == "overview"), (spec.pane_id, listed)
        await pilot.press("k")  # not listed on this tab, still works
        await wait_until(
            pilot, lambda: isinstance(app.screen, BookingScreen), what="the booking screen"
        )
        assert isinstance(app.screen, BookingScreen)


async def test_a_tab_key_pressed_from_a_focused_checkbox_stays_on_the_new_tab(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    """Focus in a pane that hides must not pull the tabs back to it: '3' then '4' once
    ended on Notifications again (a TabbedContent followed the focus)."""
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.press("3")
        await wait_until(pilot, partial(tab_ready, app, "notifications"), what="Notifications")
        assert app.focused is not None and app.focused.id == "notify-email-schedule"
        await pilot.press("4")
        await wait_until(pilot, partial(tab_ready, app, "relationships"), what="Relationships")
        for _ in range(5):  # a bounce back would come within a few message rounds
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClientProfileScreen) and screen.active_tab == "relationships"


async def test_a_tab_is_built_the_first_time_it_is_shown(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    """Opening a profile builds Overview only: the other eleven wait until shown."""
    app = profile_app(sqlite_url, clinic.ann_id, clinic.home_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        screen = profile(app)
        built = {spec.pane_id for spec in TABS if screen.query(f"#tab-{spec.pane_id}")}
        assert built == {"overview"}
        await pilot.press("7")
        await wait_until(
            pilot, lambda: tab_ready(app, "account"), what="the Account tab, built and loaded"
        )
        account = screen.query_one("#tab-account", AccountTab)
        assert account.summary is not None  # built, then loaded
        assert not screen.query("#tab-rewards")
        await pilot.press("1", "7")  # back and again: the same tab, not a second one
        await wait_until(
            pilot, lambda: tab_ready(app, "account"), what="the Account tab, shown again"
        )
        assert screen.query_one("#tab-account", AccountTab) is account
