"""Contact History: calls, emails and visits logged by staff, newest first, paged."""

from __future__ import annotations

from typing import cast

from sqlalchemy import func, select

from frontdesk.db.tables import ContactLog, Staff
from frontdesk.domain.fields import choice, clean_note
from frontdesk.services.area import Area
from frontdesk.services.profile.lookups import as_utc, check_page, load_client, staff_names
from frontdesk.views.profile import CONTACT_CHANNELS, ContactChannel, ContactPage, ContactView


def _contact_view(log: ContactLog, staff_name: str | None) -> ContactView:
    return ContactView(
        id=log.id,
        channel=cast(ContactChannel, log.channel),
        note=log.note,
        staff_id=log.staff_id,
        staff_name=staff_name or "",
        created_at=as_utc(log.created_at),
    )


class ContactCases(Area):
    """The Contact History tab."""

    async def contact_history(
        self, client_id: int, offset: int = 0, limit: int = 50
    ) -> ContactPage:
        offset, limit = check_page(offset, limit)
        async with self.ctx.read() as session:
            await load_client(session, client_id)
            mine = ContactLog.client_id == client_id
            total = await session.scalar(select(func.count()).select_from(ContactLog).where(mine))
            rows = await session.execute(
                select(ContactLog, Staff.name)
                .outerjoin(Staff, Staff.id == ContactLog.staff_id)
                .where(mine)
                .order_by(ContactLog.created_at.desc(), ContactLog.id.desc())
                .offset(offset)
                .limit(limit)
            )
            return ContactPage(
                items=tuple(_contact_view(log, name) for log, name in rows.all()),
                total=int(total or 0),
                offset=offset,
                limit=limit,
            )

    async def log_contact(self, client_id: int, channel: ContactChannel, note: str) -> ContactView:
        choice(channel, CONTACT_CHANNELS, "channel")
        text = clean_note(note, "note", required=True)
        async with self.ctx.transaction() as session:
            await load_client(session, client_id)
            log = ContactLog(
                client_id=client_id, channel=channel, note=text, staff_id=self.ctx.actor.staff_id
            )
            session.add(log)
            await session.flush()
            names = await staff_names(session, {log.staff_id})
            return _contact_view(log, names.get(log.staff_id or 0))
