"""The staff list, and adding staff, setting PINs, unlocking, changing a role and
(de)activating: for the first owner of a new database (anyone, once), for staff who may
manage staff (the setup screens' Staff and roles), and for the operator's `frontdesk
staff` command.

Managing staff needs "manage staff" (managers and owners). Anything that makes, changes
or retires an owner, or sets an owner's PIN, needs "setup" as well: a manager must not be
able to make themselves (or anyone) an owner, nor take over an owner's sign-in. The last
active owner can be neither demoted nor deactivated: nobody could set the store up again.
"""

from __future__ import annotations

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Location, StaffPermission
from frontdesk.db.tables import Staff as StaffRow
from frontdesk.domain.errors import Conflict, NotFound, ValidationError
from frontdesk.domain.fields import clean_name
from frontdesk.domain.permissions import Perm, Role, permission_named
from frontdesk.services.area import Area
from frontdesk.services.pins import NoPepper, clean_pin, hash_pin, pepper_for
from frontdesk.services.sign_in import signed_in
from frontdesk.services.staff import forget_who, require
from frontdesk.services.versions import mark_changed, save_checked
from frontdesk.views.staff import SignedIn, TeamMember

ROLES = ", ".join(r.value for r in Role)
LAST_OWNER = (
    "{name} is the last active owner: make someone else an owner first, "
    "or nobody could set the store up again"
)


def _member(
    row: StaffRow, location_name: str = "", grants: frozenset[Perm] = frozenset()
) -> TeamMember:
    return TeamMember(
        number=row.id,
        name=row.name,
        role=row.role,
        active=row.active,
        has_pin=row.pin_hash is not None,
        locked_until=row.locked_until,
        location_id=row.location_id,
        location_name=location_name,
        grants=grants,
        version=row.version,
    )


def clean_role(role: str) -> str:
    role = role.strip().lower().replace(" ", "_")
    if not role or len(role) > 40 or not role.replace("_", "").isalpha():
        raise ValidationError("role", f"A role is one of {ROLES}, or a job title")
    return role


async def _grants(session: AsyncSession, number: int | None = None) -> dict[int, frozenset[Perm]]:
    """Each person's grants by number (one person's with `number`); names no longer
    known are left out, old names read as what they mean now."""
    stmt = select(StaffPermission.staff_id, StaffPermission.permission)
    if number is not None:
        stmt = stmt.where(StaffPermission.staff_id == number)
    found: dict[int, set[Perm]] = {}
    for staff_id, name in await session.execute(stmt):
        perm = permission_named(name)
        if perm is not None:
            found.setdefault(staff_id, set()).add(perm)
    return {k: frozenset(v) for k, v in found.items()}


def _not_last_owner(owners: list[int], row: StaffRow, field: str) -> None:
    """Refuse taking `row` out of the active owners when nobody else is one."""
    if row.id in owners and not any(other != row.id for other in owners):
        raise ValidationError(field, LAST_OWNER.format(name=row.name))


