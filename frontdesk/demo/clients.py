"""The generated clients: the special ones first, then names drawn from the word lists.

One `random.Random` stream (`"{seed}:clients"`) in client-number order, so the first 300
clients are the same whether the demo has 300 or 100,000. Clients go in with bulk Core
inserts in chunks, with their search words (`frontdesk.db.tables.client_index`: Core
inserts run no mapper events).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Client, ClientNameWord
from frontdesk.db.tables.client_index import word_rows
from frontdesk.demo import names
from frontdesk.demo.client_names import FIRST_NAMES, LAST_NAMES
from frontdesk.demo.timeline import HISTORY_DAYS
from frontdesk.domain.normalize import digits, fold, phone_tail

RICH_CLIENTS = 300  # clients with a full history, appointments and memberships
INSERT_CHUNK = 5_000


def _slug(name: str) -> str:
    return "".join(ch for ch in fold(name) if "a" <= ch <= "z" or "0" <= ch <= "9")


def _phone(rng: random.Random, index: int) -> str:
    if index < 1000:
        # Ofcom's drama range: 07700 900000-900999 is never a real number.
        tail = f"{index:03d}"
        style = index % 10
        if style == 7:
            return f"+44 7700 900{tail}"
        if style == 8:
            return f"(07700) 900-{tail}"
        if style == 9:
            return f"07700900{tail}"
        return f"07700 900{tail}"
    if rng.random() < 0.02:
        return ""
    number = f"{rng.randrange(10**9):09d}"
    if rng.random() < 0.1:
        return f"+44 7{number[:3]} {number[3:]}"
    return f"07{number[:3]} {number[3:]}"


class _ClientMaker:
    """Makes client rows one by one; the draws for each row come in a fixed order."""

    def __init__(self, seed: int, today: dt.date, location_ids: Sequence[int]) -> None:
        self.rng = random.Random(f"{seed}:clients")
        self.today = today
        self.home, self.away = location_ids[0], location_ids[-1]
        # Caches: the same few hundred names recur across 100,000 clients.
        self.folded: dict[str, str] = {}
        self.slugs: dict[str, str] = {}
        self.seen_emails: set[str] = set()

    def row(self, i: int) -> dict[str, Any]:
        rng = self.rng
        rich = i < RICH_CLIENTS
        first, last, notes = self._person(i)
        phone = _phone(rng, i)
        email = self._email(i, first, last, rich)
        birthday = (
            None
            if rng.random() < 0.1
            else dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20_000))
        )
        travel = rng.random() < (0.15 if rich else 0.35)
        joined = self.today - dt.timedelta(days=rng.randint(HISTORY_DAYS + 10 if rich else 0, 1500))
        return {
            "client_number": f"C{i + 1:06d}",
            "first_name": first,
            "last_name": last,
            "phone": phone,
            "email": email,
            "birthday": birthday,
            "home_location_id": self.away if travel else self.home,
            "notes": notes,
            "search_first": self._folded(first),
            "search_last": self._folded(last),
            "phone_digits": digits(phone),
            "phone_tail": phone_tail(digits(phone)),
            "email_lower": email.casefold(),
            "created_at": dt.datetime.combine(joined, dt.time(9, 0), dt.UTC),
        }

    def _person(self, i: int) -> tuple[str, str, str]:
        """First name, last name and notes: a special client's, or drawn from the lists."""
        special = names.SPECIAL_CLIENTS
        if i < len(special):
            return special[i]
        first = self.rng.choice(FIRST_NAMES)
        last = self.rng.choice(LAST_NAMES)
        notes = self.rng.choice(names.CLIENT_NOTES) if self.rng.random() < 0.04 else ""
        return first, last, notes

    def _email(self, i: int, first: str, last: str, rich: bool) -> str:
        domain = self.rng.choice(names.EMAIL_DOMAINS)
        # An email's local part is at most 64 characters (RFC 5321).
        local = f"{self._slug(first) or 'client'}.{self._slug(last) or str(i + 1)}"[:52]
        if not rich:
            return "" if self.rng.random() < 0.03 else f"{local}.{i + 1}@{domain}"
        email = f"{local}@{domain}"
        n = 2
        while email in self.seen_emails:
            email = f"{local}{n}@{domain}"
            n += 1
        self.seen_emails.add(email)
        if i % 17 == 5:
            email = email[:1].upper() + email[1:].replace("@example", "@Example")
        return email

    def _slug(self, name: str) -> str:
        if name not in self.slugs:
            self.slugs[name] = _slug(name)
        return self.slugs[name]

    def _folded(self, name: str) -> str:
        if name not in self.folded:
            self.folded[name] = fold(name)
        return self.folded[name]


def client_rows(
    count: int, seed: int, today: dt.date, location_ids: Sequence[int]
) -> list[dict[str, Any]]:
    """The client rows, in client-number order (pure; the same for the same arguments)."""
    maker = _ClientMaker(seed, today, location_ids)
    return [maker.row(i) for i in range(count)]


async def insert_clients(
    session: AsyncSession, location_ids: Sequence[int], count: int, seed: int, today: dt.date
) -> list[int]:
    """Insert `count` clients; their ids in client-number order."""
    rows = client_rows(count, seed, today, location_ids)
    table = cast(Table, Client.__table__)
    # The Core table insert (executemany): about 3x faster than the ORM's bulk path.
    for start in range(0, len(rows), INSERT_CHUNK):
        await session.execute(insert(table), rows[start : start + INSERT_CHUNK])
    ids = (await session.execute(select(Client.id).order_by(Client.id))).scalars().all()
    # Core inserts run no mapper events: the search words go in here (most names have none).
    words = [
        w
        for cid, row in zip(ids, rows, strict=True)
        for w in word_rows(cid, row["search_first"], row["search_last"])
    ]
    words_table = cast(Table, ClientNameWord.__table__)
    for start in range(0, len(words), INSERT_CHUNK):
        await session.execute(insert(words_table), words[start : start + INSERT_CHUNK])
    return list(ids)
