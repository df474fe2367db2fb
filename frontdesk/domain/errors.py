"""Typed exceptions the UI can show as they are.

Every message is written for the person at the desk, not for a log file, so screens can
display ``str(error)`` without rewording it. Structured attributes (``field``, ``owned``,
``available``...) let a screen focus the right input or refresh the right number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from frontdesk.domain.normalize import printable


class DomainError(Exception):
    """Base class: anything a rule refuses, with a message fit for staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        # Messages quote stored text (a product's, a location's, a client's name): inert
        # here, the one place every screen and the CLI read them from.
        return printable(self.message, keep="\n")


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


class StaleVersion(Conflict):
    """A save based on an old read: another terminal changed the row since (``version``
    is what the row holds now). The screen shows this and reloads what it shows.

    The time is shown on the desk's clock, as screens show stored times; the terminal's
    name is stored text, shown inert."""

    def __init__(self, terminal: str | None, changed_at: dt.datetime | None, version: int) -> None:
        where = printable(terminal) if terminal else "another terminal"
        when = f" at {_local(changed_at):%H:%M}" if changed_at is not None else ""
        super().__init__(f"Changed on {where}{when} — reloaded; check and save again")
        self.terminal = terminal
        self.changed_at = changed_at
        self.version = version

    def __reduce__(  # type: ignore[override]
        self,
    ) -> tuple[type[StaleVersion], tuple[str | None, dt.datetime | None, int]]:
        return (type(self), (self.terminal, self.changed_at, self.version))


def _local(at: dt.datetime) -> dt.datetime:
    """A stored time on this desk's clock (a naive one is UTC, as SQLite returns it)."""
    return (at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)).astimezone()


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


class KeyReused(DomainError):
    """A write's key was already used for a different request: replaying the first
    result would answer the wrong question, so nothing is written and nothing replayed."""

    def __init__(self) -> None:
        super().__init__(
            "This request was already used for a different change; nothing was saved — start again"
        )

    def __reduce__(self) -> tuple[type[KeyReused], tuple[()]]:
        return (type(self), ())


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


# What a database fault means at the desk: what happened, what was saved, what to do.
READ_ONLY_TEXT = "The database is read-only here — nothing was saved"
FULL_TEXT = "The database is full — nothing was saved; free disk space"
BUSY_TEXT = "The database is busy with another terminal — nothing was saved; try again"
FAILED_TEXT = "The database could not finish this — nothing was saved; try again"


class ConnectionLost(Unavailable):
    """The connection to the database went away mid-call (server restarted, backend
    terminated, network dropped). Before the COMMIT was sent nothing was saved; while it
    was in flight nobody can tell (`saved` is None) until the write is looked up."""

    def __init__(self, saved: bool | None = False) -> None:
        if saved is None:
            message = (
                "The database connection was lost while saving — it may have been saved; "
                "check before trying again"
            )
        else:
            message = "The database connection was lost — nothing was saved; try again"
        super().__init__(message)
        self.saved = saved

    def __reduce__(self) -> tuple[type[ConnectionLost], tuple[bool | None]]:
        return (type(self), (self.saved,))


class ReadOnlyDatabase(Unavailable):
    """This terminal may read the database but not write it (a read-only file or mount,
    a `mode=ro` URI, a read-only PostgreSQL transaction or replica)."""

    def __init__(self) -> None:
        super().__init__(READ_ONLY_TEXT)

    def __reduce__(self) -> tuple[type[ReadOnlyDatabase], tuple[()]]:
        return (type(self), ())


class DatabaseFull(Unavailable):
    """The disk (or the database's size limit) has no room for the write."""

    def __init__(self) -> None:
        super().__init__(FULL_TEXT)

    def __reduce__(self) -> tuple[type[DatabaseFull], tuple[()]]:
        return (type(self), ())


class DatabaseBusy(Unavailable):
    """Another terminal held the database's write lock longer than this one waits."""

    def __init__(self) -> None:
        super().__init__(BUSY_TEXT)

    def __reduce__(self) -> tuple[type[DatabaseBusy], tuple[()]]:
        return (type(self), ())


# What a driver says, in lower case, and what a person at the desk can act on.
_KNOWN_FAULTS = (
    ("not a database", "that file is not a frontdesk (SQLite) database"),
    (
        "unable to open database file",
        "cannot open the database file (check the path and permissions)",
    ),
    ("readonly database", READ_ONLY_TEXT),  # SQLite: "attempt to write a readonly database"
    ("read-only transaction", READ_ONLY_TEXT),  # PostgreSQL: "cannot execute … in a read-only…"
    ("database or disk is full", FULL_TEXT),
    ("no space left on device", FULL_TEXT),
    ("database is locked", BUSY_TEXT),
)

# The same faults by the driver's code, which does not depend on its wording: SQLite's
# primary result code name, PostgreSQL's SQLSTATE (or its class, the first two characters).
_FAULT_CODES: dict[str, Callable[[], Unavailable]] = {
    "SQLITE_READONLY": ReadOnlyDatabase,
    "SQLITE_FULL": DatabaseFull,
    "SQLITE_BUSY": DatabaseBusy,
    "25006": ReadOnlyDatabase,  # read_only_sql_transaction
    "53100": DatabaseFull,  # disk_full
    "08": ConnectionLost,  # connection exception
    "57P01": ConnectionLost,  # admin_shutdown (pg_terminate_backend)
    "57P02": ConnectionLost,  # crash_shutdown
    "57P03": ConnectionLost,  # cannot_connect_now
    # Two terminals' transactions waited on each other: PostgreSQL rolled this one back,
    # so nothing was saved and asking again goes through.
    "40P01": DatabaseBusy,  # deadlock_detected
    "40001": DatabaseBusy,  # serialization_failure
    "55P03": DatabaseBusy,  # lock_not_available
}
_FAULT_TEXTS: dict[str, Callable[[], Unavailable]] = {
    READ_ONLY_TEXT: ReadOnlyDatabase,
    FULL_TEXT: DatabaseFull,
    BUSY_TEXT: DatabaseBusy,
}


def database_fault(
    orig: BaseException, *, disconnected: bool = False, committing: bool = False
) -> Unavailable:
    """The domain error a database failure means, never with the driver's text in it.

    `orig` is the driver's exception; `disconnected` says the connection is gone (the
    caller's driver layer knows); `committing` says the COMMIT was in flight, when a lost
    connection leaves the outcome unknown."""
    kind = _fault_kind(orig)
    if disconnected or kind is ConnectionLost or isinstance(orig, ConnectionError):
        return ConnectionLost(saved=None if committing else False)
    if kind is not None:
        return kind()
    lowered = first_line(orig).lower()
    for needle, meaning in _KNOWN_FAULTS:  # a fault named, with nothing to do but say it
        if needle in lowered:
            return Unavailable(f"{meaning[:1].upper()}{meaning[1:]}")
    return Unavailable(FAILED_TEXT)


def _fault_kind(orig: BaseException) -> Callable[[], Unavailable] | None:
    for exc in (orig, orig.__cause__):
        for attr in ("sqlite_errorname", "sqlstate"):
            code = str(getattr(exc, attr, None) or "")
            if not code:
                continue
            # "SQLITE_READONLY_DBMOVED" is a SQLITE_READONLY; "08006" is in class "08".
            for known, kind in _FAULT_CODES.items():
                if code == known or code.startswith(f"{known}_") or code[:2] == known:
                    return kind
    lowered = first_line(orig).lower()
    for needle, meaning in _KNOWN_FAULTS:
        if needle in lowered and meaning in _FAULT_TEXTS:
            return _FAULT_TEXTS[meaning]
    return None


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
