"""Staff: what the signed-in staff member may do."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import StaffPermission
from frontdesk.services.area import Area


async def has_permission(session: AsyncSession, staff_id: int | None, permission: str) -> bool:
    if staff_id is None:
        return False
    found = await session.get(StaffPermission, (staff_id, permission))
    return found is not None


class Staff(Area):
    """The signed-in staff member (issue 13 grows this: sign-in, roles, permissions)."""

    async def may(self, permission: str) -> bool:
        """Whether the signed-in staff member holds `permission`."""
        async with self.ctx.read() as session:
            return await has_permission(session, self.ctx.actor.staff_id, permission)
