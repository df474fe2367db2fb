"""Adding a client at the desk, the likely duplicates shown before saving, and merging
two records of one person. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from frontdesk.db.tables import Appointment, Client, LedgerEntry, StoredValueAccount, Ticket
from frontdesk.domain.errors import NotSignedIn, PermissionDenied, ValidationError
from frontdesk.domain.new_client import NewClient
from frontdesk.domain.write_keys import new_key
from frontdesk.services import client_records
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.factories import bank_units, make_appointment
from tests.services.test_permissions import massages
from tests.services.world import World, assert_ledger_consistent, build_world

D = Decimal
TODAY = dt.date(2026, 11, 29)


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


def at_desk(ctx: ServiceContext, w: World) -> Desk:
    return Desk(ctx.as_staff(w.desk))


async def test_add_writes_the_client_with_the_next_number_and_search_finds_them(
    ctx: ServiceContext, world: World
) -> None:
    desk = at_desk(ctx, world)
    hit = await desk.client_records.add(
        first_name=" Nia ",
        last_name="Ó Briain",
        phone="07700 900555",
        email="Nia@Example.com",
        birthday="02/03/1990",
        home_location_id=world.location,
        today=TODAY,
    )
    assert (hit.client_number, hit.name, hit.phone) == ("C000003", "Nia Ó Briain", "07700 900555")
    summary = await desk.clients.summary(hit.id)
    assert summary.birthday == dt.date(1990, 3, 2)
    assert summary.home_location_id == world.location
    assert [h.id for h in await desk.clients.search("nia@example")] == [hit.id]
    assert [h.id for h in await desk.clients.search("07700 900555")] == [hit.id]
    second = await desk.client_records.add(first_name="Bo", last_name="Li", today=TODAY)
    assert second.client_number == "C000004"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"first_name": ""}, "first_name"),
        ({"last_name": "   "}, "last_name"),
        ({"first_name": "Ann\x00"}, "first_name"),
        ({"last_name": "Lee\u202e"}, "last_name"),
        ({"phone": "12"}, "phone"),
        ({"email": "ann@"}, "email"),
        ({"birthday": "31/02/1990"}, "birthday"),
        ({"birthday": "01/01/2030"}, "birthday"),
    ],
)
async def test_add_refuses_a_bad_field_by_name_and_writes_nothing(
    ctx: ServiceContext, world: World, fields: dict[str, str], field: str
) -> None:
    v = {"first_name": "Ann", "last_name": "Lee", "phone": "", "email": "", "birthday": ""}
    v |= fields
    with pytest.raises(ValidationError) as err:
        await at_desk(ctx, world).client_records.add(
            first_name=v["first_name"],
            last_name=v["last_name"],
            phone=v["phone"],
            email=v["email"],
            birthday=v["birthday"],
            today=TODAY,
        )
    assert err.value.field == field
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(Client)) == 2


async def test_nobody_signed_in_adds_nobody(ctx: ServiceContext, world: World) -> None:
    with pytest.raises(NotSignedIn):
        await Desk(ctx).client_records.add(first_name="Ann", last_name="Lee", today=TODAY)


async def test_two_terminals_adding_at_once_get_different_numbers(
    ctx: ServiceContext, world: World
) -> None:
    desks = [Desk(ctx.as_staff(world.desk)) for _ in range(4)]
    hits = await asyncio.gather(
        *(
            d.client_records.add(first_name=f"Walk{i}", last_name="In", today=TODAY)
            for i, d in enumerate(desks)
        )
    )
    assert sorted(h.client_number for h in hits) == ["C000003", "C000004", "C000005", "C000006"]


async def test_a_number_taken_meanwhile_is_tried_again(
    ctx: ServiceContext, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What PostgreSQL does when another terminal commits the same number first: the
    INSERT fails on the unique index and `add` starts over with a fresh number."""
    real = client_records.next_client_number
    calls: list[str] = []

    async def stale_once(session: object) -> str:
        number = "C000001" if not calls else await real(session)  # type: ignore[arg-type]
        calls.append(number)
        return number

    monkeypatch.setattr(client_records, "next_client_number", stale_once)
    hit = await at_desk(ctx, world).client_records.add(
        first_name="Ann", last_name="Lee", today=TODAY
    )
    assert calls == ["C000001", "C000003"]
    assert hit.client_number == "C000003"


async def test_likely_duplicates_by_phone_email_or_name_and_birth_date(
    ctx: ServiceContext, world: World
) -> None:
    desk = at_desk(ctx, world)
    born = await desk.client_records.add(
        first_name="Zoe", last_name="Angstrom", birthday="1991-05-06", today=TODAY
    )

    async def found(new: NewClient) -> list[tuple[int, tuple[str, ...]]]:
        return [(d.hit.id, d.reasons) for d in await desk.client_records.likely_duplicates(new)]

    # World: Amelia Hart, 07700 900001, amelia@example.com (id world.client).
    assert await found(NewClient("X", "Y", phone="+44 7700 900001")) == [
        (world.client, ("same phone",))
    ]
    assert await found(NewClient("X", "Y", email="AMELIA@example.COM")) == [
        (world.client, ("same email",))
    ]
    # Same folded name and date of birth: "Zoë Ångström" finds "Zoe Angstrom".
    assert await found(NewClient("Zoë", "Ångström", birthday=dt.date(1991, 5, 6))) == [
        (born.id, ("same name and date of birth",))
    ]
    assert await found(NewClient("Zoë", "Ångström", birthday=dt.date(1991, 5, 7))) == []
    assert await found(NewClient("Amelia", "Hart")) == []  # a name alone is not enough
    assert await found(NewClient("X", "Y", phone="07700 900009")) == []


