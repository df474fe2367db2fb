"""Typed exceptions the UI can show as they are.

Every message is written for the person at the desk, not for a log file, so screens can
display ``str(error)`` without rewording it. Structured attributes (``field``, ``owned``,
``available``...) let a screen focus the right input or refresh the right number.
"""

from __future__ import annotations

from decimal import Decimal


class DomainError(Exception):
    """Base class: anything a rule refuses, with a message fit for staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    """Staff typed something the rules cannot accept; ``field`` names the input to focus."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field

    def __reduce__(self) -> tuple[type[ValidationError], tuple[str, str]]:
        # Exceptions pickle via ``args``; ours has two arguments, not one.
        return (type(self), (self.field, self.message))


class InsufficientBalance(DomainError):
    """A stored value (units, visits, money) holds less than was asked for."""

    def __init__(
        self,
        available: Decimal | int,
        requested: Decimal | int,
        field: str | None = None,
        message: str | None = None,
    ) -> None:
        if message is None:
            message = f"Only {available} available; {requested} requested"
        super().__init__(message)
        self.available = available
        self.requested = requested
        self.field = field

    def __reduce__(
        self,
    ) -> tuple[
        type[InsufficientBalance],
        tuple[Decimal | int, Decimal | int, str | None, str],
    ]:
        return (type(self), (self.available, self.requested, self.field, self.message))


class Conflict(DomainError):
    """Another terminal changed the data first; ``owned`` carries the fresh count if known."""

    def __init__(self, message: str, owned: int | None = None) -> None:
        super().__init__(message)
        self.owned = owned

    def __reduce__(self) -> tuple[type[Conflict], tuple[str, int | None]]:
        return (type(self), (self.message, self.owned))


class PermissionDenied(DomainError):
    """The signed-in staff member lacks ``permission``."""

    def __init__(self, permission: str) -> None:
        super().__init__(f"You need the “{permission}” permission to do this")
        self.permission = permission

    def __reduce__(self) -> tuple[type[PermissionDenied], tuple[str]]:
        return (type(self), (self.permission,))


class TravelMemberReadOnly(PermissionDenied):
    """A travel member's details are edited at their home location, not here."""

    def __init__(self, home_name: str) -> None:
        super().__init__("edit a travel member's details away from their home location")
        self.home_name = home_name
        self.message = (
            f"This client is a travel member (home location: {home_name}); their profile "
            f"details and account are read-only here. Edit them at {home_name}."
        )
        self.args = (self.message,)

    def __reduce__(self) -> tuple[type[PermissionDenied], tuple[str]]:
        return (type(self), (self.home_name,))


class NotSignedIn(DomainError):
    """Nobody is signed in: a ledger entry always names who made it
    (docs/rules.md#the-ledger, L3)."""

    def __init__(self) -> None:
        super().__init__("Sign in first: every change to a balance names who made it")

    def __reduce__(self) -> tuple[type[NotSignedIn], tuple[()]]:
        return (type(self), ())


class ApprovalNeeded(DomainError):
    """Worth more than the store's threshold and nobody approved: a second person's PIN
    is needed on this terminal (docs/rules.md#permissions, X4)."""

    def __init__(self, message: str, threshold: Decimal) -> None:
        super().__init__(message)
        self.threshold = threshold

    def __reduce__(self) -> tuple[type[ApprovalNeeded], tuple[str, Decimal]]:
        return (type(self), (self.message, self.threshold))


class NotFound(DomainError):
    """``what`` (e.g. "Client 42") does not exist, or no longer does."""

    def __init__(self, what: str) -> None:
        # Callers pass "client" or "Client 42"; a sentence starts with a capital either way.
        super().__init__(f"{what[:1].upper()}{what[1:]} not found")
        self.what = what

    def __reduce__(self) -> tuple[type[NotFound], tuple[str]]:
        return (type(self), (self.what,))


