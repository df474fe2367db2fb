"""Staff: who is signed in and what their role lets them do (docs/rules.md, S1-S4)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, ScalarSelect, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.actor import Actor
from frontdesk.db.core_exec import execute
from frontdesk.db.tables import Staff as StaffRow
from frontdesk.db.tables import StaffPermission
from frontdesk.domain.errors import PermissionDenied, ValidationError
from frontdesk.domain.permissions import Perm, permissions_of
from frontdesk.services.area import Area

# session.info key: who each staff member is, as this transaction first read them.
_WHO = "frontdesk.staff.who"


_STAFF = StaffRow.__table__.c
_GRANTS = StaffPermission.__table__.c
# Built once, Core on the tables (issue 19: Python per write; every write asks this).
_WHO_READ = (
    select(_STAFF.name, _STAFF.role, _GRANTS.permission)
    .select_from(StaffRow.__table__)
    .outerjoin(StaffPermission.__table__, _GRANTS.staff_id == _STAFF.id)
    .where(_STAFF.id == bindparam("staff_id"), _STAFF.active.is_(True))
)


@dataclass(frozen=True, slots=True)
class Who:
    """An active staff member as one transaction sees them: name and permissions."""

    name: str
    permissions: frozenset[Perm]


async def who(session: AsyncSession, staff_id: int | None) -> Who | None:
    """The active staff member `staff_id` (None: nobody, or inactive), in one query: role
    and personal grants together.

    Read once per transaction (the session's `info`; a service call is one session), so a
    write that checks two permissions, or names its staff member in its result, asks once.
    A permission revoked on another terminal counts from the next transaction on: at most
    the one write already under way still runs on what it read when it began, as it would
    had it checked only once. Every write still calls `require` itself."""
    if staff_id is None:
        return None
    cache: dict[int, Who | None] = session.info.setdefault(_WHO, {})
    if staff_id in cache:
        return cache[staff_id]
    rows = (await execute(session, _WHO_READ, {"staff_id": staff_id})).all()
    found = None
    if rows:
        grants = frozenset(p for _, _, p in rows if p is not None)
        found = Who(rows[0][0], permissions_of(rows[0][1], grants))
    cache[staff_id] = found
    return found


def who_columns(session: AsyncSession) -> tuple[ScalarSelect[Any], ...]:
    """What `who` reads, as scalar subqueries another read can carry (issue 19: a checkout
    reads who takes the payment with its catalogue): the active member's name and role,
    and their grants joined by commas (grant names have none). The member is the
    parameter "staff_id"; `remember_who` takes the three values back. Built once per
    database kind."""
    return _who_columns(session.get_bind().dialect.name)


@functools.cache
def _who_columns(dialect_name: str) -> tuple[ScalarSelect[Any], ...]:
    staff_id = bindparam("staff_id", type_=Integer)
    active = (_STAFF.id == staff_id, _STAFF.active.is_(True))
    joined = (
        func.string_agg(_GRANTS.permission, ",")
        if dialect_name == "postgresql"
        else func.group_concat(_GRANTS.permission, ",")
    )
    return (
        select(_STAFF.name).where(*active).scalar_subquery(),
        select(_STAFF.role).where(*active).scalar_subquery(),
        select(joined).where(_GRANTS.staff_id == staff_id).scalar_subquery(),
    )


def remember_who(
    session: AsyncSession,
    staff_id: int | None,
    name: str | None,
    role: str | None,
    grants: str | None,
) -> None:
    """Keep what `who_columns` read as this transaction's `who` of `staff_id`."""
    if staff_id is None:
        return
    found = None
    if name is not None and role is not None:
        found = Who(name, permissions_of(role, frozenset((grants or "").split(",")) - {""}))
    session.info.setdefault(_WHO, {})[staff_id] = found


def forget_who(session: AsyncSession) -> None:
    """After changing a staff member's role, grants or active flag in this transaction:
    the next check reads them again."""
    session.info.pop(_WHO, None)


async def permissions(session: AsyncSession, staff_id: int | None) -> frozenset[Perm]:
    """What this staff member may do: their role's permissions plus personal grants.
    Nobody (no staff id) and anyone inactive may do nothing."""
    found = await who(session, staff_id)
    return found.permissions if found is not None else frozenset()


async def has_permission(session: AsyncSession, staff_id: int | None, permission: Perm) -> bool:
    return permission in await permissions(session, staff_id)


async def operator_acts_as(
    session: AsyncSession, terminal: str, number: int | None, permission: Perm, no_owner: str
) -> int:
    """For a command the operator runs with nobody signed in (`renewals run`, `report`):
    the staff member it acts as, who must be active and hold `permission`; `number` None
    means the first active owner, and `no_owner` is the refusal when there is none."""
    if number is None:
        number = await session.scalar(
            select(StaffRow.id)
            .where(StaffRow.role == "owner", StaffRow.active.is_(True))
            .order_by(StaffRow.id)
            .limit(1)
        )
        if number is None:
            raise ValidationError("staff", no_owner)
    await require(session, Actor(number, terminal), permission)
    return number


async def require(session: AsyncSession, actor: Actor, permission: Perm) -> None:
    """Refuse with `PermissionDenied` naming the permission unless the actor holds it."""
    if not await has_permission(session, actor.staff_id, permission):
        raise PermissionDenied(permission.value)


class Staff(Area):
    """The signed-in staff member."""

    async def may(self, permission: Perm) -> bool:
        """Whether the signed-in staff member holds `permission`."""
        async with self.ctx.read() as session:
            return await has_permission(session, self.ctx.actor.staff_id, permission)

    async def mine(self) -> frozenset[Perm]:
        """Everything the signed-in staff member may do, in one query: screens grey or
        explain the keys it lacks (the services still check each one)."""
        staff_id = self.ctx.actor.staff_id
        if staff_id is None:
            return frozenset()
        async with self.ctx.read() as session:
            rows = (
                await session.execute(
                    select(StaffRow.role, StaffPermission.permission)
                    .outerjoin(StaffPermission, StaffPermission.staff_id == StaffRow.id)
                    .where(StaffRow.id == staff_id, StaffRow.active.is_(True))
                )
            ).all()
        if not rows:
            return frozenset()
        return permissions_of(rows[0][0], frozenset(p for _, p in rows if p is not None))
