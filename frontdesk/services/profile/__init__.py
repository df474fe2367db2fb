"""The client profile: header, Profile Details, Notifications, Relationships, Activity,
Attendance, Rewards, Contact History, Documents, Transformation Log and Goals
(docs/rules.md#client-profile).

Balances, history, prepaid items and memberships (Overview and Account tabs) are
`Clients.summary`, `Balances.history` and `Prepaid.items`.

Every use case is one transaction. Long lists (activity, rewards, contact history) are
paged in the database (LIMIT/OFFSET over an indexed, client-first ordering), never
loaded whole. A travel member's Profile Details are read-only away from their home
location; the transformation log and goals need "edit_transformation_log".

The use cases live one module per tab (`header`, `details`, `notifications`,
`relationships`, `activity`, `attendance`, `rewards`, `contact`, `documents`,
`transformation`, and `units` for Service Add-ons' unit history), each as an area class
(`HeaderCases`, ...) that `Profile` puts together; the look-ups they share are in
`lookups`; field cleaning and date parsing are `frontdesk.domain.fields`.
"""

from __future__ import annotations

from frontdesk.services.profile.activity import ActivityCases
from frontdesk.services.profile.attendance import AttendanceCases
from frontdesk.services.profile.contact import ContactCases
from frontdesk.services.profile.details import DetailsCases
from frontdesk.services.profile.documents import DocumentsCases
from frontdesk.services.profile.header import HeaderCases
from frontdesk.services.profile.notifications import NotificationsCases
from frontdesk.services.profile.relationships import RelationshipsCases
from frontdesk.services.profile.rewards import POINTS_PER_VISIT, RewardsCases
from frontdesk.services.profile.transformation import TransformationCases
from frontdesk.services.profile.units import UnitHistoryCases


class Profile(
    HeaderCases,
    DetailsCases,
    NotificationsCases,
    RelationshipsCases,
    ActivityCases,
    AttendanceCases,
    RewardsCases,
    ContactCases,
    DocumentsCases,
    TransformationCases,
    UnitHistoryCases,
):
    """The client profile's use cases, one base class per tab."""


__all__ = ["POINTS_PER_VISIT", "Profile"]
