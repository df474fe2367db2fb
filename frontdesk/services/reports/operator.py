"""Who a report run from the command line is read as (the operator, nobody signed in)."""

from __future__ import annotations

from frontdesk.domain.permissions import Perm
from frontdesk.services.area import Area
from frontdesk.services.staff import operator_acts_as


class ReporterCases(Area):
    async def reporter(self, number: int | None) -> int:
        """For `frontdesk report` (like `renewals run`): the staff member the report is
        read as, who must be active and hold the reports permission; `number` None means
        the first active owner. Reports are read by a person even from cron, so the
        permission means the same on the command line as on the screen."""
        async with self.ctx.read() as session:
            return await operator_acts_as(
                session,
                self.ctx.actor.terminal,
                number,
                Perm.REPORTS,
                "No active owner to read the report as: give --staff NUMBER",
            )
