"""The `Kiosk`: opening, checking a client in, leaving."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Appointment, Client, Location
from frontdesk.db.tables.base import local_today
from frontdesk.domain.errors import DomainError, ValidationError
from frontdesk.domain.normalize import digits
from frontdesk.domain.permissions import Perm
from frontdesk.services.context import ServiceContext
from frontdesk.services.kiosk.visit import OPEN_STATUSES, KioskVisit, greeting
from frontdesk.services.sign_in import pin_holder
from frontdesk.services.staff import has_permission

# One message for every miss: nothing, several, no appointment today, another location,
# a lock-out. A person trying numbers learns nothing from the difference.
NO_MATCH = "We couldn't find that. Please ask at the front desk."
# Misses in a row that lock check-in (with the same message) for a while: trying phone
# or client numbers one after another gets five guesses, then waits.
LOCKOUT_MISSES = 5
LOCKOUT_SECONDS = 120.0
# A phone number is at least this many digits: fewer matches by chance, not by owning it.
MIN_PHONE_DIGITS = 7
MOST_TYPED = 40


class KioskNoMatch(ValidationError):
    def __init__(self) -> None:
        super().__init__("check_in", NO_MATCH)


class KioskRefused(ValidationError):
    """A PIN that does not open (or close) the kiosk: wrong, locked, or not a manager's."""

    def __init__(self) -> None:
        super().__init__(
            "pin",
            "Not accepted: a manager's or owner's number and PIN are needed "
            "(or too many tries have locked them for a few minutes).",
        )


class UnknownLocation(ValidationError):
    def __init__(self, given: str, names: list[str]) -> None:
        listed = ", ".join(names) or "none yet"
        super().__init__("location", f"No location named {given!r}; the locations are: {listed}")


@dataclass
class _Misses:
    """Shared by a kiosk and the copy `open` makes: one count per kiosk process."""

    count: int = 0
    locked_until: float = 0.0


class Kiosk:
    """Everything the kiosk's screens may do; nothing else of ours reaches them."""

    def __init__(
        self,
        ctx: ServiceContext,
        location_id: int,
        location_name: str,
        *,
        today: Callable[[], dt.date] = local_today,
        clock: Callable[[], float] = time.monotonic,
        misses: _Misses | None = None,
    ) -> None:
        self.ctx = ctx
        self.location_id = location_id
        self.location_name = location_name
        self._today = today
        self._clock = clock
        self._misses = misses or _Misses()

    @classmethod
    async def at(
        cls,
        url: str,
        *,
        terminal: str,
        location: str,
        today: Callable[[], dt.date] = local_today,
        clock: Callable[[], float] = time.monotonic,
    ) -> Kiosk:
        """The kiosk of the location named `location` (any letter case), signed by no one
        yet; `UnknownLocation` lists the names. The caller closes it."""
        ctx = ServiceContext.create(create_engine(url), terminal=terminal)
        try:
            async with ctx.read() as session:
                rows = (await session.execute(select(Location.id, Location.name))).all()
        except BaseException:
            await ctx.dispose()
            raise
        wanted = location.strip().casefold()
        found = [(i, n) for i, n in rows if n.casefold() == wanted]
        if len(found) != 1:
            await ctx.dispose()
            raise UnknownLocation(location, sorted(n for _, n in rows))
        (location_id, name), *_ = found
        return cls(ctx, location_id, name, today=today, clock=clock)

    def today(self) -> dt.date:
        return self._today()

    @property
    def opened_by(self) -> int | None:
        return self.ctx.actor.staff_id

    async def _manager(self, who: str, pin: str) -> int:
        """The staff id if `pin` is a manager's or owner's (who may approve), else
        `KioskRefused`; a wrong PIN counts toward that person's lock (X3)."""
        staff_id = await pin_holder(self.ctx, who, pin, dt.datetime.now(dt.UTC))
        if staff_id is None:
            raise KioskRefused()
        async with self.ctx.read() as session:
            if not await has_permission(session, staff_id, Perm.APPROVE):
                raise KioskRefused()
        return staff_id

    async def open(self, who: str, pin: str) -> Kiosk:
        """This kiosk, opened by a manager or owner: its writes are made as them."""
        staff_id = await self._manager(who, pin)
        return Kiosk(
            self.ctx.as_staff(staff_id),
            self.location_id,
            self.location_name,
            today=self._today,
            clock=self._clock,
            misses=self._misses,
        )

    async def leave(self, who: str, pin: str) -> int:
        """Whether kiosk mode may end: the staff id of the manager or owner whose PIN it
        is, else `KioskRefused`."""
        return await self._manager(who, pin)

    async def check_in(self, text: str) -> KioskVisit:
        """The one client whose whole phone number or client number `text` is, with an
        appointment today at this location; anything else is `KioskNoMatch`, the same
        for every reason. Never a prefix or a name."""
        typed = "".join(text.split()).upper()
        if not typed:
            raise ValidationError("check_in", "Type your phone number or client number.")
        now = self._clock()
        if now < self._misses.locked_until:
            raise KioskNoMatch()
        visit = await self._find(typed) if len(typed) <= MOST_TYPED else None
        if visit is None:
            self._miss(now)
            raise KioskNoMatch()
        return visit

    def checked_in(self) -> None:
        """A client said "that's me": the misses before were not someone guessing."""
        self._misses.count = 0

    def _miss(self, now: float) -> None:
        self._misses.count += 1
        if self._misses.count >= LOCKOUT_MISSES:
            self._misses.count = 0
            self._misses.locked_until = now + LOCKOUT_SECONDS

    async def _find(self, typed: str) -> KioskVisit | None:
        phone = digits(typed) if all(ch.isdigit() or ch in "+-()." for ch in typed) else ""
        matches = [Client.client_number == typed]
        if len(phone) >= MIN_PHONE_DIGITS:
            matches.append(Client.phone_digits == phone)
        day = self._today()
        start = dt.datetime.combine(day, dt.time.min)
        async with self.ctx.read() as session:
            today_here = (
                select(Appointment.id)
                .where(
                    Appointment.client_id == Client.id,
                    Appointment.location_id == self.location_id,
                    Appointment.starts_at >= start,
                    Appointment.starts_at < start + dt.timedelta(days=1),
                    Appointment.status.in_(OPEN_STATUSES),
                )
                .exists()
            )
            ids = list(
                await session.scalars(
                    select(Client.id)
                    .where(Client.merged_into_id.is_(None))
                    .where(matches[0] if len(matches) == 1 else (matches[0] | matches[1]))
                    .where(today_here)
                    .limit(2)
                )
            )
            if len(ids) != 1:
                return None
            hello = await greeting(session, ids[0], self.location_id, day)
        return KioskVisit(self, ids[0], hello)

    async def close(self) -> None:
        await self.ctx.dispose()


__all__ = ["DomainError", "Kiosk", "KioskNoMatch", "KioskRefused", "UnknownLocation"]
