"""Who a report run from the command line is read as (the operator, nobody signed in)."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.db.ledger import Actor
from frontdesk.db.tables import Staff
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.permissions import Perm
from frontdesk.services.area import Area
from frontdesk.services.staff import require


class ReporterCases(Area):
    async def reporter(self, number: int | None) -> int:
        """For `frontdesk report` (like `renewals run`): the staff member the report is
        read as, who must be active and hold the reports permission; `number` None means
        the first active owner. Reports are read by a person even from cron, so the
        permission means the same on the command line as on the screen."""
        async with self.ctx.read() as session:
            if number is None:
                number = await session.scalar(
                    select(Staff.id)
                    .where(Staff.role == "owner", Staff.active.is_(True))
                    .order_by(Staff.id)
                    .limit(1)
                )
                if number is None:
                    raise ValidationError(
                        "staff", "No active owner to read the report as: give --staff NUMBER"
                    )
            await require(session, Actor(number, self.ctx.actor.terminal), Perm.REPORTS)
            return number
