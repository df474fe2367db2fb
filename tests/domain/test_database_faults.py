"""What a database fault means at the desk (issue 15, item 3): by the driver's code first,
by its words when it has no code, never with the driver's text in the message."""

from __future__ import annotations

import pickle

import pytest

from frontdesk.domain.errors import (
    ConnectionLost,
    DatabaseBusy,
    DatabaseFull,
    ReadOnlyDatabase,
    Unavailable,
    database_fault,
    describe,
)

LOST = "The database connection was lost — nothing was saved; try again"
READ_ONLY = "The database is read-only here — nothing was saved"
FULL = "The database is full — nothing was saved; free disk space"


class DriverError(Exception):
    """Stands in for sqlite3's and asyncpg's exceptions: a message and, maybe, a code."""

    def __init__(self, text: str, *, sqlite: str | None = None, sqlstate: str | None = None):
        super().__init__(text)
        if sqlite is not None:
            self.sqlite_errorname = sqlite
        if sqlstate is not None:
            self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("orig", "kind", "message"),
    [
        (DriverError("attempt to write a readonly database", sqlite="SQLITE_READONLY"),
         ReadOnlyDatabase, READ_ONLY),
        (DriverError("x", sqlite="SQLITE_READONLY_DBMOVED"), ReadOnlyDatabase, READ_ONLY),
        (DriverError("database or disk is full", sqlite="SQLITE_FULL"), DatabaseFull, FULL),
        (DriverError("database is locked", sqlite="SQLITE_BUSY"), DatabaseBusy, None),
        (DriverError("cannot execute INSERT in a read-only transaction", sqlstate="25006"),
         ReadOnlyDatabase, READ_ONLY),
        (DriverError("could not extend file: No space left on device", sqlstate="53100"),
         DatabaseFull, FULL),
        (DriverError("terminating connection due to administrator command", sqlstate="57P01"),
         ConnectionLost, LOST),
        (DriverError("connection failure", sqlstate="08006"), ConnectionLost, LOST),
        (DriverError("deadlock detected", sqlstate="40P01"), DatabaseBusy, None),
        (DriverError("could not serialize access", sqlstate="40001"), DatabaseBusy, None),
        (DriverError("attempt to write a readonly database"), ReadOnlyDatabase, READ_ONLY),
        (DriverError("database or disk is full"), DatabaseFull, FULL),
        (ConnectionResetError("Connection reset by peer"), ConnectionLost, LOST),
        (DriverError("unable to open database file", sqlite="SQLITE_CANTOPEN"), Unavailable,
         "Cannot open the database file (check the path and permissions)"),
        (DriverError("something the table does not know"), Unavailable,
         "The database could not finish this — nothing was saved; try again"),
    ],
)  # fmt: skip
def test_each_fault_is_the_domain_error_it_means(
    orig: BaseException, kind: type[Unavailable], message: str | None
) -> None:
    fault = database_fault(orig)
    assert type(fault) is kind
    assert str(orig) not in str(fault)  # never the driver's words
    if message is not None:
        assert str(fault) == describe(fault) == message


def test_a_driver_error_wrapped_in_another_is_read_by_its_cause() -> None:
    wrapper = RuntimeError("wrapped")
    wrapper.__cause__ = DriverError("x", sqlite="SQLITE_FULL")
    assert type(database_fault(wrapper)) is DatabaseFull


def test_a_lost_connection_says_whether_anything_could_have_been_saved() -> None:
    before_commit = database_fault(DriverError("connection is closed"), disconnected=True)
    assert isinstance(before_commit, ConnectionLost) and before_commit.saved is False
    assert str(before_commit) == LOST
    during_commit = database_fault(
        DriverError("connection is closed"), disconnected=True, committing=True
    )
    assert isinstance(during_commit, ConnectionLost) and during_commit.saved is None
    assert "may have been saved" in str(during_commit)


def test_describe_names_a_raw_driver_fault_without_its_text() -> None:
    assert describe(DriverError("attempt to write a readonly database")) == READ_ONLY
    assert describe(DriverError("database or disk is full")) == FULL


@pytest.mark.parametrize(
    "error", [ConnectionLost(), ConnectionLost(saved=None), ReadOnlyDatabase(), DatabaseFull(),
              DatabaseBusy()]
)  # fmt: skip
def test_fault_errors_survive_pickling(error: Unavailable) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), vars(copy), str(copy)) == (type(error), vars(error), str(error))
