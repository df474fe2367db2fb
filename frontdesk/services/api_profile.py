"""The client profile's use cases on the `Frontdesk` facade (mixed in; see api.py).

Thin wrappers over `frontdesk.services.profile`: same names, same arguments, one
transaction each, frozen read models from `frontdesk.services.profile_views` out.
"""

from __future__ import annotations

import datetime as dt

from frontdesk.services import profile
from frontdesk.services.context import ServiceContext
from frontdesk.views import AppointmentView, ClientSummary
from frontdesk.views.profile import (
    ActivityPage,
    Attendance,
    Category,
    Channel,
    ContactChannel,
    ContactPage,
    ContactView,
    DocumentKind,
    DocumentView,
    GoalView,
    NotificationPrefs,
    PrizeView,
    ProfileHeader,
    RelationshipKind,
    RelationshipView,
    RewardEntryView,
    RewardReason,
    RewardsPage,
    TransformationEntryView,
)


class ProfileMethods:
    ctx: ServiceContext

    # Header and Overview
    async def profile_header(
        self, client_id: int, current_location_id: int | None
    ) -> ProfileHeader:
        return await profile.profile_header(self.ctx, client_id, current_location_id)

    async def upcoming_appointments(
        self, client_id: int, now: dt.datetime, limit: int = 5
    ) -> tuple[AppointmentView, ...]:
        return await profile.upcoming_appointments(self.ctx, client_id, now, limit)

    # Profile Details
    async def update_details(
        self,
        client_id: int,
        *,
        current_location_id: int | None,
        first_name: str,
        last_name: str,
        phone: str,
        email: str,
        birthday: str,
        notes: str,
        today: dt.date | None = None,
    ) -> ClientSummary:
        return await profile.update_details(
            self.ctx,
            client_id,
            current_location_id=current_location_id,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
            birthday=birthday,
            notes=notes,
            today=today,
        )

    # Notifications
    async def notification_prefs(self, client_id: int) -> NotificationPrefs:
        return await profile.notification_prefs(self.ctx, client_id)

    async def set_notification(
        self, client_id: int, channel: Channel, category: Category, opted_in: bool
    ) -> NotificationPrefs:
        return await profile.set_notification(self.ctx, client_id, channel, category, opted_in)

    # Relationships
    async def relationships(self, client_id: int) -> tuple[RelationshipView, ...]:
        return await profile.relationships(self.ctx, client_id)

    async def link_client(
        self, client_id: int, related_id: int, kind: RelationshipKind
    ) -> RelationshipView:
        return await profile.link_client(self.ctx, client_id, related_id, kind)

    async def unlink(self, client_id: int, relationship_id: int) -> None:
        await profile.unlink(self.ctx, client_id, relationship_id)

    # Activity and Attendance
    async def activity(self, client_id: int, *, offset: int = 0, limit: int = 50) -> ActivityPage:
        return await profile.activity(self.ctx, client_id, offset=offset, limit=limit)

    async def attendance(self, client_id: int, *, now: dt.datetime | None = None) -> Attendance:
        return await profile.attendance(self.ctx, client_id, now=now)

    # Rewards
    async def rewards(self, client_id: int, offset: int = 0, limit: int = 50) -> RewardsPage:
        return await profile.rewards(self.ctx, client_id, offset, limit)

    async def earn_points(
        self,
        client_id: int,
        points: int,
        reason: RewardReason = "visit",
        description: str = "",
    ) -> RewardEntryView:
        return await profile.earn_points(self.ctx, client_id, points, reason, description)

    async def redeem_prize(self, client_id: int, prize_id: int) -> RewardEntryView:
        return await profile.redeem_prize(self.ctx, client_id, prize_id)

    async def prizes(self, *, active_only: bool = True) -> tuple[PrizeView, ...]:
        return await profile.prizes(self.ctx, active_only=active_only)

    # Contact History
    async def contact_history(
        self, client_id: int, offset: int = 0, limit: int = 50
    ) -> ContactPage:
        return await profile.contact_history(self.ctx, client_id, offset, limit)

    async def log_contact(self, client_id: int, channel: ContactChannel, note: str) -> ContactView:
        return await profile.log_contact(self.ctx, client_id, channel, note)

    # Documents
    async def documents(self, client_id: int) -> tuple[DocumentView, ...]:
        return await profile.documents(self.ctx, client_id)

    async def add_document(self, client_id: int, title: str, kind: DocumentKind) -> DocumentView:
        return await profile.add_document(self.ctx, client_id, title, kind)

    async def mark_signed(self, document_id: int) -> DocumentView:
        return await profile.mark_signed(self.ctx, document_id)

    # Transformation Log and Goals (need "edit_transformation_log")
    async def transformation_log(self, client_id: int) -> tuple[TransformationEntryView, ...]:
        return await profile.transformation_log(self.ctx, client_id)

    async def add_transformation_entry(
        self, client_id: int, entry_date: dt.date | str, note: str
    ) -> TransformationEntryView:
        return await profile.add_transformation_entry(self.ctx, client_id, entry_date, note)

    async def edit_transformation_entry(
        self, entry_id: int, *, entry_date: dt.date | str, note: str
    ) -> TransformationEntryView:
        return await profile.edit_transformation_entry(
            self.ctx, entry_id, entry_date=entry_date, note=note
        )

    async def goals(self, client_id: int) -> tuple[GoalView, ...]:
        return await profile.goals(self.ctx, client_id)

    async def add_goal(
        self,
        client_id: int,
        title: str,
        *,
        target_date: dt.date | str | None = None,
        note: str = "",
    ) -> GoalView:
        return await profile.add_goal(
            self.ctx, client_id, title, target_date=target_date, note=note
        )

    async def update_goal(
        self,
        goal_id: int,
        *,
        title: str,
        target_date: dt.date | str | None,
        achieved: bool,
        note: str,
    ) -> GoalView:
        return await profile.update_goal(
            self.ctx, goal_id, title=title, target_date=target_date, achieved=achieved, note=note
        )
