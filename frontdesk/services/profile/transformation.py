"""Transformation Log and Goals; reading or writing either needs "edit transformation log"."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import ClientGoal, Staff, TransformationEntry
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.fields import clean_note, parse_date
from frontdesk.domain.parsing import clean_description
from frontdesk.domain.permissions import Perm
from frontdesk.services.area import Area
from frontdesk.services.context import ServiceContext
from frontdesk.services.profile.lookups import as_utc, load_client, staff_names
from frontdesk.services.staff import require
from frontdesk.views.profile import GoalView, TransformationEntryView


async def _require_transformation(ctx: ServiceContext, session: AsyncSession) -> None:
    await require(session, ctx.actor, Perm.EDIT_TRANSFORMATION_LOG)


def _entry_view(e: TransformationEntry, staff_name: str | None) -> TransformationEntryView:
    return TransformationEntryView(
        id=e.id,
        entry_date=e.entry_date,
        note=e.note,
        staff_name=staff_name or "",
        created_at=as_utc(e.created_at),
        updated_at=as_utc(e.updated_at),
    )


def _goal_view(g: ClientGoal) -> GoalView:
    return GoalView(
        id=g.id,
        title=g.title,
        target_date=g.target_date,
        achieved=g.achieved,
        note=g.note,
        created_at=as_utc(g.created_at),
        updated_at=as_utc(g.updated_at),
    )


def _entry_date(value: dt.date | str) -> dt.date:
    day = value if isinstance(value, dt.date) else parse_date(value, "entry_date")
    if day is None:
        raise ValidationError("entry_date", "Enter the date of this entry")
    return day


def _target_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return parse_date(value, "target_date")


class TransformationCases(Area):
    """The Transformation Log and Goals tabs (they need "edit transformation log")."""

    async def transformation_log(self, client_id: int) -> tuple[TransformationEntryView, ...]:
        """Newest entry date first."""
        async with self.ctx.read() as session:
            await _require_transformation(self.ctx, session)
            await load_client(session, client_id)
            rows = await session.execute(
                select(TransformationEntry, Staff.name)
                .outerjoin(Staff, Staff.id == TransformationEntry.staff_id)
                .where(TransformationEntry.client_id == client_id)
                .order_by(TransformationEntry.entry_date.desc(), TransformationEntry.id.desc())
            )
            return tuple(_entry_view(e, name) for e, name in rows.all())

    async def add_transformation_entry(
        self, client_id: int, entry_date: dt.date | str, note: str
    ) -> TransformationEntryView:
        day = _entry_date(entry_date)
        text = clean_note(note, "note", required=True)
        async with self.ctx.transaction() as session:
            await _require_transformation(self.ctx, session)
            await load_client(session, client_id)
            entry = TransformationEntry(
                client_id=client_id, entry_date=day, note=text, staff_id=self.ctx.actor.staff_id
            )
            session.add(entry)
            await session.flush()
            names = await staff_names(session, {entry.staff_id})
            return _entry_view(entry, names.get(entry.staff_id or 0))

    async def edit_transformation_entry(
        self, entry_id: int, *, entry_date: dt.date | str, note: str
    ) -> TransformationEntryView:
        day = _entry_date(entry_date)
        text = clean_note(note, "note", required=True)
        async with self.ctx.transaction() as session:
            await _require_transformation(self.ctx, session)
            entry = await session.get(TransformationEntry, entry_id)
            if entry is None:
                raise NotFound("transformation log entry")
            entry.entry_date = day
            entry.note = text
            entry.updated_at = dt.datetime.now(dt.UTC)
            await session.flush()
            names = await staff_names(session, {entry.staff_id})
            return _entry_view(entry, names.get(entry.staff_id or 0))

    async def goals(self, client_id: int) -> tuple[GoalView, ...]:
        """Open goals first (soonest target first), then achieved ones."""
        async with self.ctx.read() as session:
            await _require_transformation(self.ctx, session)
            await load_client(session, client_id)
            rows = await session.scalars(
                select(ClientGoal)
                .where(ClientGoal.client_id == client_id)
                .order_by(
                    ClientGoal.achieved,
                    ClientGoal.target_date.is_(None),
                    ClientGoal.target_date,
                    ClientGoal.id,
                )
            )
            return tuple(_goal_view(g) for g in rows)

    async def add_goal(
        self,
        client_id: int,
        title: str,
        *,
        target_date: dt.date | str | None = None,
        note: str = "",
    ) -> GoalView:
        text = clean_description(title, field="title")
        day = _target_date(target_date)
        note_text = clean_note(note, "note")
        async with self.ctx.transaction() as session:
            await _require_transformation(self.ctx, session)
            await load_client(session, client_id)
            goal = ClientGoal(client_id=client_id, title=text, target_date=day, note=note_text)
            session.add(goal)
            await session.flush()
            return _goal_view(goal)

    async def update_goal(
        self,
        goal_id: int,
        *,
        title: str,
        target_date: dt.date | str | None,
        achieved: bool,
        note: str,
    ) -> GoalView:
        text = clean_description(title, field="title")
        day = _target_date(target_date)
        note_text = clean_note(note, "note")
        async with self.ctx.transaction() as session:
            await _require_transformation(self.ctx, session)
            goal = await session.get(ClientGoal, goal_id)
            if goal is None:
                raise NotFound("goal")
            goal.title = text
            goal.target_date = day
            goal.achieved = achieved
            goal.note = note_text
            goal.updated_at = dt.datetime.now(dt.UTC)
            await session.flush()
            return _goal_view(goal)
