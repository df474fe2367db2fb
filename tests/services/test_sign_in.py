"""Sign-in (issue 13, item 1): PINs, the pepper, the lockout shared by every terminal,
the first owner, and who may manage staff. Both engines."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import update

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Staff as StaffRow
from frontdesk.domain.errors import Conflict, PermissionDenied, ValidationError
from frontdesk.domain.permissions import ROLE_PERMISSIONS, Perm, Role
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.pins import NoPepper
from frontdesk.services.sign_in import LOCKED_FOR, SignInRefused

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
async def operator(db_url: str) -> AsyncIterator[Desk]:
    """The `frontdesk staff` command: may manage staff with nobody signed in."""
    desk = Desk(ServiceContext.create(create_engine(db_url), terminal="cli", operator=True))
    try:
        yield desk
    finally:
        await desk.close()


async def test_a_new_database_asks_for_its_first_owner_once(desk: Desk) -> None:
    assert await desk.team.needs_first_owner()
    owner = await desk.team.add_first_owner("Olivia Bennett", "4321")
    assert owner.role == Role.OWNER.value
    assert owner.permissions == ROLE_PERMISSIONS[Role.OWNER]
    assert not await desk.team.needs_first_owner()
    with pytest.raises(Conflict):
        await desk.team.add_first_owner("Someone Else", "1111")
    signed = await desk.sign_in.sign_in(str(owner.id), "4321")
    assert signed.id == owner.id


async def test_sign_in_by_number_or_whole_name_in_any_case(operator: Desk, desk: Desk) -> None:
    member = await operator.team.add("Hannah Cole", "front_desk", "2468")
    assert (await desk.sign_in.sign_in(str(member.number), "2468")).name == "Hannah Cole"
    by_name = await desk.sign_in.sign_in("  hannah COLE ", "2468")
    assert by_name.id == member.number
    assert by_name.permissions == ROLE_PERMISSIONS[Role.FRONT_DESK]


async def test_a_refusal_never_says_which_part_was_wrong(operator: Desk, desk: Desk) -> None:
    member = await operator.team.add("Hannah Cole", "front_desk", "2468")
    messages = set()
    for who, pin in [(str(member.number), "0000"), ("999", "2468"), ("Nobody", "2468")]:
        with pytest.raises(SignInRefused) as refused:
            await desk.sign_in.sign_in(who, pin)
        messages.add(str(refused.value))
    assert len(messages) == 1
    assert "PIN" in messages.pop()


async def test_five_wrong_pins_lock_on_every_terminal_until_five_minutes_pass(
    operator: Desk, db_url: str
) -> None:
    member = await operator.team.add("Tom Fletcher", "front_desk", "1357")
    number = str(member.number)
    first = Desk.open(db_url, terminal="desk-1")
    second = Desk.open(db_url, terminal="desk-2")
    try:
        for _ in range(4):
            with pytest.raises(SignInRefused):
                await first.sign_in.sign_in(number, "9999", at=NOW)
        # Four wrong tries do not lock: the right PIN still works, and clears the count.
        assert (await second.sign_in.sign_in(number, "1357", at=NOW)).id == member.number
        for _ in range(5):
            with pytest.raises(SignInRefused):
                await first.sign_in.sign_in(number, "9999", at=NOW)
        # Locked on the other terminal too, even with the right PIN.
        with pytest.raises(SignInRefused):
            await second.sign_in.sign_in(number, "1357", at=NOW + LOCKED_FOR / 2)
        roster = {m.number: m for m in await operator.team.roster()}
        assert roster[member.number].locked_until is not None
        later = NOW + LOCKED_FOR + dt.timedelta(seconds=1)
        assert (await second.sign_in.sign_in(number, "1357", at=later)).id == member.number
    finally:
        await first.close()
        await second.close()


async def test_unlock_and_a_new_pin_clear_the_lock(operator: Desk, desk: Desk) -> None:
    member = await operator.team.add("Tom Fletcher", "front_desk", "1357")
    for _ in range(5):
        with pytest.raises(SignInRefused):
            await desk.sign_in.sign_in(str(member.number), "0000", at=NOW)
    await operator.team.unlock(member.number)
    assert (await desk.sign_in.sign_in(str(member.number), "1357", at=NOW)).id == member.number
    await operator.team.set_pin(member.number, "24680")
    with pytest.raises(SignInRefused):
        await desk.sign_in.sign_in(str(member.number), "1357", at=NOW)
    assert (await desk.sign_in.sign_in(str(member.number), "24680", at=NOW)).id == member.number


async def test_a_pin_hash_made_without_the_pepper_does_not_verify(
    operator: Desk, desk: Desk, ctx: ServiceContext
) -> None:
    member = await operator.team.add("Priya Shah", "manager", "8642")
    async with ctx.transaction() as session:
        await session.execute(
            update(StaffRow)
            .where(StaffRow.id == member.number)
            .values(pin_hash=PasswordHasher().hash("8642"))
        )
    with pytest.raises(SignInRefused):
        await desk.sign_in.sign_in(str(member.number), "8642")


async def test_another_pepper_does_not_verify(
    operator: Desk, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    member = await operator.team.add("Priya Shah", "manager", "8642")
    monkeypatch.setenv("FRONTDESK_PEPPER", "some other pepper")
    with pytest.raises(SignInRefused):
        await desk.sign_in.sign_in(str(member.number), "8642")


async def test_the_hash_is_argon2id_and_holds_no_pin(operator: Desk, ctx: ServiceContext) -> None:
    member = await operator.team.add("Priya Shah", "manager", "8642")
    async with ctx.read() as session:
        row = await session.get(StaffRow, member.number)
        assert row is not None and row.pin_hash is not None
        assert row.pin_hash.startswith("$argon2id$")
        assert "8642" not in row.pin_hash


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", "", "１２３４"])
async def test_a_pin_is_four_to_twelve_plain_digits(operator: Desk, pin: str) -> None:
    with pytest.raises(ValidationError) as bad:
        await operator.team.add("Leo Santos", "therapist", pin)
    assert bad.value.field == "pin"
    assert await operator.team.roster() == ()


async def test_managing_staff_needs_the_permission(operator: Desk, desk: Desk) -> None:
    clerk = await operator.team.add("Hannah Cole", "front_desk", "2468")
    boss = await operator.team.add("James Whitfield", "manager", "1212")
    as_clerk = desk.as_staff(clerk.number)
    calls: tuple[Callable[[], Awaitable[object]], ...] = (
        lambda: as_clerk.team.add("New Person", "therapist", "5555"),
        lambda: as_clerk.team.set_pin(boss.number, "0000"),
        lambda: as_clerk.team.unlock(boss.number),
    )
    for call in calls:
        with pytest.raises(PermissionDenied) as refused:
            await call()
        assert refused.value.permission == Perm.MANAGE_STAFF.value
    assert len(await operator.team.roster()) == 2
    added = await desk.as_staff(boss.number).team.add("New Person", "therapist", "5555")
    assert added.role == "therapist" and added.has_pin


async def test_nobody_signed_in_manages_nobody(operator: Desk, desk: Desk) -> None:
    await operator.team.add("Hannah Cole", "front_desk", "2468")
    with pytest.raises(PermissionDenied):
        await desk.team.add("New Person", "therapist", "5555")


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_postgresql_without_a_pepper_refuses_to_set_a_pin(
    operator: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FRONTDESK_PEPPER")
    with pytest.raises(NoPepper) as refused:
        await operator.team.add("Hannah Cole", "front_desk", "2468")
    assert "FRONTDESK_PEPPER" in str(refused.value)
    assert await operator.team.roster() == ()


async def test_sqlite_makes_its_pepper_beside_the_database_owner_only(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FRONTDESK_PEPPER")
    operator = Desk(ServiceContext.create(create_engine(sqlite_url), terminal="cli", operator=True))
    try:
        member = await operator.team.add("Hannah Cole", "front_desk", "2468")
        database = Path(sqlite_url.split("///", 1)[1])
        pepper = database.with_name(database.name + ".pepper")
        assert stat.S_IMODE(os.stat(pepper).st_mode) == 0o600
        assert len(pepper.read_bytes().strip()) == 64
        assert (await operator.sign_in.sign_in(str(member.number), "2468")).id == member.number
        pepper.unlink()  # a copied database without its pepper: no PIN verifies
        with pytest.raises(NoPepper):
            await operator.sign_in.sign_in(str(member.number), "2468")
    finally:
        await operator.close()


async def test_the_file_named_in_configuration_is_the_pepper(
    operator: Desk, desk: Desk, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("FRONTDESK_PEPPER")
    shared = tmp_path / "shared.pepper"
    shared.write_text("one pepper for all the terminals\n")
    monkeypatch.setenv("FRONTDESK_PEPPER_FILE", str(shared))
    member = await operator.team.add("Hannah Cole", "front_desk", "2468")
    assert (await desk.sign_in.sign_in(str(member.number), "2468")).id == member.number
    shared.write_text("another\n")
    with pytest.raises(SignInRefused):
        await desk.sign_in.sign_in(str(member.number), "2468")
