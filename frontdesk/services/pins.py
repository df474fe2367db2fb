"""PIN hashes: argon2id over the PIN mixed with a pepper the database never holds
(docs/rules.md#permissions, X3).

The pepper is shared by every terminal of one database: `FRONTDESK_PEPPER`, or the file
named by `FRONTDESK_PEPPER_FILE`; for a SQLite file with neither, `<database>.pepper`
beside it, made on first use, readable by its owner only. PostgreSQL has no such place
every terminal shares, so without a configured pepper PINs are refused, not weakened.
A stolen database alone is then not enough to try PINs offline.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import URL

from frontdesk.domain.errors import DomainError, ValidationError

PEPPER_ENV = "FRONTDESK_PEPPER"
PEPPER_FILE_ENV = "FRONTDESK_PEPPER_FILE"
PIN_DIGITS = (4, 12)

# OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): ~30 ms on a desk PC, and a
# low-spec kiosk can still afford the memory.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@functools.cache
def _decoy() -> str:
    """Verified against when the name is unknown, so a refusal takes as long either way;
    made on first need, not at import (every `frontdesk` command imports this)."""
    return _HASHER.hash("decoy")


class NoPepper(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "PINs need a pepper every terminal shares: set FRONTDESK_PEPPER, or "
            "FRONTDESK_PEPPER_FILE naming a file, on every terminal (see README)"
        )


def clean_pin(pin: str, field: str = "pin") -> str:
    pin = pin.strip()
    low, high = PIN_DIGITS
    if not (pin.isascii() and pin.isdigit() and low <= len(pin) <= high):
        raise ValidationError(field, f"A PIN is {low} to {high} digits")
    return pin


def pepper_for(url: URL, *, create: bool) -> bytes | None:
    """The pepper for this database, or None when there is none (and `create` is off or
    the database is not a SQLite file)."""
    value = os.environ.get(PEPPER_ENV)
    if value:
        return value.encode()
    named = os.environ.get(PEPPER_FILE_ENV)
    if named:
        return _read(Path(named).expanduser(), create=create)
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database and database != ":memory:":
        return _read(Path(database).with_name(Path(database).name + ".pepper"), create=create)
    return None


def _read(path: Path, *, create: bool) -> bytes | None:
    try:
        return path.read_bytes().strip() or None
    except FileNotFoundError:
        if not create:
            return None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another terminal made it a moment ago
        return path.read_bytes().strip() or None
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_hex(32) + "\n")
    return path.read_bytes().strip()


def _peppered(pin: str, pepper: bytes) -> str:
    return hmac.new(pepper, pin.encode(), hashlib.sha256).hexdigest()


# For PINs printed in the README (the demo's): hiding them buys nothing, so they get
# argon2id's least work (~2 ms) and a first `--demo` does not wait on ten full hashes.
# `set-pin` gives anyone who keeps the demo a full-strength hash again.
_PUBLIC_HASHER = PasswordHasher(time_cost=1, memory_cost=4096, parallelism=1)


def public_pin_hash(pin: str, pepper: bytes) -> str:
    return _PUBLIC_HASHER.hash(_peppered(pin, pepper))


async def hash_pin(pin: str, pepper: bytes) -> str:
    # Off the event loop: argon2 is ~30 ms of CPU and the screen must keep drawing.
    return await asyncio.to_thread(_HASHER.hash, _peppered(pin, pepper))


async def pin_matches(stored: str | None, pin: str, pepper: bytes | None) -> bool:
    """Whether `pin` is the one `stored` was made from; always does the same work."""
    if stored is None or pepper is None:
        await asyncio.to_thread(_verify, _decoy(), pin)
        return False
    return await asyncio.to_thread(_verify, stored, _peppered(pin, pepper))


def _verify(stored: str, secret: str) -> bool:
    try:
        return _HASHER.verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False
