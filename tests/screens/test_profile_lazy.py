"""The profile builds and reads only what is shown (issue 19): Overview at open, a tab
when first shown, an Account section when first shown, and the footer once per new set
of keys. Widget and compose counts, never timings."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import pytest
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from frontdesk.services.desk import Desk
from frontdesk.services.profile.header import HeaderCases
from frontdesk.services.stored_value import Balances
from screens.app import FrontdeskApp
from screens.profile import ClientProfileScreen
from screens.profile_tabs.account import AccountTab
from screens.profile_tabs.ledger_history import LedgerHistory
from screens.profile_tabs.registry import TAB_IDS
from screens.schedule import ScheduleScreen
from screens.search import ClientSearchScreen
from screens.widgets import late_cover
from screens.widgets.footer import SteadyFooter
from screens.widgets.header import DeskHeader
from tests.screens.profile_fixtures import (
    NOW,
    SIZE,
    ProfileClinic,
    ProfileHost,
    build_profile_clinic_at,
    profile_opened,
    section_shown,
    tab_ready,
)
from tests.waiting import wait_until


@pytest.fixture
async def clinic(sqlite_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(sqlite_url)


def ann(url: str, clinic: ProfileClinic, staff_id: int | None = None) -> ProfileHost:
    return ProfileHost(
        url,
        lambda s: ClientProfileScreen(
            s, clinic.ann_id, location_id=clinic.home_id, clock=lambda: NOW
        ),
        staff_id=staff_id,
    )


def profile(app: ProfileHost) -> ClientProfileScreen:
    screen = app.screen
    assert isinstance(screen, ClientProfileScreen), screen
    return screen


def built(screen: ClientProfileScreen) -> list[str]:
    return [pane for pane in TAB_IDS if screen.tab_widget(pane) is not None]


async def test_opening_builds_overview_only(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = ann(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        screen = profile(app)
        assert built(screen) == ["overview"]
        assert screen.loaded == {"overview"}  # filled from the opening read, not re-read
        assert not screen.query(DataTable)  # no tab with a table is composed yet
        assert "Beauty Bank Available Balance" in str(
            screen.query_one("#overview-balances").render()
        )


async def test_opening_mounts_a_budget_of_widgets(sqlite_url: str, clinic: ProfileClinic) -> None:
    """The tab row is one widget and a tab's pane is made with the tab: a TabbedContent
    made 28 (twelve tabs, twelve empty panes, their rows, an underline, a switcher) and
    an open profile was 58 widgets (issue 19)."""
    app = ann(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        screen = profile(app)
        kinds = [type(w).__name__ for w in screen.walk_children()]
        assert not {"TabbedContent", "ContentTab", "TabPane", "Tabs"} & set(kinds), kinds
        assert kinds.count("SectionBar") == 1
        assert [pane.id for pane in screen.query(".profile-pane")] == ["overview"]
        assert len(kinds) <= 30, kinds


async def test_a_tab_and_a_section_are_read_when_first_shown(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = ann(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.press("7")
        await wait_until(pilot, lambda: tab_ready(app, "account"), what="the Account tab")
        screen = profile(app)
        assert built(screen) == ["overview", "account"]
        account = screen.query_one(AccountTab)
        assert account.sections_loaded == {"acct-balance"}
        # One section built: its history's table, not five sections' (issue 19). Ann
        # has prepaid facials; their section is neither read nor built until shown.
        assert account.sections_built == {"acct-balance"}
        assert [t.id for t in account.query(DataTable)] == ["account-history-table"]
        assert not screen.query("#prepaid-table")
        screen.query_one("#account-sections").active = "acct-prepaid"  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: section_shown(app, "acct-prepaid"), what="Prepaid")
        prepaid: DataTable[object] = screen.query_one("#prepaid-table", DataTable)
        assert prepaid.row_count == 1
        assert account.sections_loaded == {"acct-balance", "acct-prepaid"}


async def test_the_footer_is_built_once_per_key_set(
    sqlite_url: str, clinic: ProfileClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    composed: list[int] = []
    plain_compose = SteadyFooter.compose

    def counting(self: SteadyFooter) -> ComposeResult:
        keys: Iterable[Widget] = list(plain_compose(self))
        if self._bindings_ready:
            composed.append(len(list(keys)))
        return iter(keys)

    monkeypatch.setattr(SteadyFooter, "compose", counting)
    app = ann(sqlite_url, clinic, staff_id=clinic.reception_id)  # may adjust: b and a
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        # Once, after the header says who may do what: not before it without the
        # balance keys and again with them. Textual's own Footer rebuilt itself on each
        # of ~8 signals here.
        assert len(composed) == 1, composed
        footer = profile(app).query_one(SteadyFooter)
        assert {"escape", "b", "a"} <= {key.key for key in footer.query(FooterKey)}


async def test_a_quick_opening_read_puts_up_no_cover_and_a_slow_one_does(
    sqlite_url: str, clinic: ProfileClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cover is a mounted, animated widget: put up and taken down on every open it
    was a layout pass each way for a read of ~15 ms. It goes up once the read is slow.
    "Slow" is set for each half (no read is ever that slow / at once), not raced."""
    covered: list[bool] = []
    release = asyncio.Event()
    plain_opening = HeaderCases.opening

    async def held(self: HeaderCases, *args: Any) -> Any:
        await release.wait()
        return await plain_opening(self, *args)

    plain_watch = Widget._watch_loading

    def watching(widget: Widget, loading: bool) -> None:
        if widget.id == "profile-body":
            covered.append(loading)
        plain_watch(widget, loading)

    monkeypatch.setattr(Widget, "_watch_loading", watching)
    monkeypatch.setattr(late_cover, "COVER_AFTER", 3600.0)
    app = ann(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        assert covered in ([], [False]), covered  # quicker than "slow": never up
        covered.clear()
        monkeypatch.setattr(late_cover, "COVER_AFTER", 0.001)
        monkeypatch.setattr(HeaderCases, "opening", held)
        screen = ClientProfileScreen(
            app.desk, clinic.ann_id, location_id=clinic.home_id, clock=lambda: NOW
        )
        await app.push_screen(screen)
        await wait_until(pilot, lambda: covered == [True], what="the cover", workers=False)
        release.set()
        await wait_until(pilot, lambda: tab_ready(app, "overview"), what="the profile")
        assert covered == [True, False]


async def test_7_mounts_a_budget_of_widgets(
    sqlite_url: str, clinic: ProfileClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`7` made 31 widgets, 17 of them the Account tab's section tabs (a TabbedContent:
    tabs, their rows, an underline, a switcher, five panes). The section row is one
    widget now and a section's pane is made when it is first shown (issue 19)."""
    made: list[str] = []
    plain_init = Widget.__init__

    def counting(self: Widget, *args: object, **kwargs: object) -> None:
        made.append(type(self).__name__)
        plain_init(self, *args, **kwargs)  # type: ignore[arg-type]

    app = ann(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        monkeypatch.setattr(Widget, "__init__", counting)
        await pilot.press("7")
        await wait_until(pilot, lambda: section_shown(app, "acct-balance"), what="Account")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        monkeypatch.undo()
        account = profile(app).query_one(AccountTab)
        # The tab, its read-only line, the section row, the switcher, the one pane, the
        # history (balance line, table, status, empty line) and the footer's new keys.
        assert made.count("SectionBar") == 1
        assert not {"TabbedContent", "ContentTab", "TabPane"} & set(made), made
        assert len(account.query("#account-section-panes > *")) == 1
        assert len(made) <= 18, made


async def test_7_reads_once_before_the_tab_is_built_and_builds_the_footer_once(
    sqlite_url: str, clinic: ProfileClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`7` reads the balances and the first history page before the Account tab is
    mounted (the mount's work held up each statement of a read beside it), its first
    section comes with the tab, and the footer is built once the tab is in, focus
    inside it: not on the tab change and again on the focus move (issue 19)."""
    reads: list[bool] = []  # for each read: was the Account tab mounted yet?
    plain_read = Balances.with_history

    async def watched(self: Balances, *args: Any, **kwargs: Any) -> Any:
        reads.append(bool(app.screen.query(AccountTab)))
        return await plain_read(self, *args, **kwargs)

    composed: list[int] = []
    plain_compose = SteadyFooter.compose

    def counting(self: SteadyFooter) -> ComposeResult:
        keys = list(plain_compose(self))
        composed.append(len(keys))
        return iter(keys)

    app = ann(sqlite_url, clinic, staff_id=clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await profile_opened(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        monkeypatch.setattr(Balances, "with_history", watched)
        monkeypatch.setattr(SteadyFooter, "compose", counting)
        await pilot.press("7")
        await wait_until(pilot, lambda: section_shown(app, "acct-balance"), what="Account")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert reads == [False]  # one read, before the mount; `load` used it
        account = profile(app).query_one(AccountTab)
        assert account.query_one("#account-history", LedgerHistory).table.row_count > 0
        assert len(composed) == 1, composed


async def test_enter_on_a_hit_replaces_the_search_with_a_profile_composed_whole(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    """The opening is read while the search is still up; the profile then takes the
    search's place with its header, tabs and Overview composed (one layout pass, no
    "Opening profile…" frame) and the schedule never comes to the top in between."""
    app = FrontdeskApp(
        lambda: Desk.open(sqlite_url, terminal="desk-1", staff_id=clinic.reception_id),
        clock=lambda: NOW,
        today=NOW.date(),
    )
    tops: list[tuple[str, bool]] = []  # each screen that came to the top; composed?

    def came_to_top(screen: Screen[Any]) -> None:
        composed = isinstance(screen, ClientProfileScreen) and screen.header is not None
        tops.append((type(screen).__name__, composed))

    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ScheduleScreen), what="schedule")
        app.screen_change_signal.subscribe(app, came_to_top)
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientSearchScreen), what="search")
        await pilot.press(*"07700")
        await wait_until(
            pilot,
            lambda: (
                bool(app.screen.query(DataTable)) and app.screen.query_one(DataTable).row_count == 1
            ),
            what="Ann's hit",
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: tab_ready(app, "overview"), what="Ann's profile")
        assert tops == [("ClientSearchScreen", False), ("ClientProfileScreen", True)], tops
        screen = app.screen
        assert isinstance(screen, ClientProfileScreen) and screen.loaded == {"overview"}
        assert app.focused is not None and app.focused.id == "overview-scroll"
        await pilot.press("escape")  # back where the search was opened from
        await wait_until(pilot, lambda: isinstance(app.screen, ScheduleScreen), what="schedule")


async def test_a_slow_opening_read_covers_the_search_until_the_profile_is_in(
    sqlite_url: str, clinic: ProfileClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read now happens under the search: held, the search shows it is working
    (its cover, set to go up at once here) and Enter again starts nothing more."""
    release = asyncio.Event()
    reads: list[int] = []
    plain_opening = HeaderCases.opening

    async def held(self: HeaderCases, client_id: int, *args: Any) -> Any:
        reads.append(client_id)
        await release.wait()
        return await plain_opening(self, client_id, *args)

    monkeypatch.setattr(late_cover, "COVER_AFTER", 0.001)
    monkeypatch.setattr(HeaderCases, "opening", held)
    app = FrontdeskApp(
        lambda: Desk.open(sqlite_url, terminal="desk-1", staff_id=clinic.reception_id),
        clock=lambda: NOW,
        today=NOW.date(),
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ScheduleScreen), what="schedule")
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientSearchScreen), what="search")
        search = app.screen
        await pilot.press(*"07700")
        hit = "#search-results"
        await wait_until(pilot, lambda: search.query_one(hit, DataTable).row_count == 1, what="hit")
        await pilot.press("enter")
        dialog = search.query_one("#search-dialog")
        await wait_until(pilot, lambda: dialog.loading, what="the cover", workers=False)
        await pilot.press("enter")  # again, while it reads: nothing more
        assert reads == [clinic.ann_id] and app.screen is search
        release.set()
        await wait_until(pilot, lambda: tab_ready(app, "overview"), what="Ann's profile")
        assert reads == [clinic.ann_id]


async def test_a_profile_composed_whole_names_the_desk_in_its_first_frame(
    sqlite_url: str, clinic: ProfileClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header line's business, location and who is signed in come with the compose,
    not from the app's `Shown` binding a message later: a profile composed whole showed
    a bare header line for a frame (CI's tmux capture caught it under load). Here the
    binding never comes, so only the compose can have named them."""
    monkeypatch.setattr(FrontdeskApp, "on_desk_screen_shown", lambda self, message: None)
    app = FrontdeskApp(
        lambda: Desk.open(sqlite_url, terminal="desk-1", staff_id=clinic.reception_id),
        clock=lambda: NOW,
        today=NOW.date(),
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ScheduleScreen), what="schedule")
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientSearchScreen), what="search")
        await pilot.press(*"07700")
        hit = "#search-results"
        await wait_until(
            pilot, lambda: app.screen.query_one(hit, DataTable).row_count == 1, what="hit"
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: tab_ready(app, "overview"), what="Ann's profile")
        header = app.screen.query_one(DeskHeader)
        assert app.business_name and app.staff_name
        assert (header.business, header.staff) == (app.business_name, app.staff_name)
