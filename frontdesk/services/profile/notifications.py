"""Notifications: one opt-in per channel x category (opted in unless a row says otherwise)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import NotificationPreference
from frontdesk.domain.fields import choice
from frontdesk.services.area import Area
from frontdesk.services.profile.lookups import load_client
from frontdesk.views.profile import (
    CATEGORIES,
    CHANNELS,
    Category,
    Channel,
    NotificationPrefs,
    NotificationSetting,
)

# Every channel off for every category: the count of preferences that means opted out.
ALL_OFF = len(CHANNELS) * len(CATEGORIES)


async def opted_out(session: AsyncSession, client_id: int) -> bool:
    """Whether the client has turned off every channel for every category."""
    off = await session.scalar(
        select(func.count())
        .select_from(NotificationPreference)
        .where(
            NotificationPreference.client_id == client_id,
            NotificationPreference.opted_in.is_(False),
        )
    )
    return (off or 0) >= ALL_OFF


async def _prefs_in(session: AsyncSession, client_id: int) -> NotificationPrefs:
    rows = await session.execute(
        select(
            NotificationPreference.channel,
            NotificationPreference.category,
            NotificationPreference.opted_in,
        ).where(NotificationPreference.client_id == client_id)
    )
    stored = {(ch, cat): opted for ch, cat, opted in rows.all()}
    return NotificationPrefs(
        client_id=client_id,
        settings=tuple(
            NotificationSetting(channel=ch, category=cat, opted_in=stored.get((ch, cat), True))
            for ch in CHANNELS
            for cat in CATEGORIES
        ),
    )


class NotificationsCases(Area):
    """The Notifications tab."""

    async def notification_prefs(self, client_id: int) -> NotificationPrefs:
        async with self.ctx.read() as session:
            await load_client(session, client_id)
            return await _prefs_in(session, client_id)

    async def set_notification(
        self, client_id: int, channel: Channel, category: Category, opted_in: bool
    ) -> NotificationPrefs:
        choice(channel, CHANNELS, "channel")
        choice(category, CATEGORIES, "category")
        async with self.ctx.transaction() as session:
            await load_client(session, client_id)
            row = await session.get(NotificationPreference, (client_id, channel, category))
            if row is None:
                session.add(
                    NotificationPreference(
                        client_id=client_id, channel=channel, category=category, opted_in=opted_in
                    )
                )
            else:
                row.opted_in = opted_in
                row.updated_at = dt.datetime.now(dt.UTC)
            await session.flush()
            return await _prefs_in(session, client_id)
