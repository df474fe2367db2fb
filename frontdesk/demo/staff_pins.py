"""The demo staff's PINs (names.STAFF, listed in the README), hashed beside the seed.

Ten argon2id hashes are a few hundred milliseconds of CPU, and a first `frontdesk
--demo` waits for the staff rows (everyone must be able to sign in once the app opens).
So the hashing starts as soon as the demo is asked for, in worker threads (argon2 runs
outside the GIL), while the database is migrated and the seed starts; the staff rows
take the finished hashes in their one insert.
"""

from __future__ import annotations

import asyncio

from sqlalchemy.engine import URL

from frontdesk.demo import names
from frontdesk.services.pins import NoPepper, hash_pin, pepper_for


class DemoPins:
    """The hashes of the demo staff's PINs, in `names.STAFF` order, being made."""

    def __init__(self, hashing: asyncio.Future[list[str]]) -> None:
        self._hashing = hashing

    @classmethod
    async def start(cls, url: URL) -> DemoPins:
        """Start hashing: on return the hashes are being made in threads, whatever the
        caller does next. The pepper is the database's own (for the demo's SQLite file,
        `demo.db.pepper` beside it, made here); with none to be had, NoPepper at once,
        before anything is written."""
        pepper = pepper_for(url, create=True)
        if pepper is None:
            raise NoPepper()
        hashing = asyncio.gather(*(hash_pin(pin, pepper) for *_, pin in names.STAFF))
        await asyncio.sleep(0)  # each hash_pin hands its work to a thread
        return cls(hashing)

    async def hashes(self) -> list[str]:
        return await self._hashing