async def _balances(ctx: ServiceContext, client_id: int) -> dict[str, int]:
    async with ctx.read() as s:
        rows = await s.execute(
            select(StoredValueAccount.item_key, StoredValueAccount.balance).where(
                StoredValueAccount.client_id == client_id
            )
        )
        return {key: balance for key, balance in rows.all()}


async def _merge_setup(ctx: ServiceContext, w: World) -> tuple[int, int]:
    """Keep Amelia (credit 5.00, 3 Botox); merge Zoë (credit 20.00, Beauty Bank 10.00,
    5 Botox, 4 prepaid massages left of 5, an appointment and a ticket)."""
    desk = at_desk(ctx, w)
    await desk.balances.issue_account_credit(w.client, D("5"), "Goodwill", key=new_key())
    await desk.balances.issue_account_credit(w.other_client, D("20"), "Overpaid", key=new_key())
    await desk.balances.adjust_wallet(w.other_client, D("10"), "Goodwill", key=new_key())
    staffed = ctx.as_staff(w.desk)
    await bank_units(staffed, client_id=w.client, product_id=w.botox, units=3)
    await bank_units(staffed, client_id=w.other_client, product_id=w.botox, units=5)
    sale = massages(w, "zoe-sale").model_copy(update={"client_id": w.other_client})
    await desk.till.complete(sale)
    await make_appointment(
        ctx,
        client_id=w.other_client,
        service_id=w.facial,
        staff_id=w.therapist,
        location_id=w.location,
    )
    return w.client, w.other_client


async def test_merge_moves_each_balance_with_a_pair_of_entries_and_repoints_history(
    ctx: ServiceContext, world: World
) -> None:
    keep, gone = await _merge_setup(ctx, world)
    manager = Desk(ctx.as_staff(world.manager))
    preview = await manager.client_records.merge_preview(keep, gone)
    assert (preview.appointments, preview.tickets) == (1, 1)
    planned = {(m.item, m.amount, m.kept_balance_after) for m in preview.moves}
    assert planned == {
        ("Account", 2000, 2500),
        ("Beauty Bank", 1000, 1000),
        ("Botox", 5, 8),
        ("Deep Tissue Massage", 4, 4),  # the sale used one
    }
    entries_before = await _count(ctx, LedgerEntry)

    result = await manager.client_records.merge(keep, gone, "Same person, booked twice")

    assert {(m.item, m.amount, m.kept_balance_after) for m in result.moves} == planned
    assert await _balances(ctx, keep) == {
        "account": 2500,
        "wallet": 1000,
        f"product:{world.botox}": 8,
        f"service:{world.massage}": 4,
    }
    assert set((await _balances(ctx, gone)).values()) == {0}
    assert await _count(ctx, LedgerEntry) == entries_before + 2 * 4
    async with ctx.read() as s:
        merge_entries = (
            (await s.execute(select(LedgerEntry).where(LedgerEntry.reason == "merge")))
            .scalars()
            .all()
        )
        assert all(e.staff_id == world.manager for e in merge_entries)
        assert all("Same person, booked twice" in e.description for e in merge_entries)
        assert sorted(e.amount for e in merge_entries) == [-2000, -1000, -5, -4, 4, 5, 1000, 2000]
        assert await s.scalar(select(Appointment.client_id)) == keep
        assert set((await s.execute(select(Ticket.client_id))).scalars()) == {keep}
        merged = await s.get(Client, gone)
        assert merged is not None and merged.merged_into_id == keep
    await assert_ledger_consistent(ctx)
    # The merged record is gone from search and from the duplicates.
    assert await manager.clients.search("zoe") == ()
    assert (
        await manager.client_records.likely_duplicates(NewClient("X", "Y", phone="07700900002"))
        == ()
    )
    # Its profile still opens: the ledger shows where everything went.
    kept = await manager.clients.summary(keep)
    assert kept.account_balance == D("25.00") and kept.wallet_balance == D("10.00")


async def test_merge_is_refused_for_the_front_desk_and_writes_nothing(
    ctx: ServiceContext, world: World
) -> None:
    keep, gone = await _merge_setup(ctx, world)
    before = (await _count(ctx, LedgerEntry), await _balances(ctx, gone))
    with pytest.raises(PermissionDenied) as refused:
        await at_desk(ctx, world).client_records.merge(keep, gone, "Same person")
    assert refused.value.permission == "merge clients"
    assert (await _count(ctx, LedgerEntry), await _balances(ctx, gone)) == before
    async with ctx.read() as s:
        merged = await s.get(Client, gone)
        assert merged is not None and merged.merged_into_id is None


async def test_a_merged_record_cannot_be_merged_again_or_into_itself(
    ctx: ServiceContext, world: World
) -> None:
    owner = Desk(ctx.as_staff(world.owner))
    third = await owner.client_records.add(first_name="Cy", last_name="Three", today=TODAY)
    await owner.client_records.merge(world.client, world.other_client, "Same person")
    entries = await _count(ctx, LedgerEntry)
    for keep, gone in (
        (third.id, world.other_client),
        (world.other_client, third.id),
        (third.id, third.id),
    ):
        with pytest.raises(ValidationError) as err:
            await owner.client_records.merge(keep, gone, "Again")
        assert err.value.field == "merge"
    with pytest.raises(ValidationError) as err:
        await owner.client_records.merge(third.id, world.client, "  ")
    assert err.value.field == "reason"
    assert await _count(ctx, LedgerEntry) == entries


async def _count(ctx: ServiceContext, table: type) -> int:
    async with ctx.read() as s:
        return int(await s.scalar(select(func.count()).select_from(table)) or 0)
