"""The demo staff's PINs (names.STAFF, listed in the README), hashed for the seed.

They are public, so they get argon2id's least work (`pins.public_pin_hash`): ten of them
cost ~20 ms, and a first `frontdesk --demo` does not wait on ten full hashes.
"""

from __future__ import annotations

from sqlalchemy.engine import URL

from frontdesk.demo import names
from frontdesk.services.pins import NoPepper, pepper_for, public_pin_hash


class DemoPins:
    """The hashes of the demo staff's PINs, in `names.STAFF` order."""

    def __init__(self, hashes: list[str]) -> None:
        self._hashes = hashes

    @classmethod
    async def start(cls, url: URL) -> DemoPins:
        """The pepper is the database's own (for the demo's SQLite file, `demo.db.pepper`
        beside it, made here); with none to be had, NoPepper at once, before anything is
        written."""
        pepper = pepper_for(url, create=True)
        if pepper is None:
            raise NoPepper()
        return cls([public_pin_hash(pin, pepper) for *_, pin in names.STAFF])

    async def hashes(self) -> list[str]:
        return self._hashes
