"""The staff list, and adding staff, setting PINs and unlocking: for the first owner of a
new database (anyone, once), for staff who may manage staff, and for the operator's
`frontdesk staff` command."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Location
from frontdesk.db.tables import Staff as StaffRow
from frontdesk.domain.errors import Conflict, NotFound, ValidationError
from frontdesk.domain.fields import clean_name
from frontdesk.domain.permissions import Perm, Role
from frontdesk.services.area import Area
from frontdesk.services.pins import NoPepper, clean_pin, hash_pin, pepper_for
from frontdesk.services.sign_in import signed_in
from frontdesk.services.staff import require
from frontdesk.views.staff import SignedIn, TeamMember

ROLES = ", ".join(r.value for r in Role)


def _member(row: StaffRow) -> TeamMember:
    return TeamMember(
        number=row.id,
        name=row.name,
        role=row.role,
        active=row.active,
        has_pin=row.pin_hash is not None,
        locked_until=row.locked_until,
    )


def clean_role(role: str) -> str:
    role = role.strip().lower().replace(" ", "_")
    if not role or len(role) > 40 or not role.replace("_", "").isalpha():
        raise ValidationError("role", f"A role is one of {ROLES}, or a job title")
    return role


class Team(Area):
    async def roster(self, *, everyone: bool = False) -> tuple[TeamMember, ...]:
        """Active staff by number (`everyone`: the inactive too)."""
        async with self.ctx.read() as session:
            stmt = select(StaffRow).order_by(StaffRow.id)
            if not everyone:
                stmt = stmt.where(StaffRow.active.is_(True))
            return tuple(_member(r) for r in (await session.scalars(stmt)).all())

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
            return await signed_in(session, owner)

    async def add(self, name: str, role: str, pin: str | None = None) -> TeamMember:
        clean, cleaned_role = clean_name(name, "name", "name"), clean_role(role)
        digest = None if pin is None else await self._hash(clean_pin(pin))
        async with self.ctx.transaction() as session:
            await self._may_manage(session)
            location = await session.scalar(select(Location.id).order_by(Location.id).limit(1))
            row = StaffRow(name=clean, role=cleaned_role, location_id=location, pin_hash=digest)
            session.add(row)
            await session.flush()
            return _member(row)

    async def set_pin(self, number: int, pin: str) -> TeamMember:
        """A new PIN; clears the wrong-PIN count and any lock."""
        digest = await self._hash(clean_pin(pin))
        async with self.ctx.transaction() as session:
            await self._may_manage(session)
            row = await self._get(session, number)
            row.pin_hash = digest
            row.failed_pins = 0
            row.locked_until = None
            return _member(row)

    async def unlock(self, number: int) -> TeamMember:
        async with self.ctx.transaction() as session:
            await self._may_manage(session)
            row = await self._get(session, number)
            row.failed_pins = 0
            row.locked_until = None
            return _member(row)

    async def _hash(self, pin: str) -> str:
        pepper = pepper_for(self.ctx.engine.url, create=True)
        if pepper is None:
            raise NoPepper()
        return await hash_pin(pin, pepper)

    async def _may_manage(self, session: AsyncSession) -> None:
        if not self.ctx.operator:
            await require(session, self.ctx.actor, Perm.MANAGE_STAFF)

    @staticmethod
    async def _get(session: AsyncSession, number: int) -> StaffRow:
        row = await session.get(StaffRow, number, with_for_update=True)
        if row is None:
            raise NotFound(f"staff member {number}")
        return row
