"""`frontdesk staff add|set-pin|list|unlock` (issue 13, item 1), through `cli.main` on a
SQLite file and on PostgreSQL: PINs read from a pipe or typed twice, never echoed."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from frontdesk import cli
from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Staff as StaffRow
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.sign_in import SignInRefused
from frontdesk.views.staff import SignedIn, TeamMember


class Terminal(io.StringIO):
    """Standard input that is a terminal: the PIN is typed (getpass), not piped."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str | type[EOFError]]]:
    """What the person types at each getpass prompt, in order (EOFError: ctrl+d)."""
    answers: list[str | type[EOFError]] = []

    def getpass(prompt: str = "") -> str:
        answer = answers.pop(0)
        if not isinstance(answer, str):
            raise answer
        return answer

    monkeypatch.setattr("getpass.getpass", getpass)
    monkeypatch.setattr("sys.stdin", Terminal())
    yield answers
    assert not answers, "every typed answer was asked for"


def staff(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    *argv: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    """`frontdesk staff ARGV --database URL` with `stdin` piped in: code, out, err."""
    if not isinstance(sys.stdin, Terminal):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(["staff", *argv, "--database", url])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, out: str, err: str, *needles: str) -> str:
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("frontdesk: error: "), err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def sign_in(url: str, who: str, pin: str) -> SignedIn:
    async def go() -> SignedIn:
        desk = Desk.open(url, terminal="test")
        try:
            return await desk.sign_in.sign_in(who, pin)
        finally:
            await desk.close()

    return asyncio.run(go())


def refused(url: str, who: str, pin: str) -> bool:
    try:
        sign_in(url, who, pin)
    except SignInRefused:
        return True
    return False


def roster(url: str) -> dict[int, TeamMember]:
    async def go() -> dict[int, TeamMember]:
        desk = Desk.open(url, terminal="test")
        try:
            return {m.number: m for m in await desk.team.roster(everyone=True)}
        finally:
            await desk.close()

    return asyncio.run(go())


def deactivate(url: str, number: int) -> None:
    async def go() -> None:
        ctx = ServiceContext.create(create_engine(url), terminal="test")
        try:
            async with ctx.transaction() as session:
                await session.execute(
                    update(StaffRow).where(StaffRow.id == number).values(active=False)
                )
        finally:
            await ctx.dispose()

    asyncio.run(go())


def table(out: str) -> dict[str, list[str]]:
    """`staff list` as {number: [name, role, PIN, locked until]}, by its column starts."""
    lines = out.splitlines()
    header = lines[0]
    starts = [header.index(c) for c in ("name", "role", "PIN", "locked until")]
    rows = {}
    for line in lines[1:]:
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        rows[line[: starts[0]].strip()] = cells
    return rows


