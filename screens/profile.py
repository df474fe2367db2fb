"""A client's profile (docs/rules.md#client-profile): a header line and twelve tabs.

`ClientProfileScreen(desk, client_id, location_id=..., clock=..., opening=...)`: given
the opening read (header, balances, next appointments, permissions: one transaction),
done before it is pushed as the search does, it composes whole in one pass; without
it, it reads that once mounted (a cover only if the read is slow). The header
names the client (escaped: shown as literal text), their client number, membership and
badges ("Opted out", "Owes £30.00", "Travel member (home: Shoreditch)"). Each tab is a
`ProfileTab` (screens/profile_tabs/base.py) loaded the first time it is shown, in its
own exclusive async worker with a loading indicator. The tabs, their keys and classes
are one static map (screens/profile_tabs/registry.py).

The tab row is one `SectionBar` (screens/widgets/section_bar.py) over a
`ContentSwitcher`: a tab's pane is mounted with the tab the first time it is shown
(issue 19: a `TabbedContent` mounted 28 widgets for the row and twelve empty panes).

Keys: 1…9 0 - = jump to a tab, [ ] previous/next tab (← → on the tab row), b Adjust
Beauty Bank, a Adjust account balance, y Pay Balance, k Book, s Sell (a ticket for the
client), Esc back (screens/profile_actions.py). Viewed at a location that is not the
client's home (a travel member), Profile Details and Account are
read-only (Overview says why): the balance keys and the tabs' edit keys are not offered;
booking and selling still work. What the signed-in person may do is read with the
header (the opening read; `desk.staff.mine()` on a later re-read): a key needing a
permission they lack is not offered either.
"Not offered" is one `check_action` answer (False): out of the footer and the command
palette (screens/palette.py, built from the same bindings), and refused when pressed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePath
from typing import ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input, Static, TextArea
from textual.worker import Worker

import styles
from frontdesk.domain.errors import DomainError, describe
from frontdesk.domain.permissions import Perm
from frontdesk.services.desk import Desk
from frontdesk.views.changes import WATCHED, Change
from frontdesk.views.profile import ProfileHeader, ProfileOpening
from screens.profile_actions import ProfileActions
from screens.profile_header import header_line
from screens.profile_keys import BALANCE_ACTIONS, OVERVIEW_ONLY_IN_FOOTER, PROFILE_BINDINGS
from screens.profile_permissions import explain_key, lacking
from screens.profile_tabs.base import ProfileTab
from screens.profile_tabs.overview import OverviewTab
from screens.profile_tabs.registry import TAB_IDS, TABS, TabSpec
from screens.widgets import SteadyFooter
from screens.widgets.errors import report_failed_worker
from screens.widgets.late_cover import LateCover, cover_if_slow
from screens.widgets.live import DataChanged, LiveRefresh
from screens.widgets.section_bar import SectionBar

STYLES_DIR = Path(styles.__file__).parent
LIVE_TABLES = WATCHED  # the header, Overview, Account, Activity, Attendance


class ClientProfileScreen(ProfileActions):
    """One client's profile. Esc goes back to whatever opened it."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [
        STYLES_DIR / "profile.tcss",
        *(
            [STYLES_DIR / "profile_tabs.tcss"]
            if (STYLES_DIR / "profile_tabs.tcss").exists()
            else []
        ),
    ]
    BINDINGS: ClassVar[list[BindingType]] = PROFILE_BINDINGS
    AUTO_FOCUS = "#overview-scroll"  # composed with its opening: focused as it mounts

    def __init__(
        self,
        desk: Desk,
        client_id: int,
        *,
        location_id: int | None,
        clock: Callable[[], dt.datetime] | None = None,
        opening: ProfileOpening | None = None,
    ) -> None:
        """`opening`: the opening read, done before the screen was pushed (the search's
        Enter): the screen is then composed whole, header, tabs and Overview, in one
        pass. Without it the screen reads it once mounted."""
        super().__init__(classes="profile")
        self.desk = desk
        self.client_id = client_id
        self.location_id = location_id
        self.clock: Callable[[], dt.datetime] = clock or dt.datetime.now
        self.header: ProfileHeader | None = None
        self.may: frozenset[Perm] = frozenset()  # what the signed-in person may do
        self.loaded: set[str] = set()  # tabs whose first load has started
        self._tabs_mounted = False
        # The footer waits for the header (who may do what) and for a tab being built
        # (its keys, and the focus moving into it): `keys_settled`.
        self._header_read = False  # read, or failed to be
        self._tabs_building: set[str] = set()
        # Held, not queried: the footer asks for the active tab while the screen is
        # being taken down, its children already gone.
        self._tab_bar: SectionBar | None = None
        self._opening = opening
        self._opening_cover: LateCover | None = None
        # Someone committed a change: the header and the tab in view re-read now, other
        # loaded tabs it concerns when next shown (`stale`).
        self.live = LiveRefresh(self, self.refresh_live, LIVE_TABLES, lambda: self.client_id)
        self.stale: set[str] = set()

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        opened = self._opening
        if opened is not None:
            self.header, self.may, self._header_read = opened.header, opened.may, True
        yield self.desk_header(self.clock)
        words = header_line(opened.header) if opened is not None else "Opening profile…"
        yield Static(Content(words), id="profile-header")
        yield Vertical(*self._tab_widgets(opened) if opened else (), id="profile-body")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        if self.header is not None:  # composed from a read done before it was pushed
            self._opening = None  # its rows live in the Overview now
            self.set_class(self.header.travel_member, "-travel")
            self._tabs_ready()
            return
        # The opening read is ~15 ms: a loading cover (a mounted, animated widget) only
        # if it is slow, not one mounted and removed again on every open.
        self._opening_cover = cover_if_slow(self.query_one("#profile-body"))
        self.load_header(opening=True)

    def _make_tab(self, spec: TabSpec) -> ProfileTab:
        return spec.tab(
            self.desk,
            self.client_id,
            location_id=self.location_id,
            read_only_reason=self.read_only_reason if spec.told_travel_reason else None,
            id=f"tab-{spec.pane_id}",
            clock=self.clock,
            may=self.may,
        )

    def _tab_widgets(self, opening: ProfileOpening | None) -> list[Widget]:
        """The tab row and the switcher, Overview in it. Only Overview is built now;
        each other tab is built the first time it is shown (load_tab). Building all
        twelve was ~430 widgets and most of a second."""
        overview = self._make_tab(TABS[0])
        if opening is not None and isinstance(overview, OverviewTab):
            # Filled from the opening read before it is mounted: no second read before
            # the balances show, and it composes with its words (one layout pass).
            self.loaded.add("overview")
            overview.show(opening.summary, opening.upcoming)
        bar = SectionBar([(spec.pane_id, spec.label) for spec in TABS], id="profile-tab-bar")
        panes = ContentSwitcher(
            Vertical(overview, id=TABS[0].pane_id, classes="profile-pane"),
            id="profile-panes",
            initial=TABS[0].pane_id,
        )
        self._tab_bar = bar
        return [bar, panes]

    async def _mount_tabs(self, opening: ProfileOpening | None) -> None:
        await self.query_one("#profile-body").mount_all(self._tab_widgets(opening))
        self._tabs_ready()

    def _tabs_ready(self) -> None:
        self._drop_opening_cover()
        self._tabs_mounted = True
        self._relabel()
        self.open_tab("overview")
        # Overview's scroll (arrows scroll it at once), else the tab row: one focus move
        # (a composed profile has it already: AUTO_FOCUS).
        if not self._focus_into("overview"):
            self.tab_bar.focus()

    def _drop_opening_cover(self) -> None:
        if self._opening_cover is not None:
            self._opening_cover.stop()
            self.query_one("#profile-body").loading = False

    def _settle_on_failure(self) -> None:
        """The header could not be read: no cover, and the footer's keys (Esc) shown."""
        self._drop_opening_cover()
        if not self._header_read:
            self._header_read = True
            self.refresh_bindings()

    # -- header ------------------------------------------------------------------

    @work(exclusive=True, group="profile-header", exit_on_error=False)
    async def load_header(self, *, live: bool = False, opening: bool = False) -> None:
        """The header, and what the signed-in person may do (not re-read when `live`:
        another terminal's change to the client's rows changes no permission). The first
        time (`opening`) the Overview's rows come in the same read as the header."""
        opened: ProfileOpening | None = None
        try:
            if opening:  # who may do what comes in the same read
                opened = await self.desk.profile.opening(
                    self.client_id, self.location_id, self.clock()
                )
                header, may = opened.header, opened.may
            else:
                header = await self.desk.profile.header(self.client_id, self.location_id)
                may = self.may if live else await self.desk.staff.mine()
        except DomainError as exc:
            self._header_text(f"Cannot open this profile: {exc}")
            self._settle_on_failure()
            return
        except Exception as exc:
            self.log.error("profile header failed", exc)
            self._header_text(f"Cannot open this profile: {describe(exc)}")
            self._settle_on_failure()
            return
        self.header, self.may = header, may
        self._header_read = True
        for built in filter(None, map(self.tab_widget, TAB_IDS)):
            built.may = may
        self.refresh_bindings()
        self._header_text(header_line(header))
        self.set_class(header.travel_member, "-travel")
        if not self._tabs_mounted:
            await self._mount_tabs(opened)
        else:
            self._relabel()

    def _header_text(self, text: str) -> None:
        self.query_one("#profile-header", Static).update(Content(text))

    def _relabel(self) -> None:
        if not self._tabs_mounted or self.header is None:
            return
        label = "Notifications · Opted out" if self.header.opted_out else "Notifications"
        self.tab_bar.relabel("notifications", label)

    # -- tabs --------------------------------------------------------------------

    @property
    def tab_bar(self) -> SectionBar:
        assert self._tab_bar is not None, "the tabs are mounted"
        return self._tab_bar

    def on_section_bar_changed(self, event: SectionBar.Changed) -> None:
        if event.bar.id != "profile-tab-bar":
            return  # a tab's own row of sections (Account's)
        event.stop()
        pane_id = event.section
        self.refresh_bindings()  # the footer lists the balance keys on Overview only
        if pane_id not in self.loaded:
            self.load_tab(pane_id)  # builds its pane, shows it, reads it
        elif self._show_pane(pane_id):
            self._focus_into(pane_id)
            if pane_id in self.stale:
                self._refresh_tab(pane_id)

    def _show_pane(self, pane_id: str) -> bool:
        """Show `pane_id`'s pane if it is built (its first load shows it once it is)."""
        switcher = self.query_one("#profile-panes", ContentSwitcher)
        if not switcher.query_children(f"#{pane_id}"):
            return False
        switcher.current = pane_id
        return True

    # -- live: what other terminals commit -------------------------------------------

    def on_data_changed(self, message: DataChanged) -> None:
        self.live.changed(message.change)

    def on_screen_resume(self) -> None:
        self.live.shown()

    def refresh_live(self, change: Change) -> None:
        """Re-read the header and the tab in view if `change` concerns them; mark the
        other loaded tabs it concerns to re-read when shown. Nothing is rebuilt."""
        if self.header is not None:
            self.load_header(live=True)
        active = self.active_tab
        for pane_id in self.loaded:
            tab = self.tab_widget(pane_id)
            if tab is None or not change.concerns(tab.LIVE_TABLES, self.client_id):
                continue
            if pane_id == active:
                self._refresh_tab(pane_id)
            else:
                self.stale.add(pane_id)

    def _refresh_tab(self, pane_id: str) -> None:
        self.stale.discard(pane_id)
        tab = self.tab_widget(pane_id)
        if tab is not None:
            self.run_worker(
                self._refresh(tab), group=f"tab-{pane_id}", exclusive=True, exit_on_error=False
            )

    async def _refresh(self, tab: ProfileTab) -> None:
        try:
            await tab.refresh_live()
        except Exception as exc:
            if not isinstance(exc, DomainError):
                self.log.error(f"tab {tab.id} failed to refresh", exc)
            self.notify(describe(exc), title="Could not refresh", severity="warning")

    def _focus_into(self, pane_id: str) -> bool:
        """Put focus inside the active tab so its own keys (l link, c log, s sign, r
        reverse…) work at once. Text fields are skipped: digits and [ ] keep switching
        tabs until the user tabs into a form on purpose."""
        tab = self.tab_widget(pane_id)
        if tab is None or self.active_tab != pane_id:
            return False
        focused = self.focused
        if focused is not None and tab in focused.ancestors_with_self:
            return True
        for widget in tab.query("*"):
            if widget.focusable and not isinstance(widget, Input | TextArea):
                widget.focus()
                return True
        return False

    def refusal_of(self, action: str) -> str | None:
        """Why `action` is not offered: the money keys wait for the header (who the
        client is), are read-only for a travel member, and need a permission; merging
        needs its permission."""
        if action == "merge":
            return lacking(self, self.may, action)
        if action not in BALANCE_ACTIONS:
            return None
        if self.header is None:
            return "The profile is still loading."
        return self.read_only_reason or lacking(self, self.may, action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Only what this client and this person allow (footer and palette both).
        return self.refusal_of(action) is None

    def on_key(self, event: events.Key) -> None:
        explain_key(self, event)  # a key not offered says why (a tab's, if it has focus)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings = super().active_bindings
        if self.active_tab == "overview":
            return bindings
        return {
            key: (
                found._replace(binding=replace(found.binding, show=False))
                if found.binding.id in OVERVIEW_ONLY_IN_FOOTER
                else found
            )
            for key, found in bindings.items()
        }

    @property
    def keys_settled(self) -> bool:
        return self._header_read and not self._tabs_building

    @property
    def active_tab(self) -> str:
        return "overview" if self._tab_bar is None else self._tab_bar.active

    def tab_widget(self, pane_id: str) -> ProfileTab | None:
        found = self.query(f"#tab-{pane_id}")
        widget = found.first() if found else None
        return widget if isinstance(widget, ProfileTab) else None

    def load_tab(self, pane_id: str) -> None:
        self.loaded.add(pane_id)
        self._tabs_building.add(pane_id)  # the footer waits (`keys_settled`)
        self.run_worker(
            self._build_and_load(pane_id),
            group=f"tab-{pane_id}",
            exclusive=True,
            exit_on_error=False,
        )

    async def _build_and_load(self, pane_id: str) -> None:
        try:
            tab = self.tab_widget(pane_id)
            if tab is None and not self.query(f"#tab-{pane_id}"):
                tab = self._make_tab(TABS[TAB_IDS.index(pane_id)])
                # The pane and its tab in one mount, hidden until shown. No cover of the
                # pane's own: the tab's goes up if its read is slow (each a layout pass).
                pane = Vertical(tab, id=pane_id, classes="profile-pane")
                pane.display = False
                # Read first, on a quiet loop: the mount's work would hold up each of
                # the read's statements (they come back through the event loop).
                await tab.first_read()
                await self.query_one("#profile-panes", ContentSwitcher).mount(pane)
            if self.active_tab == pane_id:  # not if another key moved on meanwhile
                self._show_pane(pane_id)
            if tab is not None:
                await self._load(tab)
        finally:
            self._tabs_building.discard(pane_id)
            self.refresh_bindings()  # the footer, once: the tab's keys, focus inside it

    async def _load(self, tab: ProfileTab) -> None:
        tab.reading = True
        cover = cover_if_slow(tab)  # no cover flashing up and down for a quick read
        try:
            await tab.load()
        except DomainError as exc:
            self.notify(str(exc), title="Could not load", severity="error")
        except Exception as exc:
            self.log.error(f"tab {tab.id} failed to load", exc)
            self.notify(describe(exc), title="Could not load", severity="error")
        finally:
            cover.stop()
            tab.loading = tab.reading = False
        if tab.id is not None:
            self._focus_into(tab.id.removeprefix("tab-"))

    def open_tab(self, pane_id: str) -> None:
        if not self._tabs_mounted:
            return
        bar = self.tab_bar
        if bar.active != pane_id:
            # Leave the old pane before it hides: Textual hands the focus of a hidden
            # widget to a sibling in the same pane (and a TabbedContent followed that
            # focus back to the old tab: a quick "3" then "4" ended on Notifications).
            self.set_focus(bar, scroll_visible=False)
            bar.active = pane_id
        if pane_id not in self.loaded:
            self.load_tab(pane_id)

    def action_show_tab(self, pane_id: str) -> None:
        self.open_tab(pane_id)

    def action_step_tab(self, step: int) -> None:
        if not self._tabs_mounted:
            return
        index = TAB_IDS.index(self.active_tab)
        self.open_tab(TAB_IDS[(index + step) % len(TAB_IDS)])

    def reload_after_change(self, *, also: tuple[str, ...] = ()) -> None:
        """Header, Overview, and any other loaded tab named in `also`."""
        self.load_header()
        for pane_id in ("overview", *also):
            if pane_id in self.loaded:
                self.load_tab(pane_id)

    def on_profile_tab_changed(self, event: ProfileTab.Changed) -> None:
        event.stop()
        self.reload_after_change()

    def on_profile_tab_open_client(self, event: ProfileTab.OpenClient) -> None:
        event.stop()
        self.app.push_screen(
            ClientProfileScreen(
                self.desk, event.client_id, location_id=self.location_id, clock=self.clock
            )
        )

    # -- leaving -----------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self, event.worker, event.state)
