"""The client profile's tabs, one at a time, at 80x24 with the keyboard on real SQLite.

Each test mounts ONE tab in `TabHost` (the profile screen's tab area: 78x18), waits for
its `load()`, drives it with Pilot and checks what the database holds afterwards, not
just the screen.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from rich.text import Text
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Input, OptionList, TextArea

from frontdesk.services.desk import Desk
from frontdesk.views import ClientSummary
from frontdesk.views.profile import NotificationPrefs, RelationshipView
from screens.profile_tabs.activity import ActivityTab
from screens.profile_tabs.attendance import AttendanceTab
from screens.profile_tabs.base import ProfileTab
from screens.profile_tabs.contact import ContactTab
from screens.profile_tabs.details import DetailsTab
from screens.profile_tabs.documents import DocumentsTab
from screens.profile_tabs.goals import GoalsTab
from screens.profile_tabs.notifications import NotificationsTab
from screens.profile_tabs.relationships import LinkClientModal, RelationshipsTab
from screens.profile_tabs.rewards import RewardsTab
from screens.profile_tabs.transformation import TransformationTab
from screens.reason import ConfirmModal
from screens.widgets.form import FormModal
from tests.money import money
from tests.screens.profile_fixtures import notes
from tests.screens.profile_tab_fixtures import (
    BOOKINGS,
    MARKUP_FIRST,
    MARKUP_LAST,
    SIZE,
    Profile,
    TabHost,
    build_profile_at,
    shown,
    tab_loaded,
    text_of,
    type_into,
)
from tests.waiting import wait_until

TabClass = type[ProfileTab]


@pytest.fixture
async def profile(sqlite_url: str) -> Profile:
    return await build_profile_at(sqlite_url)


def host(
    url: str,
    tab: TabClass,
    client_id: int,
    *,
    location_id: int | None = None,
    read_only_reason: str | None = None,
    staff_id: int | None = None,
) -> TabHost:
    def make(desk: Desk) -> ProfileTab:
        return tab(
            desk,
            client_id,
            location_id=location_id,
            read_only_reason=read_only_reason,
            id="tab",
        )

    return TabHost(url, make, staff_id=staff_id)


def rows(app: TabHost, selector: str) -> list[tuple[str, ...]]:
    table = app.screen.query_one(selector, DataTable)
    return [
        tuple(c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(i))
        for i in range(table.row_count)
    ]


def opted_in(prefs: NotificationPrefs, channel: str, category: str) -> bool:
    """One of the six settings; a category never set counts as opted in."""
    return next(
        s.opted_in for s in prefs.settings if (s.channel, s.category) == (channel, category)
    )


def link_results(app: TabHost) -> list[str]:
    results = app.screen.query_one("#link-results", OptionList)
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


def on_top(app: TabHost, screen_type: type[Screen[Any]]) -> bool:
    return isinstance(app.screen, screen_type)


async def open_desk(url: str, staff_id: int | None = None) -> Desk:
    return Desk.open(url, terminal="check", staff_id=staff_id)


# --- every tab, with data and empty --------------------------------------------------

ALL_TABS: list[tuple[TabClass, str]] = [
    (DetailsTab, "#details-message"),
    (NotificationsTab, "#notify-message"),
    (RelationshipsTab, "#relationships-message"),
    (ActivityTab, "#activity-message"),
    (AttendanceTab, "#attendance-message"),
    (RewardsTab, "#rewards-message"),
    (ContactTab, "#contact-message"),
    (DocumentsTab, "#documents-message"),
    (TransformationTab, "#transformation-message"),
    (GoalsTab, "#goals-message"),
]
EMPTY_LINES = {
    RelationshipsTab: "#relationships-empty",
    ActivityTab: "#activity-empty",
    AttendanceTab: "#attendance-empty",
    ContactTab: "#contact-empty",
    DocumentsTab: "#documents-empty",
    TransformationTab: "#transformation-empty",
    GoalsTab: "#goals-empty",
}


@pytest.mark.parametrize("empty", [False, True], ids=["with-data", "empty"])
@pytest.mark.parametrize(("tab", "message"), ALL_TABS, ids=lambda v: getattr(v, "__name__", ""))
async def test_each_tab_loads_inside_the_tab_area(
    sqlite_url: str, profile: Profile, tab: TabClass, message: str, empty: bool
) -> None:
    client = profile.empty if empty else profile.client
    app = host(sqlite_url, tab, client, location_id=profile.home, staff_id=profile.coach)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert not shown(app, message), text_of(app, message)
        assert not app.tab.loading
        area = app.query_one("#host-area").content_region
        for widget in app.tab.query("*"):
            if widget.display and widget.region.area:
                assert area.contains_region(widget.region), (widget, widget.region, area)
        if tab in EMPTY_LINES:
            assert shown(app, EMPTY_LINES[tab]) is empty
        for table in app.tab.query(DataTable):
            if empty:
                assert table.row_count == 0 or tab is RewardsTab  # prizes are the store's
            elif tab is not AttendanceTab:
                assert table.row_count > 0


# --- Profile Details ------------------------------------------------------------------


async def test_details_shows_and_saves(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, DetailsTab, profile.client, location_id=profile.home)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert app.query_one("#details-first_name", Input).value == "Amelia"
        assert app.query_one("#details-email", Input).value == "amelia@example.com"
        await type_into(pilot, app.query_one("#details-birthday", Input), "31/12/1990")
        app.query_one("#details-notes", TextArea).focus()
        await pilot.press(*"Likes tea")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: text_of(app, "#details-message") == "Details saved.",
            what='"Details saved."',
        )
        assert text_of(app, "#details-message") == "Details saved."
        assert app.query_one("#details-birthday", Input).value == "1990-12-31"
        assert app.changed == [profile.client]
    summary = await summary_of(sqlite_url, profile.client)
    assert (str(summary.birthday), summary.notes) == ("1990-12-31", "Likes tea")


async def test_details_validation_error_under_the_field_and_nothing_written(
    sqlite_url: str, profile: Profile
) -> None:
    app = host(sqlite_url, DetailsTab, profile.client, location_id=profile.home)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        await type_into(pilot, app.query_one("#details-first_name", Input), "Amy")
        email = app.query_one("#details-email", Input)
        await type_into(pilot, email, "not-an-email")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: shown(app, "#details-email-error"), what="the error under Email"
        )
        assert shown(app, "#details-email-error")
        assert text_of(app, "#details-email-error") == (
            "Type the email address like name@example.com"
        )
        assert app.focused is email
        assert not shown(app, "#details-first_name-error")
        assert not shown(app, "#details-message")
        assert app.changed == []
        # Fixing the field clears its error line.
        await type_into(pilot, email, "amy@example.com")
        assert not shown(app, "#details-email-error")
    summary = await summary_of(sqlite_url, profile.client)
    assert (summary.first_name, summary.email) == ("Amelia", "amelia@example.com")


async def test_details_birthday_error_names_its_field(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, DetailsTab, profile.client, location_id=profile.home)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        await type_into(pilot, app.query_one("#details-birthday", Input), "31/02/1990")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: text_of(app, "#details-birthday-error"), what="the error under Birthday"
        )
        assert text_of(app, "#details-birthday-error") == "31/02/1990 is not a real date"
    assert (await summary_of(sqlite_url, profile.client)).birthday is None


async def test_details_read_only_for_a_travel_member(sqlite_url: str, profile: Profile) -> None:
    reason = "This client is a travel member (home location: Marylebone); edit them there."
    app = host(
        sqlite_url, DetailsTab, profile.client, location_id=profile.away, read_only_reason=reason
    )
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert shown(app, "#details-readonly")
        assert text_of(app, "#details-readonly") == reason
        assert all(box.disabled for box in app.tab.query(Input))
        assert app.query_one("#details-notes", TextArea).disabled
        assert app.query_one("#details-first_name", Input).value == "Amelia"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not app.changed, what="the read-only tab, nothing saved")
        assert app.changed == []


async def test_details_travel_member_refused_by_the_service_is_shown(
    sqlite_url: str, profile: Profile
) -> None:
    # No reason given (the screen did not know): the service still refuses, in words.
    app = host(sqlite_url, DetailsTab, profile.client, location_id=profile.away)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        await type_into(pilot, app.query_one("#details-first_name", Input), "Amy")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: shown(app, "#details-message"), what="the refusal in words")
        assert shown(app, "#details-message")
        assert "travel member" in text_of(app, "#details-message")
    assert (await summary_of(sqlite_url, profile.client)).first_name == "Amelia"


# --- Notifications ----------------------------------------------------------------------


async def test_notifications_toggle_saves(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, NotificationsTab, profile.client)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        boxes = {box.id: box.value for box in app.tab.query(Checkbox)}
        assert boxes["notify-sms-news"] is False
        # The state is in the glyph, not only in colour (16-colour terminals, screenshots).
        assert str(app.query_one("#notify-sms-news", Checkbox).render()).startswith("▐ ▌")
        assert str(app.query_one("#notify-sms-account", Checkbox).render()).startswith("▐X▌")
        assert sum(boxes.values()) == 5
        assert not shown(app, "#notify-badge")
        app.query_one("#notify-email-schedule", Checkbox).focus()
        await pilot.press("down", "space")  # email / account management off
        await wait_until(pilot, lambda: app.changed, what="the change saved")
        assert app.changed == [profile.client]
        assert text_of(app, "#notify-status") == "Opted in to 4 of 6 notifications"
    prefs = await prefs_of(sqlite_url, profile.client)
    assert not opted_in(prefs, "email", "account")
    assert opted_in(prefs, "email", "schedule")


async def test_notifications_all_off_shows_opted_out(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, NotificationsTab, profile.empty)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert not shown(app, "#notify-badge")
        app.query_one("#notify-email-schedule", Checkbox).focus()
        for _ in range(6):
            await pilot.press("space", "down")
        await wait_until(pilot, lambda: shown(app, "#notify-badge"), what="the Opted out badge")
        assert shown(app, "#notify-badge")
        assert text_of(app, "#notify-badge") == "Opted out"
        assert not any(box.value for box in app.tab.query(Checkbox))
    assert (await prefs_of(sqlite_url, profile.empty)).opted_out


# --- Relationships ------------------------------------------------------------------------


async def test_relationships_list_and_enter_opens_the_related_client(
    sqlite_url: str, profile: Profile
) -> None:
    app = host(sqlite_url, RelationshipsTab, profile.client)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        got = rows(app, "#relationships-table")
        assert [r[:2] for r in got] == [
            ("Pat Hart", "Partner"),
            (f"{MARKUP_FIRST} {MARKUP_LAST}", "Family"),  # shown literally, not as markup
        ]
        app.query_one("#relationships-table", DataTable).focus()
        await pilot.press("down", "enter")
        assert app.opened == [profile.markup]


async def test_relationships_link_and_unlink(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, RelationshipsTab, profile.empty)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert shown(app, "#relationships-empty")
        await pilot.press("l")
        await wait_until(pilot, partial(on_top, app, LinkClientModal), what="the link dialog")
        assert isinstance(app.screen, LinkClientModal)
        await pilot.press(*"Hartley")
        await wait_until(
            pilot, lambda: "Gina Hartley · C000005" in link_results(app), what="Gina in the results"
        )
        results = app.screen.query_one("#link-results", OptionList)
        assert [
            str(results.get_option_at_index(i).prompt) for i in range(results.option_count)
        ] == ["Gina Hartley · C000005"]
        await pilot.press("enter", "enter")  # to the results, pick Gina
        await pilot.press("down", "enter")  # Guardian
        await wait_until(
            pilot,
            lambda: "Linked Gina Hartley" in text_of(app, "#relationships-message"),
            what="Gina linked",
        )
        assert not isinstance(app.screen, LinkClientModal)
        assert [r[:2] for r in rows(app, "#relationships-table")] == [("Gina Hartley", "Guardian")]
        assert text_of(app, "#relationships-message") == "Linked Gina Hartley (Guardian)."
        assert app.changed == [profile.empty]
        links = await links_of(sqlite_url, profile.empty)
        assert [(v.related_name, v.kind) for v in links] == [("Gina Hartley", "guardian")]

        app.query_one("#relationships-table", DataTable).focus()
        await pilot.press("u")
        await wait_until(pilot, partial(on_top, app, ConfirmModal), what="the confirmation")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await wait_until(pilot, lambda: shown(app, "#relationships-empty"), what="no links again")
        assert shown(app, "#relationships-empty")
        assert app.changed == [profile.empty, profile.empty]
    assert await links_of(sqlite_url, profile.empty) == ()


async def test_link_refused_by_the_service_is_shown(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, RelationshipsTab, profile.client)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        await pilot.press("l")
        await wait_until(pilot, partial(on_top, app, LinkClientModal), what="the link dialog")
        await pilot.press(*"Pat")
        await wait_until(
            pilot,
            lambda: any(found.startswith("Pat Hart") for found in link_results(app)),
            what="Pat in the results",
        )
        await pilot.press("enter", "enter")
        await pilot.press("down", "down", "enter")  # partner again
        await wait_until(
            pilot, lambda: shown(app, "#relationships-message"), what="the refusal in words"
        )
        assert shown(app, "#relationships-message")
        assert text_of(app, "#relationships-message") == (
            "Not linked: These clients are already linked (partner)"
        )
        assert app.changed == []


# --- Activity -----------------------------------------------------------------------------


async def test_activity_pages_fifty_at_a_time(sqlite_url: str, profile: Profile) -> None:
    desk = await open_desk(sqlite_url)
    try:
        total = (await desk.profile.activity(profile.client)).total
    finally:
        await desk.close()
    assert total > 50 + BOOKINGS - 50
    app = host(sqlite_url, ActivityTab, profile.client)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert text_of(app, "#activity-status").startswith(f"1–50 of {total} · newest first")
        table = app.query_one("#activity-table", DataTable)
        assert table.row_count == 50
        first_page = rows(app, "#activity-table")
        assert {r[1] for r in first_page} >= {"Booked", "Cancelled", "No-show"}
        table.focus()
        await pilot.press("pagedown")
        await wait_until(
            pilot,
            lambda: text_of(app, "#activity-status").startswith("51–"),
            what="the second page",
        )
        assert text_of(app, "#activity-status").startswith(f"51–{total} of {total}")
        assert table.row_count == total - 50
        assert all(r[1] == "Booked" for r in rows(app, "#activity-table"))  # the oldest
        await pilot.press("pagedown")  # no further page: nothing happens
        await wait_until(
            pilot,
            lambda: text_of(app, "#activity-status").startswith("51–"),
            what="still the second page",
        )
        assert text_of(app, "#activity-status").startswith(f"51–{total}")
        await pilot.press("pageup")
        await wait_until(
            pilot,
            lambda: text_of(app, "#activity-status").startswith("1–50 "),
            what="the first page again",
        )
        assert text_of(app, "#activity-status").startswith(f"1–50 of {total}")
        assert rows(app, "#activity-table") == first_page


async def test_activity_empty(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, ActivityTab, profile.empty)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert shown(app, "#activity-empty")
        assert text_of(app, "#activity-status").startswith("0 of 0")


# --- Attendance ---------------------------------------------------------------------------


async def test_attendance_counts_and_unpaid_visits(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, AttendanceTab, profile.client)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert text_of(app, "#attendance-summary") == "3 visits · 1 no-show · 1 cancellation"
        assert text_of(app, "#attendance-locations") == ("  Marylebone: 2 visits\n  Soho: 1 visit")
        assert text_of(app, "#attendance-unpaid-title") == "Unpaid visits to reconcile: 3"
        got = rows(app, "#attendance-unpaid")
        assert got[0] == (
            "10 Nov 2026 12:00",
            "Signature Facial",
            "Cara Coach",
            "Soho",
            money("90.00"),
        )
        assert len(got) == 3


async def test_attendance_empty(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, AttendanceTab, profile.empty)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert text_of(app, "#attendance-summary") == "0 visits · 0 no-shows · 0 cancellations"
        assert shown(app, "#attendance-empty")
        assert not app.query_one("#attendance-unpaid", DataTable).display


# --- Rewards ------------------------------------------------------------------------------


async def test_rewards_redeem_short_shows_insufficient_then_redeem(
    sqlite_url: str, profile: Profile
) -> None:
    app = host(sqlite_url, RewardsTab, profile.client)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert text_of(app, "#rewards-balance") == "Points balance: 70 points"
        assert rows(app, "#rewards-prizes") == [
            ("SPF 50 mini", "50 points", "can redeem"),
            ("Brow Shape & Tint", "250 points", "needs 180 more"),
        ]
        assert [r[1:3] for r in rows(app, "#rewards-ledger")] == [("+30 ↑", "70"), ("+40 ↑", "40")]
        prizes = app.query_one("#rewards-prizes", DataTable)
        prizes.focus()
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: shown(app, "#rewards-message"), what='"Not enough points"')
        assert shown(app, "#rewards-message")
        assert text_of(app, "#rewards-message") == "Not enough points: 70 available, 250 needed"
        assert app.changed == []
        await pilot.press("up", "enter")
        await wait_until(pilot, partial(on_top, app, ConfirmModal), what="the confirmation")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: text_of(app, "#rewards-message").startswith("Redeemed"),
            what="the prize redeemed",
        )
        assert text_of(app, "#rewards-balance") == "Points balance: 20 points"
        assert text_of(app, "#rewards-message") == "Redeemed SPF 50 mini: 20 points left."
        assert rows(app, "#rewards-ledger")[0][1:4] == ("−50 ↓", "20", "Redeemed: SPF 50 mini")
        assert app.changed == [profile.client]
    desk = await open_desk(sqlite_url)
    try:
        assert (await desk.profile.rewards(profile.client)).balance == 20
    finally:
        await desk.close()


async def test_j_adjusts_the_points_by_hand_with_a_reason(
    sqlite_url: str, profile: Profile
) -> None:
    app = host(sqlite_url, RewardsTab, profile.client)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert text_of(app, "#rewards-balance") == "Points balance: 70 points"
        app.query_one("#rewards-ledger", DataTable).focus()
        await pilot.press("j")
        await wait_until(pilot, partial(on_top, app, FormModal), what="the points form")
        await pilot.press(*"-90", "tab", *"Too many for one visit", "ctrl+s")
        await wait_until(
            pilot, lambda: text_of(app, "#form-points-error"), what="the refusal under Points"
        )
        assert "70" in text_of(app, "#form-points-error")  # never below zero
        # The refused field has the focus again.
        await pilot.press("end", "backspace", "backspace", "2", "0")
        assert app.screen.query_one("#form-points", Input).value == "-20"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: text_of(app, "#rewards-balance") == "Points balance: 50 points",
            what="50 points left",
        )
        assert text_of(app, "#rewards-message") == "Adjusted by −20 ↓: 50 points now."
        assert rows(app, "#rewards-ledger")[0][1:4] == ("−20 ↓", "50", "Too many for one visit")
        assert app.changed == [profile.client]


async def test_rewards_empty(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, RewardsTab, profile.empty)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert text_of(app, "#rewards-balance") == "Points balance: 0 points"
        assert text_of(app, "#rewards-ledger-title") == (
            "Points ledger · no points earned or redeemed yet"
        )
        assert rows(app, "#rewards-prizes")[0][2] == "needs 50 more"


# --- Contact History ------------------------------------------------------------------------


async def test_contact_history_and_log_a_contact(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, ContactTab, profile.client, staff_id=profile.desk)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        got = rows(app, "#contact-table")
        assert {r[1:] for r in got} == {
            ("Email", "Cara Coach", "Sent aftercare [b]notes[/b]"),
            ("Call", "Cara Coach", "Confirmed Friday's facial"),
        }
        await pilot.press("c")
        await wait_until(pilot, partial(on_top, app, FormModal), what="the contact form")
        assert isinstance(app.screen, FormModal)
        await pilot.press("ctrl+s")  # no note yet
        await wait_until(pilot, lambda: text_of(app, "#form-note-error"), what="the note asked for")
        assert text_of(app, "#form-note-error") == "Enter a note"
        assert app.screen.focused is app.screen.query_one("#form-note", TextArea)
        await pilot.press("shift+tab", "right", "right", "space")  # SMS
        await pilot.press("tab", *"Reminder sent")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: text_of(app, "#contact-message") == "SMS logged.", what="the SMS logged"
        )
        assert not isinstance(app.screen, FormModal)
        assert rows(app, "#contact-table")[0][1:] == ("SMS", "Dee Desk", "Reminder sent")
        assert text_of(app, "#contact-message") == "SMS logged."
        assert text_of(app, "#contact-status").startswith("1–3 of 3")
        assert app.changed == [profile.client]
    desk = await open_desk(sqlite_url)
    try:
        page = await desk.profile.contact_history(profile.client)
    finally:
        await desk.close()
    assert (page.total, page.items[0].channel, page.items[0].note) == (3, "sms", "Reminder sent")


# --- Documents -------------------------------------------------------------------------------


async def test_documents_mark_signed(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, DocumentsTab, profile.client)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert rows(app, "#documents-table") == [
            ("Botox consent", "Consent", "Unsigned"),
            ("Medical history form", "Form", "Unsigned"),
        ]
        app.query_one("#documents-table", DataTable).focus()
        await pilot.press("s")
        await wait_until(pilot, partial(on_top, app, ConfirmModal), what="the confirmation")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await wait_until(
            pilot,
            lambda: "1 unsigned" in text_of(app, "#documents-status"),
            what="one document signed",
        )
        got = rows(app, "#documents-table")
        assert got[0] == ("Medical history form", "Form", "Unsigned")
        assert got[1][0] == "Botox consent" and got[1][2].startswith("Signed ")
        assert app.query_one("#documents-table", DataTable).cursor_row == 1
        assert text_of(app, "#documents-status") == "2 documents · 1 unsigned"
        assert app.changed == [profile.client]
        await pilot.press("s")  # already signed: says so, no modal
        await wait_until(
            pilot,
            lambda: "already signed" in text_of(app, "#documents-message"),
            what="already signed",
        )
        assert not isinstance(app.screen, ConfirmModal)
        assert "already signed" in text_of(app, "#documents-message")
    desk = await open_desk(sqlite_url)
    try:
        docs = await desk.profile.documents(profile.client)
    finally:
        await desk.close()
    assert {d.title: d.signed for d in docs} == {
        "Botox consent": True,
        "Medical history form": False,
    }


async def test_n_adds_a_consent_for_the_client_to_sign(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, DocumentsTab, profile.client)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        app.query_one("#documents-table", DataTable).focus()
        await pilot.press("n")
        await wait_until(pilot, partial(on_top, app, FormModal), what="the document form")
        await pilot.press("ctrl+s")  # no title yet
        await wait_until(
            pilot, lambda: text_of(app, "#form-title-error"), what="the title asked for"
        )
        await pilot.press(*"Filler consent", "tab", "right", "space")  # Consent
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: text_of(app, "#documents-message") == "Filler consent added, unsigned.",
            what="the consent added",
        )
        assert ("Filler consent", "Consent", "Unsigned") in rows(app, "#documents-table")
        assert text_of(app, "#documents-status") == "3 documents · 3 unsigned"
        assert app.changed == [profile.client]


# --- Transformation Log and Goals --------------------------------------------------------------


@pytest.mark.parametrize(
    ("tab", "name", "what"),
    [(TransformationTab, "transformation", "transformation log"), (GoalsTab, "goals", "goals")],
)
async def test_permission_denied_message_instead_of_data(
    sqlite_url: str, profile: Profile, tab: TabClass, name: str, what: str
) -> None:
    app = host(sqlite_url, tab, profile.client, staff_id=profile.desk)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert shown(app, f"#{name}-denied")
        assert text_of(app, f"#{name}-denied") == (
            f"You need the “edit transformation log” permission to view this client's {what}."
        )
        assert not app.query_one(f"#{name}-table", DataTable).display
        assert not shown(app, f"#{name}-empty")
        refusal = "You need the “edit transformation log” permission to do this"
        app.query_one(f"#{name}-denied").focus()  # as the profile does when it opens the tab
        for key in ("n", "e"):  # each key says why, in the service's words
            app.clear_notifications()
            await pilot.press(key)
            await wait_until(pilot, lambda: refusal in notes(app), what=f"{key} refused")
            assert not isinstance(app.screen, FormModal)


async def test_transformation_allowed_create_and_edit(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, TransformationTab, profile.client, staff_id=profile.coach)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert not shown(app, "#transformation-denied")
        assert rows(app, "#transformation-table") == [
            ("01 Oct 2026", "Starting weight 70kg", "Cara Coach")
        ]
        app.query_one("#transformation-table", DataTable).focus()
        await pilot.press("plus")
        await wait_until(pilot, partial(on_top, app, FormModal), what="the entry form")
        assert isinstance(app.screen, FormModal)
        date = app.screen.query_one("#form-entry_date", Input)
        assert date.value == "2026-11-23"  # today on the desk's clock
        await type_into(pilot, date, "30/02/2026")
        await pilot.press("tab", *"Down 2kg")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: text_of(app, "#form-entry_date-error"), what="the date refused"
        )
        assert text_of(app, "#form-entry_date-error") == "30/02/2026 is not a real date"
        await type_into(pilot, app.screen.query_one("#form-entry_date", Input), "01/11/2026")
        await pilot.press("enter")  # Enter in a one-line field saves too
        await wait_until(
            pilot,
            lambda: text_of(app, "#transformation-message") == "Added.",
            what="the entry added",
        )
        assert not isinstance(app.screen, FormModal)
        assert rows(app, "#transformation-table")[0] == ("01 Nov 2026", "Down 2kg", "Cara Coach")
        assert text_of(app, "#transformation-message") == "Added."

        await pilot.press("down", "e")  # edit the October entry
        await wait_until(pilot, partial(on_top, app, FormModal), what="the entry form")
        assert isinstance(app.screen, FormModal)
        note = app.screen.query_one("#form-note", TextArea)
        assert note.text == "Starting weight 70kg"
        note.focus()
        await pilot.press("end", *" (after holiday)")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: any("(after holiday)" in row[1] for row in rows(app, "#transformation-table")),
            what="the edit listed",
        )
        assert rows(app, "#transformation-table")[1][1] == "Starting weight 70kg (after holiday)"
        assert app.changed == [profile.client, profile.client]
    desk = await open_desk(sqlite_url, staff_id=profile.coach)
    try:
        entries = await desk.profile.transformation_log(profile.client)
    finally:
        await desk.close()
    assert [(str(e.entry_date), e.note) for e in entries] == [
        ("2026-11-01", "Down 2kg"),
        ("2026-10-01", "Starting weight 70kg (after holiday)"),
    ]


async def test_goals_allowed_create_and_edit(sqlite_url: str, profile: Profile) -> None:
    app = host(sqlite_url, GoalsTab, profile.client, staff_id=profile.coach)
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        assert rows(app, "#goals-table") == [("Run a 10k", "01 Mar 2027", "Open", "Spring race")]
        app.query_one("#goals-table", DataTable).focus()
        await pilot.press("n")
        await wait_until(pilot, partial(on_top, app, FormModal), what="the goal form")
        await pilot.press(*"Drink more water")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: len(rows(app, "#goals-table")) == 2, what="the new goal listed"
        )
        assert rows(app, "#goals-table")[1] == ("Drink more water", "—", "Open", "")
        assert app.query_one("#goals-table", DataTable).cursor_row == 1

        await pilot.press("e")
        await wait_until(pilot, partial(on_top, app, FormModal), what="the goal form")
        assert isinstance(app.screen, FormModal)
        await pilot.press("tab", "tab", "space")  # title, target date, achieved
        assert app.screen.query_one("#form-achieved", Checkbox).value
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: any(row[2] == "Achieved" for row in rows(app, "#goals-table")),
            what="the goal achieved",
        )
        assert rows(app, "#goals-table")[1] == ("Drink more water", "—", "Achieved", "")
        assert app.changed == [profile.client, profile.client]
    desk = await open_desk(sqlite_url, staff_id=profile.coach)
    try:
        goals = await desk.profile.goals(profile.client)
    finally:
        await desk.close()
    assert [(g.title, g.achieved) for g in goals] == [
        ("Run a 10k", False),
        ("Drink more water", True),
    ]


# --- reading back ---------------------------------------------------------------------------


async def summary_of(url: str, client_id: int) -> ClientSummary:
    desk = await open_desk(url)
    try:
        return await desk.clients.summary(client_id)
    finally:
        await desk.close()


async def prefs_of(url: str, client_id: int) -> NotificationPrefs:
    desk = await open_desk(url)
    try:
        return await desk.profile.notification_prefs(client_id)
    finally:
        await desk.close()


async def links_of(url: str, client_id: int) -> tuple[RelationshipView, ...]:
    desk = await open_desk(url)
    try:
        return await desk.profile.relationships(client_id)
    finally:
        await desk.close()