def test_the_first_owner_of_a_new_database_before_its_first_start(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FRONTDESK_PEPPER")  # the SQLite default: a pepper file beside it
    database = tmp_path / "new" / "salon.db"
    url = f"sqlite+aiosqlite:///{database}"
    code, out, _ = staff(capsys, monkeypatch, url, "list")
    assert code == 0 and "no staff yet" in out and "--role owner" in out

    code, out, err = staff(
        capsys, monkeypatch, url, "add", "Olivia Bennett", "--role", "owner", stdin="4321\n"
    )
    assert (code, out, err) == (0, "added Olivia Bennett as staff number 1\n", "")
    pepper = database.with_name("salon.db.pepper")
    assert stat.S_IMODE(pepper.stat().st_mode) == 0o600
    owner = sign_in(url, "1", "4321")
    assert (owner.name, owner.role) == ("Olivia Bennett", "owner")


def test_add_list_set_pin_and_unlock(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = staff(
        capsys, monkeypatch, db_url, "add", "Hannah Cole", "--role", "front desk", stdin="2468"
    )
    assert (code, out) == (0, "added Hannah Cole as staff number 1\n")
    code, out, _ = staff(
        capsys, monkeypatch, db_url, "add", "  Chloe Evans ", "--role", "Therapist", stdin="1357\n"
    )
    assert code == 0
    assert (
        out
        == "added Chloe Evans as staff number 2; a therapist signs in with the practitioner role\n"
    )
    assert sign_in(db_url, "1", "2468").role == "front_desk"

    for _ in range(5):  # Chloe forgets her PIN and locks herself out
        assert refused(db_url, "2", "0000")
    assert refused(db_url, "2", "1357")
    deactivate(db_url, 1)
    locked_until = roster(db_url)[2].locked_until
    assert locked_until is not None
    local = locked_until.replace(tzinfo=locked_until.tzinfo or dt.UTC).astimezone()

    code, out, _ = staff(capsys, monkeypatch, db_url, "list")
    assert code == 0
    assert table(out) == {
        "1": ["Hannah Cole (inactive)", "front desk", "set", ""],
        "2": ["Chloe Evans", "therapist (practitioner)", "set", local.strftime("%Y-%m-%d %H:%M")],
    }

    code, out, _ = staff(capsys, monkeypatch, db_url, "unlock", "2")
    assert (code, out) == (0, "unlocked Chloe Evans (staff number 2)\n")
    assert table(staff(capsys, monkeypatch, db_url, "list")[1])["2"][3] == ""
    assert sign_in(db_url, "2", "1357").name == "Chloe Evans"

    for _ in range(5):
        assert refused(db_url, "2", "0000")
    code, out, err = staff(capsys, monkeypatch, db_url, "set-pin", "2", stdin="97531\n")
    assert (code, out, err) == (0, "new PIN set for Chloe Evans (staff number 2)\n", "")
    assert refused(db_url, "2", "1357")
    assert sign_in(db_url, "2", "97531").name == "Chloe Evans"  # and the lock is gone


def test_a_typed_pin_is_asked_twice_and_never_echoed(
    db_url: str,
    typed: list[str | type[EOFError]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    typed += ["864200", "864200"]
    code, out, err = staff(capsys, monkeypatch, db_url, "add", "Priya Shah", "--role", "manager")
    assert (code, out, err) == (0, "added Priya Shah as staff number 1\n", "")
    assert sign_in(db_url, "Priya Shah", "864200").role == "manager"

    typed += ["1111", "1112"]
    code, out, err = staff(capsys, monkeypatch, db_url, "set-pin", "1")
    line = one_line_error(code, out, err, "The two PINs differ; nothing was changed")
    assert "1111" not in line and "1112" not in line
    assert sign_in(db_url, "1", "864200").name == "Priya Shah"

    typed += ["12"]  # refused at once, not after typing it twice
    one_line_error(*staff(capsys, monkeypatch, db_url, "set-pin", "1"), "4 to 12 digits")

    typed += ["2468", EOFError]  # ctrl+d instead of the second PIN
    one_line_error(*staff(capsys, monkeypatch, db_url, "set-pin", "1"), "No PIN typed")
    assert sign_in(db_url, "1", "864200").name == "Priya Shah"


@pytest.mark.parametrize(
    ("argv", "stdin", "needle"),
    [
        (["add", "Leo Santos", "--role", "b0ss!"], "2468", "A role is one of"),
        (["add", "Leo Santos", "--role", ""], "2468", "A role is one of"),
        (["add", "  ", "--role", "owner"], "2468", "Enter a name"),
        (["add", "Leo\x1b[2J", "--role", "owner"], "2468", "Use plain text"),
        (["add", "Leo Santos", "--role", "owner"], "123\n", "A PIN is 4 to 12 digits"),
        (["add", "Leo Santos", "--role", "owner"], "12a4\n", "A PIN is 4 to 12 digits"),
        (["add", "Leo Santos", "--role", "owner"], "١٢٣٤\n", "A PIN is 4 to 12 digits"),
        (["add", "Leo Santos", "--role", "owner"], "", "No PIN on standard input"),
        (["set-pin", "99"], "2468\n", "Staff member 99 not found"),
        (["unlock", "99"], "", "Staff member 99 not found"),
        (["set-pin", "one"], "2468\n", "A staff number is digits"),
        (["unlock", "-1"], "", "A staff number is digits"),
    ],
)
def test_mistakes_are_one_line_and_change_nothing(
    db_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    stdin: str,
    needle: str,
) -> None:
    line = one_line_error(*staff(capsys, monkeypatch, db_url, *argv, stdin=stdin), needle)
    assert "Traceback" not in line
    assert roster(db_url) == {}


def test_a_pin_is_never_an_argument(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SystemExit) as usage:
        staff(capsys, monkeypatch, db_url, "set-pin", "1", "2468")
    assert usage.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgresql_without_a_pepper_says_so_before_a_pin_is_read(
    db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FRONTDESK_PEPPER")
    piped = io.StringIO("2468\n")
    monkeypatch.setattr("sys.stdin", piped)
    code = cli.main(["staff", "add", "Leo Santos", "--role", "owner", "--database", db_url])
    out, err = capsys.readouterr()
    one_line_error(code, out, err, "FRONTDESK_PEPPER", "FRONTDESK_PEPPER_FILE")
    assert piped.tell() == 0
    assert roster(db_url) == {}