class AlreadyReversed(DomainError):
    """Ledger entries are reversed at most once; a second reversal would double-refund."""

    def __init__(self, entry_id: int) -> None:
        super().__init__(f"Entry {entry_id} has already been reversed")
        self.entry_id = entry_id

    def __reduce__(self) -> tuple[type[AlreadyReversed], tuple[int]]:
        return (type(self), (self.entry_id,))


class NotReversible(DomainError):
    """An entry the Account tab may not reverse: one an appointment or a ticket owns (undo
    it there: remove the add-on, refund the ticket), or a reversal itself. ``undo_at`` is
    "appointment", "ticket" or "reversal"; ``owner_id`` the appointment or ticket."""

    def __init__(self, entry_id: int, undo_at: str, owner_id: int | None = None) -> None:
        super().__init__(_not_reversible(entry_id, undo_at, owner_id))
        self.entry_id = entry_id
        self.undo_at = undo_at
        self.owner_id = owner_id

    def __reduce__(self) -> tuple[type[NotReversible], tuple[int, str, int | None]]:
        return (type(self), (self.entry_id, self.undo_at, self.owner_id))


def _not_reversible(entry_id: int, undo_at: str, owner_id: int | None) -> str:
    if undo_at == "appointment":
        return (
            f"Entry {entry_id} belongs to appointment {owner_id} — remove the add-on there "
            "(or cancel the appointment)"
        )
    if undo_at == "ticket":
        return f"Entry {entry_id} belongs to ticket #{owner_id} — refund the ticket instead"
    return f"Entry {entry_id} is itself a reversal; make a new adjustment instead"


class RaceLost(Conflict):
    """Another terminal wrote the same unique thing a moment earlier (a client number, a
    ticket's key...); nothing of this change was saved. ``key`` names the unique key as
    "table.column"."""

    def __init__(self, message: str, key: str = "") -> None:
        super().__init__(message)
        self.key = key

    def __reduce__(self) -> tuple[type[Conflict], tuple[str, int | None]]:
        return (type(self), (self.message, self.key))  # type: ignore[return-value]


class Unavailable(DomainError):
    """Something outside the rules (database, network) is not answering; try again later."""


class UpgradeInProgress(Unavailable):
    """Another terminal held the schema upgrade longer than this one would wait for it."""

    def __init__(self) -> None:
        super().__init__("The database is being upgraded by another terminal; try again")

    def __reduce__(self) -> tuple[type[UpgradeInProgress], tuple[()]]:
        return (type(self), ())


# What a driver says, in lower case, and what a person at the desk can act on.
_KNOWN_FAULTS = (
    ("not a database", "that file is not a frontdesk (SQLite) database"),
    (
        "unable to open database file",
        "cannot open the database file (check the path and permissions)",
    ),
)


# What a person reads for a failure nothing here has a name for: never the driver's text.
SOMETHING_WENT_WRONG = "Something went wrong — nothing was saved; try again"


def describe(exc: BaseException | None) -> str:
    """The one line a person reads for any failure: the CLI prints it, screens show it,
    services put it in the domain errors they raise. A DomainError is already written
    for the desk; a few known faults are named by their cause; anything else is one
    plain sentence. Never a driver's text, a class name or a traceback."""
    if exc is None:
        return SOMETHING_WENT_WRONG
    if isinstance(exc, DomainError):
        return str(exc)
    orig = getattr(exc, "orig", None) or exc.__cause__ or exc
    text = first_line(orig)
    lowered = text.lower()
    for needle, meaning in _KNOWN_FAULTS:
        if needle in lowered:
            return meaning
    if isinstance(orig, OSError):  # ConnectionError is one; its text is the system's
        return f"cannot reach the database: {text}" if text else "cannot reach the database"
    return SOMETHING_WENT_WRONG


def first_line(exc: BaseException, limit: int = 200) -> str:
    """The first line of an exception's text, cut to `limit` characters."""
    return (str(exc).strip().splitlines() or [""])[0][:limit]
