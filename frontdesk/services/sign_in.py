"""Signing in with a staff number (or name) and a PIN, and the lockout that five wrong
PINs earn on every terminal (docs/rules.md#permissions, X3)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Staff as StaffRow
from frontdesk.domain.errors import DomainError
from frontdesk.domain.ledger_hash import utc
from frontdesk.domain.parsing import MAX_ID
from frontdesk.services.area import Area
from frontdesk.services.context import ServiceContext
from frontdesk.services.pins import NoPepper, pepper_for, pin_matches
from frontdesk.services.staff import permissions
from frontdesk.views.staff import SignedIn

MAX_TRIES = 5
LOCKED_FOR = dt.timedelta(minutes=5)


class SignInRefused(DomainError):
    """Never says whether the name, the PIN or a lock was the reason."""

    def __init__(self) -> None:
        super().__init__(
            "Not signed in: that staff member and PIN do not match, or too many tries "
            "have locked them for a few minutes. Check both and try again."
        )


async def find_staff(session: AsyncSession, who: str) -> StaffRow | None:
    """An active staff member by number, or by their whole name in any case."""
    who = who.strip()
    if not who:
        return None
    stmt = select(StaffRow).where(StaffRow.active.is_(True))
    if who.isascii() and who.isdigit():
        if len(who) > len(str(MAX_ID)) or int(who) > MAX_ID:
            return None  # no staff number is that big (and the driver would overflow)
        stmt = stmt.where(StaffRow.id == int(who))
    else:
        stmt = stmt.where(func.lower(StaffRow.name) == who.casefold())
    found = list((await session.scalars(stmt.limit(2))).all())
    return found[0] if len(found) == 1 else None


async def signed_in(session: AsyncSession, member: StaffRow) -> SignedIn:
    return SignedIn(
        id=member.id,
        name=member.name,
        role=member.role,
        permissions=await permissions(session, member.id),
    )


def count_try(member: StaffRow, right: bool, now: dt.datetime) -> bool:
    """Record one try on `member` (locked and fresh from the database): a right PIN clears
    the count, the fifth wrong one in a row locks them for five minutes. True if in."""
    if member.locked_until is not None and utc(member.locked_until) > now:
        return False
    if right:
        member.failed_pins = 0
        member.locked_until = None
        return True
    member.failed_pins += 1
    if member.failed_pins >= MAX_TRIES:
        member.failed_pins = 0
        member.locked_until = now + LOCKED_FOR
    return False


def _still(member: StaffRow, stored: str) -> bool:
    """Still active with the PIN that was checked (not changed by another terminal since)."""
    return member.active and member.pin_hash == stored


async def pin_holder(ctx: ServiceContext, who: str, pin: str, now: dt.datetime) -> int | None:
    """The staff id of `who` (number or name) if `pin` is theirs now, else None; a wrong
    PIN is counted toward their lock (committed either way). Sign-in and the two-person
    rule both ask this.

    The hash is checked before the write transaction: ~30 ms of argon2 must not hold
    SQLite's write lock against the other terminals."""
    pepper = pepper_for(ctx.engine.url, create=False)
    async with ctx.read() as session:
        member = await find_staff(session, who)
        staff_id, stored = (None, None) if member is None else (member.id, member.pin_hash)
    if stored is not None and pepper is None:
        raise NoPepper()
    right = await pin_matches(stored, pin, pepper)
    if staff_id is None or stored is None:
        return None
    async with ctx.transaction() as session:
        member = await session.get(StaffRow, staff_id, with_for_update=True)
        ok = member is not None and _still(member, stored) and count_try(member, right, now)
    return staff_id if ok else None


class SignIn(Area):
    """Who may start working at this terminal."""

    async def sign_in(self, who: str, pin: str, *, at: dt.datetime | None = None) -> SignedIn:
        """The staff member `who` (number or name) if `pin` is theirs; `SignInRefused`
        otherwise, the same for every reason."""
        staff_id = await pin_holder(self.ctx, who, pin, at or dt.datetime.now(dt.UTC))
        if staff_id is None:
            raise SignInRefused()
        return await self.who(staff_id)

    async def who(self, staff_id: int) -> SignedIn:
        """The signed-in member again (their role may have changed since)."""
        async with self.ctx.read() as session:
            member = await session.get(StaffRow, staff_id)
            if member is None or not member.active:
                raise SignInRefused()
            return await signed_in(session, member)
