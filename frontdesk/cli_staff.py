"""`frontdesk staff add|set-pin|list|unlock`: the operator's side of sign-in (issue 13,
item 1; docs/rules.md#permissions, X3).

Whoever can run this against the database may manage staff with nobody signed in: the
first owner of a new database (before its first start), a new PIN for someone who forgot
theirs, a lock lifted early. A PIN is never an argument, where the shell's history and
`ps` would keep it: it is typed twice without echo at a terminal, or read as one line
from standard input so a script can pipe it in (`echo 1234 | frontdesk staff set-pin 3`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.permissions import Role, role_of

if TYPE_CHECKING:
    from frontdesk.services.desk import Desk
    from frontdesk.views.staff import TeamMember

NUMBER_HELP = "their staff number (as `frontdesk staff list` shows it)"


def add_staff_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    staff = sub.add_parser("staff", help="staff who sign in: add, set a PIN, list, unlock")
    actions = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", parents=[common], help="add a staff member, then type their PIN (4-12 digits)"
    )
    add.add_argument("name", help='their name, quoted: "Olivia Bennett"')
    add.add_argument(
        "--role",
        required=True,
        help=f"{', '.join(r.value for r in Role)}, or a job title (a practitioner)",
    )
    set_pin = actions.add_parser(
        "set-pin", parents=[common], help="type a new PIN for a staff member; clears any lock"
    )
    set_pin.add_argument("number", help=NUMBER_HELP)
    actions.add_parser("list", parents=[common], help="every staff member, PIN and lock")
    unlock = actions.add_parser(
        "unlock", parents=[common], help="lift the lock five wrong PINs put on a staff member"
    )
    unlock.add_argument("number", help=NUMBER_HELP)


def run_staff(args: argparse.Namespace, url: str, terminal: str) -> int:
    """Run one `staff` action on the database at `url` (migrated first, so the first
    owner of a new database can be added before its first start)."""
    import asyncio

    actions: dict[str, Callable[[Desk, argparse.Namespace], Awaitable[str]]] = {
        "add": _add,
        "set-pin": _set_pin,
        "list": _list,
        "unlock": _unlock,
    }
    action = actions[args.staff_command]
    check_arguments(args)

    async def go() -> str:
        from frontdesk.db import migrate
        from frontdesk.db.engine import create_engine
        from frontdesk.services.context import ServiceContext
        from frontdesk.services.desk import Desk

        engine = create_engine(url)
        try:
            await migrate.upgrade(engine, on_wait=migrate.say_waiting)
            return await action(
                Desk(ServiceContext.create(engine, terminal=terminal, operator=True)), args
            )
        finally:
            await engine.dispose()

    from frontdesk.domain.normalize import printable

    # A name another tool stored with an escape sequence must not retitle the terminal.
    print(printable(asyncio.run(go()), keep="\n"))
    return 0


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse a bad name, role or number before the database is opened (or made)."""
    if args.staff_command == "add":
        _name_and_role(args)
    elif args.staff_command in ("set-pin", "unlock"):
        staff_number(args.number)


def _name_and_role(args: argparse.Namespace) -> tuple[str, str]:
    from frontdesk.domain.fields import clean_name
    from frontdesk.services.team import clean_role

    return clean_name(args.name, "name", "name"), clean_role(args.role)


async def _add(desk: Desk, args: argparse.Namespace) -> str:
    name, role = _name_and_role(args)
    _pepper_first(desk)
    member = await desk.team.add(name, role, read_pin(f"PIN for {name}"))
    line = f"added {member.name} as staff number {member.number}"
    access = role_of(member.role)
    if access.value != member.role:  # a job title (or a typo): say what it may do
        line += f"; a {_label(member.role)} signs in with the {access.label} role"
    return line


async def _set_pin(desk: Desk, args: argparse.Namespace) -> str:
    number = staff_number(args.number)
    member = await _member(desk, number)
    _pepper_first(desk)
    member = await desk.team.set_pin(number, read_pin(f"New PIN for {member.name}"))
    return f"new PIN set for {member.name} (staff number {member.number})"


async def _unlock(desk: Desk, args: argparse.Namespace) -> str:
    member = await desk.team.unlock(staff_number(args.number))
    return f"unlocked {member.name} (staff number {member.number})"


async def _list(desk: Desk, args: argparse.Namespace) -> str:
    members = await desk.team.roster(everyone=True)
    if not members:
        return 'no staff yet: add the first owner with `frontdesk staff add "NAME" --role owner`'
    return staff_table(members, now=dt.datetime.now(dt.UTC))


def staff_table(members: Sequence[TeamMember], *, now: dt.datetime) -> str:
    """Number, name, role, PIN and a lock still running (local time), one line each."""
    header = ("number", "name", "role", "PIN", "locked until")
    rows = [header] + [
        (
            str(m.number),
            m.name if m.active else f"{m.name} (inactive)",
            _role(m.role),
            "set" if m.has_pin else "not set",
            _locked(m.locked_until, now),
        )
        for m in members
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            [row[0].rjust(widths[0])]
            + [cell.ljust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
        ).rstrip()
        for row in rows
    ]
    return "\n".join(lines)


def _label(stored: str) -> str:
    return stored.replace("_", " ")


def _role(stored: str) -> str:
    """The stored role as read; a job title says which role it signs in with."""
    access = role_of(stored)
    return _label(stored) if access.value == stored else f"{_label(stored)} ({access.label})"


def _locked(until: dt.datetime | None, now: dt.datetime) -> str:
    if until is None:
        return ""
    until = until if until.tzinfo else until.replace(tzinfo=dt.UTC)  # SQLite keeps UTC
    return until.astimezone().strftime("%Y-%m-%d %H:%M") if until > now else ""


def staff_number(text: str) -> int:
    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit() and 0 < len(cleaned) <= 9):
        raise ValidationError(
            "number", "A staff number is digits, as `frontdesk staff list` shows them"
        )
    return int(cleaned)


async def _member(desk: Desk, number: int) -> TeamMember:
    """The member to change, found before anyone types a PIN for them."""
    from frontdesk.domain.errors import NotFound

    for member in await desk.team.roster(everyone=True):
        if member.number == number:
            return member
    raise NotFound(f"staff member {number}")


def _pepper_first(desk: Desk) -> None:
    """Refuse before a PIN is typed, not after, when there is no pepper to hash it with."""
    from frontdesk.services.pins import NoPepper, pepper_for

    if pepper_for(desk.ctx.engine.url, create=True) is None:
        raise NoPepper()


def read_pin(prompt: str) -> str:
    """A PIN from a person (twice, not echoed) or one line from a pipe; checked for its
    form here so nobody types a bad one twice."""
    from frontdesk.services.pins import clean_pin

    stdin = sys.stdin
    if stdin is not None and stdin.isatty():
        try:
            first = clean_pin(getpass.getpass(f"{prompt}: "))
            again = getpass.getpass("Type it again: ")
        except EOFError:  # ctrl+d at the prompt
            raise ValidationError("pin", "No PIN typed; nothing was changed") from None
        if again.strip() != first:
            raise ValidationError("pin", "The two PINs differ; nothing was changed")
        return first
    line = stdin.readline() if stdin is not None else ""
    if not line:
        raise ValidationError(
            "pin", "No PIN on standard input: pipe one in, or run this at a terminal"
        )
    return clean_pin(line)