class Team(Area):
    async def roster(self, *, everyone: bool = False) -> tuple[TeamMember, ...]:
        """Active staff by number (`everyone`: the inactive too), with their location."""
        async with self.ctx.read() as session:
            stmt = (
                select(StaffRow, Location.name)
                .outerjoin(Location, Location.id == StaffRow.location_id)
                .order_by(StaffRow.id)
            )
            if not everyone:
                stmt = stmt.where(StaffRow.active.is_(True))
            grants = await _grants(session)
            return tuple(
                _member(r, place or "", grants.get(r.id, frozenset()))
                for r, place in (await session.execute(stmt))
            )

    async def needs_first_owner(self) -> bool:
        """Nobody can sign in yet: a new database, or one from before sign-in existed."""
        async with self.ctx.read() as session:
            can = await session.scalar(
                select(exists().where(StaffRow.active.is_(True), StaffRow.pin_hash.is_not(None)))
            )
            return not can

    async def add_first_owner(self, name: str, pin: str) -> SignedIn:
        """The owner of a database nobody can sign in to yet; refused once anyone can."""
        clean = clean_name(name, "name", "name")
        digest = await self._hash(clean_pin(pin))
        async with self.ctx.transaction() as session:
            taken = await session.scalar(
                select(exists().where(StaffRow.active.is_(True), StaffRow.pin_hash.is_not(None)))
            )
            if taken:
                raise Conflict("Staff can already sign in here: ask one of them to add you")
            location = await session.scalar(select(Location.id).order_by(Location.id).limit(1))
            owner = StaffRow(
                name=clean, role=Role.OWNER.value, location_id=location, pin_hash=digest
            )
            session.add(owner)
            await session.flush()
            forget_who(session)  # its role, grants or state may have changed
            return await signed_in(session, owner)

    async def add(
        self, name: str, role: str, pin: str | None = None, *, location_id: int | None = None
    ) -> TeamMember:
        """A new staff member at `location_id` (None: the first location)."""
        clean, cleaned_role = clean_name(name, "name", "name"), clean_role(role)
        digest = None if pin is None else await self._hash(clean_pin(pin))
        async with self.ctx.transaction() as session:
            await self._may_manage(session, owner=cleaned_role == Role.OWNER)
            place = await self._location(session, location_id)
            row = StaffRow(name=clean, role=cleaned_role, location_id=place, pin_hash=digest)
            mark_changed(row, self.ctx.actor)
            session.add(row)
            await session.flush()
            forget_who(session)  # its role, grants or state may have changed
            return await self._view(session, row)

    async def set_pin(self, number: int, pin: str) -> TeamMember:
        """A new PIN; clears the wrong-PIN count and any lock."""
        digest = await self._hash(clean_pin(pin))
        async with self.ctx.transaction() as session:
            row = await self._get(session, number)
            await self._may_manage(session, owner=row.role == Role.OWNER)
            row.pin_hash = digest
            row.failed_pins = 0
            row.locked_until = None
            mark_changed(row, self.ctx.actor)
            return await self._view(session, row)

    async def unlock(self, number: int) -> TeamMember:
        async with self.ctx.transaction() as session:
            await self._may_manage(session)
            row = await self._get(session, number)
            row.failed_pins = 0
            row.locked_until = None
            mark_changed(row, self.ctx.actor)
            return await self._view(session, row)

    async def set_role(
        self,
        number: int,
        role: str,
        *,
        location_id: int | None = None,
        expected_version: int | None = None,
    ) -> TeamMember:
        """A new role (and location, if given). Making or unmaking an owner needs
        "setup"; the last active owner keeps the role."""
        cleaned = clean_role(role)
        async with self.ctx.transaction() as session:
            owners = await self._lock_owners(session)
            row = await self._get(session, number)
            await self._may_manage(session, owner=Role.OWNER in (row.role, cleaned))
            save_checked(row, self.ctx.actor, expected_version)
            if cleaned != Role.OWNER:
                _not_last_owner(owners, row, "role")
            row.role = cleaned
            if location_id is not None:
                row.location_id = await self._location(session, location_id)
            await session.flush()
            forget_who(session)  # its role, grants or state may have changed
            return await self._view(session, row)

    async def set_active(
        self, number: int, active: bool, *, expected_version: int | None = None
    ) -> TeamMember:
        """Deactivate (they can no longer sign in or be booked) or reactivate. An owner
        needs "setup"; the last active owner stays active."""
        async with self.ctx.transaction() as session:
            owners = await self._lock_owners(session)
            row = await self._get(session, number)
            await self._may_manage(session, owner=row.role == Role.OWNER)
            save_checked(row, self.ctx.actor, expected_version)
            if not active:
                _not_last_owner(owners, row, "active")
            row.active = active
            await session.flush()
            forget_who(session)  # its role, grants or state may have changed
            return await self._view(session, row)

    async def set_grants(
        self, number: int, grants: frozenset[Perm], *, expected_version: int | None = None
    ) -> TeamMember:
        """The permissions this person holds beyond their role, all at once. Needs
        "setup" as well as "manage staff": a grant can give anything, setup included."""
        async with self.ctx.transaction() as session:
            row = await self._get(session, number)
            await self._may_manage(session, owner=True)
            save_checked(row, self.ctx.actor, expected_version)
            await session.execute(delete(StaffPermission).where(StaffPermission.staff_id == number))
            session.add_all(StaffPermission(staff_id=number, permission=p.value) for p in grants)
            await session.flush()
            forget_who(session)  # its role, grants or state may have changed
            return await self._view(session, row)

    async def _hash(self, pin: str) -> str:
        pepper = pepper_for(self.ctx.engine.url, create=True)
        if pepper is None:
            raise NoPepper()
        return await hash_pin(pin, pepper)

    async def _may_manage(self, session: AsyncSession, *, owner: bool = False) -> None:
        if self.ctx.operator:
            return
        await require(session, self.ctx.actor, Perm.MANAGE_STAFF)
        if owner:
            await require(session, self.ctx.actor, Perm.SETUP)

    @staticmethod
    async def _lock_owners(session: AsyncSession) -> list[int]:
        """Every active owner's number, their rows locked in id order before the row
        being changed: two terminals retiring two owners at once then queue here (one
        sees the other's change) instead of each passing, or deadlocking on PostgreSQL."""
        found = await session.scalars(
            select(StaffRow.id)
            .where(StaffRow.role == Role.OWNER.value, StaffRow.active.is_(True))
            .order_by(StaffRow.id)
            .with_for_update()
        )
        return list(found.all())

    @staticmethod
    async def _location(session: AsyncSession, location_id: int | None) -> int | None:
        if location_id is None:
            return await session.scalar(select(Location.id).order_by(Location.id).limit(1))
        if await session.get(Location, location_id) is None:
            raise ValidationError("location", "Choose one of the store's locations")
        return location_id

    @staticmethod
    async def _view(session: AsyncSession, row: StaffRow) -> TeamMember:
        place = None if row.location_id is None else await session.get(Location, row.location_id)
        grants = await _grants(session, row.id)
        return _member(
            row, place.name if place is not None else "", grants.get(row.id, frozenset())
        )

    @staticmethod
    async def _get(session: AsyncSession, number: int) -> StaffRow:
        row = await session.get(StaffRow, number, with_for_update=True)
        if row is None:
            raise NotFound(f"staff member {number}")
        return row
