"""The client profile's twelve tabs, in order: the pane, its label, the key that jumps
there and the class that builds it. A static map: a tab that does not import is an
error at start-up, not a quietly missing tab."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from screens.profile_tabs.account import AccountTab
from screens.profile_tabs.activity import ActivityTab
from screens.profile_tabs.attendance import AttendanceTab
from screens.profile_tabs.base import ProfileTab
from screens.profile_tabs.contact import ContactTab
from screens.profile_tabs.details import DetailsTab
from screens.profile_tabs.documents import DocumentsTab
from screens.profile_tabs.goals import GoalsTab
from screens.profile_tabs.notifications import NotificationsTab
from screens.profile_tabs.overview import OverviewTab
from screens.profile_tabs.relationships import RelationshipsTab
from screens.profile_tabs.rewards import RewardsTab
from screens.profile_tabs.transformation import TransformationTab


@dataclass(frozen=True)
class TabSpec:
    pane_id: str
    label: str
    key: str  # the Binding key that jumps here
    key_display: str
    tab: type[ProfileTab]
    # Given the travel-member reason (Profile Details and Account are read-only there;
    # Overview says why the balance keys are refused).
    told_travel_reason: bool = False


TABS: tuple[TabSpec, ...] = (
    TabSpec("overview", "Overview", "1", "1", OverviewTab, True),
    TabSpec("details", "Profile Details", "2", "2", DetailsTab, True),
    TabSpec("notifications", "Notifications", "3", "3", NotificationsTab),
    TabSpec("relationships", "Relationships", "4", "4", RelationshipsTab),
    TabSpec("activity", "Activity", "5", "5", ActivityTab),
    TabSpec("attendance", "Attendance", "6", "6", AttendanceTab),
    TabSpec("account", "Account", "7", "7", AccountTab, True),
    TabSpec("rewards", "Rewards", "8", "8", RewardsTab),
    TabSpec("contact", "Contact History", "9", "9", ContactTab),
    TabSpec("documents", "Documents", "0", "0", DocumentsTab),
    TabSpec("transformation", "Transformation Log", "minus", "-", TransformationTab),
    TabSpec("goals", "Goals", "equals_sign", "=", GoalsTab),
)
TAB_IDS = tuple(t.pane_id for t in TABS)


def tab_binding(spec: TabSpec) -> Binding:
    return Binding(
        spec.key,
        f"show_tab('{spec.pane_id}')",
        f"{spec.label} tab",  # as the palette lists it: "Account tab"
        show=False,
        key_display=spec.key_display,
        id=f"profile.tab.{spec.pane_id}",
    )
