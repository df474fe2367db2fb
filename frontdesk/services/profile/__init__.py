"""The client profile: header, Profile Details, Notifications, Relationships, Activity,
Attendance, Rewards, Contact History, Documents, Transformation Log and Goals
(docs/rules.md#client-profile).

Balances, history, prepaid items and memberships (Overview and Account tabs) are
`clients.client_summary`, `stored_value.history` and `prepaid.prepaid_items`.

Every function is one transaction. Long lists (activity, rewards, contact history) are
paged in the database (LIMIT/OFFSET over an indexed, client-first ordering), never
loaded whole. A travel member's Profile Details are read-only away from their home
location; the transformation log and goals need "edit_transformation_log".

The use cases live one module per tab (`header`, `details`, `notifications`,
`relationships`, `activity`, `attendance`, `rewards`, `contact`, `documents`,
`transformation`), the look-ups they share in `lookups`; field cleaning and date parsing
are `frontdesk.domain.fields`. This package re-exports every public name, so
`from frontdesk.services import profile; profile.activity(...)` keeps working.
"""

from __future__ import annotations

from frontdesk.domain.errors import TravelMemberReadOnly
from frontdesk.domain.fields import (
    NOTE_MAX,
    clean_email,
    clean_name,
    clean_note,
    clean_phone,
    parse_birthday,
    parse_date,
)
from frontdesk.services.profile.activity import ACTIVITY_ENTRY_REASONS, ADJUSTMENT_REASONS, activity
from frontdesk.services.profile.attendance import MAX_UNPAID_LISTED, VISIT_STATUSES, attendance
from frontdesk.services.profile.contact import contact_history, log_contact
from frontdesk.services.profile.details import update_details
from frontdesk.services.profile.documents import add_document, documents, mark_signed
from frontdesk.services.profile.header import (
    UPCOMING_STATUSES,
    profile_header,
    upcoming_appointments,
)
from frontdesk.services.profile.lookups import MAX_PAGE
from frontdesk.services.profile.notifications import notification_prefs, set_notification
from frontdesk.services.profile.relationships import link_client, relationships, unlink
from frontdesk.services.profile.rewards import (
    POINTS_PER_POUND,
    POINTS_PER_VISIT,
    earn_points,
    points_for_spend,
    prizes,
    redeem_prize,
    rewards,
)
from frontdesk.services.profile.transformation import (
    TRANSFORMATION_DENIED,
    add_goal,
    add_transformation_entry,
    edit_transformation_entry,
    goals,
    transformation_log,
    update_goal,
)

__all__ = [
    "ACTIVITY_ENTRY_REASONS",
    "ADJUSTMENT_REASONS",
    "MAX_PAGE",
    "MAX_UNPAID_LISTED",
    "NOTE_MAX",
    "POINTS_PER_POUND",
    "POINTS_PER_VISIT",
    "TRANSFORMATION_DENIED",
    "UPCOMING_STATUSES",
    "VISIT_STATUSES",
    "TravelMemberReadOnly",
    "activity",
    "add_document",
    "add_goal",
    "add_transformation_entry",
    "attendance",
    "clean_email",
    "clean_name",
    "clean_note",
    "clean_phone",
    "contact_history",
    "documents",
    "earn_points",
    "edit_transformation_entry",
    "goals",
    "link_client",
    "log_contact",
    "mark_signed",
    "notification_prefs",
    "parse_birthday",
    "parse_date",
    "points_for_spend",
    "prizes",
    "profile_header",
    "redeem_prize",
    "relationships",
    "rewards",
    "set_notification",
    "transformation_log",
    "unlink",
    "upcoming_appointments",
    "update_details",
    "update_goal",
]
