"""Client profile services (seed 001), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import pickle
import time
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from frontdesk.db import ledger
from frontdesk.db.tables import (
    Appointment,
    Client,
    ClientDocument,
    ContactLog,
    LedgerEntry,
    Location,
    Membership,
    Prize,
    RewardEntry,
    Staff,
    StoredValueAccount,
)
from frontdesk.domain.errors import (
    InsufficientBalance,
    NotFound,
    PermissionDenied,
    TravelMemberReadOnly,
    ValidationError,
)
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.normalize import digits
from frontdesk.domain.write_keys import new_key
from frontdesk.services import profile
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.profile import NotificationPrefs
from frontdesk.views.till import CheckoutInput, TenderInput
from tests.services.factories import make_appointment, make_client, make_location
from tests.services.world import World, build_world

D = Decimal
TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 12, 0)


@pytest.fixture
async def w(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def _client_row(ctx: ServiceContext, client_id: int) -> Client:
    async with ctx.read() as s:
        row = await s.get(Client, client_id)
        assert row is not None
        return row


def _details(**over: str) -> dict[str, str]:
    base = {
        "first_name": "Amelia",
        "last_name": "Hart",
        "phone": "07700 900001",
        "email": "amelia@example.com",
        "birthday": "",
        "notes": "",
    }
    return base | over


# --- header and overview -----------------------------------------------------------------


def opted_in(prefs: NotificationPrefs, channel: str, category: str) -> bool:
    """One of the six settings; a category never set counts as opted in."""
    return next(
        s.opted_in for s in prefs.settings if (s.channel, s.category) == (channel, category)
    )


async def test_header_badges_membership_owes_and_travel(ctx: ServiceContext, w: World) -> None:
    ctx = ctx.as_staff(w.desk)
    h = await Desk(ctx).profile.header(w.client, w.location)
    assert (h.name, h.client_number, h.membership_plan) == ("Amelia Hart", "C000001", None)
    assert (h.home_location_name, h.travel_member, h.opted_out, h.owes) == (
        "Main",
        False,
        False,
        D("0.00"),
    )
    async with ctx.transaction() as s:
        s.add(Membership(client_id=w.client, plan_id=w.plan_auto, started_on=TODAY))
    await Desk(ctx).balances.charge_account(
        w.client, D("35.50"), "Balance owed: facial", key=new_key()
    )
    away = await make_location(ctx, name="Away")
    for ch in ("email", "sms"):
        for cat in ("schedule", "account", "news"):
            await Desk(ctx).profile.set_notification(w.client, ch, cat, False)
    h = await Desk(ctx).profile.header(w.client, away.id)
    assert h.membership_plan == "Glow Auto"
    assert h.owes == D("35.50")
    assert h.travel_member and h.read_only and h.opted_out
    with pytest.raises(NotFound):
        await Desk(ctx).profile.header(999_999, None)


async def test_upcoming_appointments_next_few_in_order(ctx: ServiceContext, w: World) -> None:
    starts = [NOW + dt.timedelta(days=d) for d in (3, 1, 2, -1, 5)]
    for i, start in enumerate(starts):
        await make_appointment(
            ctx,
            client_id=w.client,
            service_id=w.facial,
            staff_id=w.therapist,
            location_id=w.location,
            starts_at=start,
            status="cancelled" if i == 4 else "booked",
        )
    got = await Desk(ctx).profile.upcoming_appointments(w.client, NOW, limit=2)
    assert [a.starts_at for a in got] == [NOW + dt.timedelta(days=1), NOW + dt.timedelta(days=2)]
    assert got[0].service_name == "Signature Facial"
    assert len(await Desk(ctx).profile.upcoming_appointments(w.client, NOW)) == 3
    assert await Desk(ctx).profile.upcoming_appointments(w.other_client, NOW) == ()


# --- profile details ----------------------------------------------------------------------


async def test_update_details_saves_and_keeps_search_columns(ctx: ServiceContext, w: World) -> None:
    summary = await Desk(ctx).profile.update_details(
        w.client,
        current_location_id=w.location,
        today=TODAY,
        **_details(
            first_name=" Zoë ",
            last_name="Ångström",
            phone="+44 (0)7700 900-123",
            email="Zoe.A@Example.com",
            birthday="31/12/1990",
            notes="Prefers mornings.\nAllergic to latex.",
        ),
    )
    assert (summary.first_name, summary.last_name, summary.birthday) == (
        "Zoë",
        "Ångström",
        dt.date(1990, 12, 31),
    )
    row = await _client_row(ctx, w.client)
    assert (row.search_first, row.search_last) == ("zoe", "angstrom")
    assert row.phone_digits == digits("+44 (0)7700 900-123") != ""
    assert row.email_lower == "zoe.a@example.com"
    assert row.notes == "Prefers mornings.\nAllergic to latex."
    summary = await Desk(ctx).profile.update_details(
        w.client,
        current_location_id=None,
        today=TODAY,
        **_details(birthday="1990-02-03", phone="", email=""),
    )
    assert summary.birthday == dt.date(1990, 2, 3)
    row = await _client_row(ctx, w.client)
    assert (row.phone, row.phone_digits, row.email, row.email_lower) == ("", "", "", "")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", ""),
        ("first_name", "   "),
        ("last_name", "x" * 121),
        ("first_name", "Ann\tMarie"),
        ("last_name", "Lee\u200b"),
        ("phone", "123456"),
        ("phone", "1234567890123456"),
        ("phone", "07700 ABC 123"),
        ("email", "not-an-email"),
        ("email", "a@b"),
        ("email", "two@@example.com"),
        ("birthday", "31/02/1990"),
        ("birthday", "1990-13-01"),
        ("birthday", "next tuesday"),
        ("birthday", "2026-11-23"),
        ("birthday", "01/01/2030"),
        ("notes", "bad\x00note"),
    ],
)
async def test_update_details_validation_names_field_and_writes_nothing(
    ctx: ServiceContext, w: World, field: str, value: str
) -> None:
    before = await _client_row(ctx, w.client)
    with pytest.raises(ValidationError) as err:
        await Desk(ctx).profile.update_details(
            w.client,
            current_location_id=w.location,
            today=TODAY,
            **_details(**({"first_name": "Changed"} | {field: value})),
        )
    assert err.value.field == field
    assert str(err.value)
    after = await _client_row(ctx, w.client)
    assert (after.first_name, after.search_first, after.birthday) == (
        before.first_name,
        before.search_first,
        before.birthday,
    )


async def test_travel_member_details_are_read_only_away_from_home(
    ctx: ServiceContext, w: World
) -> None:
    away = await make_location(ctx, name="Shoreditch")
    with pytest.raises(PermissionDenied) as err:
        await Desk(ctx).profile.update_details(
            w.client,
            current_location_id=away.id,
            today=TODAY,
            **_details(first_name="Changed"),
        )
    assert isinstance(err.value, TravelMemberReadOnly)
    assert "travel member" in str(err.value) and "Main" in str(err.value)
    again = pickle.loads(pickle.dumps(err.value))
    assert str(again) == str(err.value)
    assert (await _client_row(ctx, w.client)).first_name == "Amelia"
    # At home it saves.
    saved = await Desk(ctx).profile.update_details(
        w.client, current_location_id=w.location, today=TODAY, **_details(first_name="Amy")
    )
    assert saved.first_name == "Amy"


# --- notifications ------------------------------------------------------------------------


async def test_notifications_default_in_and_all_off_is_opted_out(
    ctx: ServiceContext, w: World
) -> None:
    prefs = await Desk(ctx).profile.notification_prefs(w.client)
    assert len(prefs.settings) == 6 and all(s.opted_in for s in prefs.settings)
    assert not prefs.opted_out
    combos = [(ch, cat) for ch in ("email", "sms") for cat in ("schedule", "account", "news")]
    for n, (ch, cat) in enumerate(combos):
        prefs = await Desk(ctx).profile.set_notification(w.client, ch, cat, False)  # type: ignore[arg-type]
        assert not opted_in(prefs, ch, cat)
        assert prefs.opted_out == (n == len(combos) - 1)
    assert (await Desk(ctx).profile.header(w.client, None)).opted_out
    prefs = await Desk(ctx).profile.set_notification(w.client, "sms", "news", True)
    assert not prefs.opted_out and opted_in(prefs, "sms", "news")
    assert not (await Desk(ctx).profile.header(w.client, None)).opted_out
    with pytest.raises(ValidationError) as err:
        await Desk(ctx).profile.set_notification(w.client, "fax", "news", True)  # type: ignore[arg-type]
    assert err.value.field == "channel"
    with pytest.raises(ValidationError) as err:
        await Desk(ctx).profile.set_notification(w.client, "sms", "promo", True)  # type: ignore[arg-type]
    assert err.value.field == "category"


# --- relationships ------------------------------------------------------------------------


async def test_relationships_link_both_directions_refuse_self_and_duplicates(
    ctx: ServiceContext, w: World
) -> None:
    child = await make_client(ctx, first_name="Lily", last_name="Hart")
    rel = await Desk(ctx).profile.link_client(child.id, w.client, "guardian")
    assert (rel.related_client_id, rel.related_name, rel.label) == (
        w.client,
        "Amelia Hart",
        "Guardian",
    )
    mine = await Desk(ctx).profile.relationships(w.client)
    assert [(r.related_client_id, r.label) for r in mine] == [(child.id, "Dependant")]
    partner = await Desk(ctx).profile.link_client(w.client, w.other_client, "partner")
    assert partner.label == "Partner"
    assert [r.label for r in await Desk(ctx).profile.relationships(w.other_client)] == ["Partner"]

    for a, b, kind, field in [
        (w.client, w.client, "family", "related_client"),
        (w.other_client, w.client, "partner", "related_client"),  # same link, other way
        (child.id, w.client, "guardian", "related_client"),
        (w.client, child.id, "guardian", "related_client"),  # each other's guardian
        (w.client, child.id, "cousin", "kind"),
    ]:
        with pytest.raises(ValidationError) as err:
            await Desk(ctx).profile.link_client(a, b, kind)  # type: ignore[arg-type]
        assert err.value.field == field
    with pytest.raises(NotFound):
        await Desk(ctx).profile.link_client(w.client, 999_999, "family")

    await Desk(ctx).profile.unlink(w.client, partner.id)
    assert [r.label for r in await Desk(ctx).profile.relationships(w.client)] == ["Dependant"]
    with pytest.raises(NotFound):
        await Desk(ctx).profile.unlink(w.other_client, rel.id)  # not one of theirs


# --- activity -----------------------------------------------------------------------------


async def test_activity_merges_kinds_newest_first_and_pages(ctx: ServiceContext, w: World) -> None:
    ctx = ctx.as_staff(w.desk)
    a1 = await make_appointment(
        ctx,
        client_id=w.client,
        service_id=w.facial,
        staff_id=w.therapist,
        location_id=w.location,
        starts_at=NOW + dt.timedelta(days=1),
    )
    await make_appointment(
        ctx,
        client_id=w.client,
        service_id=w.massage,
        staff_id=w.therapist,
        location_id=w.location,
        starts_at=NOW - dt.timedelta(days=2),
        status="no_show",
    )
    await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="act-1",
            client_id=w.client,
            appointment_id=a1.id,
            tenders=(TenderInput(method="card", amount=D("90.00")),),
        ),
    )
    await Desk(ctx).balances.issue_account_credit(w.client, D("10"), "Goodwill", key=new_key())
    await Desk(ctx).balances.adjust_wallet(w.client, D("5"), "Birthday treat", key=new_key())
    await Desk(ctx).balances.pay_balance(
        w.client, D("1"), "cash", key=new_key()
    )  # no ticket: listed as a payment
    await Desk(ctx).balances.issue_account_credit(
        w.other_client, D("99"), "Someone else", key=new_key()
    )

    page = await Desk(ctx).profile.activity(w.client)
    kinds = [i.kind for i in page.items]
    assert page.total == 7 == len(page.items)
    assert sorted(kinds) == sorted(
        ["booking", "booking", "no_show", "purchase", "adjustment", "adjustment", "adjustment"]
    )
    assert any(i.title.startswith("Payment") for i in page.items)
    times = [i.at for i in page.items]
    assert times == sorted(times, reverse=True)
    assert all(t.tzinfo is not None for t in times)
    purchase = next(i for i in page.items if i.kind == "purchase")
    assert purchase.amount == D("90.00") and "Signature Facial" in purchase.detail
    credit = next(i for i in page.items if i.title.startswith("Account credit"))
    assert (credit.amount, credit.detail, credit.is_money) == (D("10.00"), "Goodwill", True)
    wallet = next(i for i in page.items if i.title.startswith("Adjustment"))
    assert "Beauty Bank" in wallet.title and wallet.amount == D("5.00")
    no_show = next(i for i in page.items if i.kind == "no_show")
    assert no_show.title == "No-show" and "Deep Tissue Massage" in no_show.detail

    pages = [await Desk(ctx).profile.activity(w.client, offset=o, limit=4) for o in (0, 4)]
    assert [len(p.items) for p in pages] == [4, 3] and {p.total for p in pages} == {7}
    assert [i for p in pages for i in p.items] == list(page.items)
    with pytest.raises(ValidationError):
        await Desk(ctx).profile.activity(w.client, limit=0)
    empty = await Desk(ctx).profile.activity(w.other_client, offset=10)
    assert empty.total == 1 and empty.items == ()


# --- attendance ---------------------------------------------------------------------------


async def test_attendance_counts_per_location_and_unpaid_visits(
    ctx: ServiceContext, w: World
) -> None:
    ctx = ctx.as_staff(w.desk)
    away = await make_location(ctx, name="Away")

    async def appt(days: int, status: str, location: int | None = None) -> int:
        row = await make_appointment(
            ctx,
            client_id=w.client,
            service_id=w.facial,
            staff_id=w.therapist,
            location_id=location or w.location,
            starts_at=NOW + dt.timedelta(days=days),
            status=status,
        )
        return row.id

    paid = await appt(-10, "booked")
    await Desk(ctx).till.complete(
        CheckoutInput(
            idempotency_key="att-1",
            client_id=w.client,
            appointment_id=paid,
            tenders=(TenderInput(method="card", amount=D("90.00")),),
        ),
    )
    unpaid_old = await appt(-5, "completed")
    unpaid_new = await appt(-1, "checked_in", away.id)
    await appt(-3, "completed", away.id)  # paid below with a prepaid visit
    await appt(-4, "no_show")
    await appt(-6, "no_show")
    await appt(-7, "cancelled")
    await appt(2, "booked")  # future: not a visit
    await appt(3, "checked_in")  # future: not a visit yet

    # Pay the away visit from a prepaid bundle: a redeemed visit counts as paid.
    async with ctx.transaction() as s:
        acc = await ledger.get_or_create_account(
            s, w.client, StoredValueKind.PREPAID_VISITS, service_id=w.facial
        )
        await ledger.post(s, acc.id, 2, reason="sale", description="2 facials", actor=ctx.actor)
        prepaid_appt = (
            await s.execute(
                select(Appointment.id).where(
                    Appointment.location_id == away.id, Appointment.status == "completed"
                )
            )
        ).scalar_one()
        await ledger.post(
            s,
            acc.id,
            -1,
            reason="redeem",
            description="Redeemed",
            actor=ctx.actor,
            appointment_id=prepaid_appt,
        )

    att = await Desk(ctx).profile.attendance(w.client, now=NOW)
    assert att.visits == 4
    assert [(v.location_name, v.visits) for v in att.by_location] == [("Away", 2), ("Main", 2)]
    assert (att.no_shows, att.cancellations) == (2, 1)
    assert att.unpaid_count == 2
    assert [u.appointment_id for u in att.unpaid] == [unpaid_new, unpaid_old]
    assert att.unpaid[0].price == D("90.00") and att.unpaid[0].location_name == "Away"

    empty = await Desk(ctx).profile.attendance(w.other_client, now=NOW)
    assert (empty.visits, empty.by_location, empty.unpaid_count, empty.unpaid) == (0, (), 0, ())


# --- rewards ------------------------------------------------------------------------------


async def _prize(ctx: ServiceContext, name: str, cost: int, active: bool = True) -> int:
    async with ctx.transaction() as s:
        prize = Prize(name=name, points_cost=cost, active=active)
        s.add(prize)
        await s.flush()
        return prize.id


async def test_rewards_earn_redeem_and_insufficient(ctx: ServiceContext, w: World) -> None:
    mask = await _prize(ctx, "LED mask session", 50)
    facial = await _prize(ctx, "Free facial", 200)
    retired = await _prize(ctx, "Old prize", 1, active=False)
    assert [p.name for p in await Desk(ctx).profile.prizes()] == ["LED mask session", "Free facial"]
    assert len(await Desk(ctx).profile.prizes(active_only=False)) == 3

    staffed = ctx.as_staff(w.desk)
    e1 = await Desk(staffed).profile.earn_points(w.client, profile.POINTS_PER_VISIT)
    e2 = await Desk(staffed).profile.earn_points(w.client, 45, "spend", "Spent £45.99")
    assert (e1.balance_after, e1.reason, e1.staff_name) == (10, "visit", "Dee Desk")
    assert (e2.points, e2.balance_after) == (45, 55)
    r = await Desk(staffed).profile.redeem_prize(w.client, mask)
    assert (r.points, r.balance_after, r.reason, r.prize_id) == (-50, 5, "redeem", mask)

    with pytest.raises(InsufficientBalance) as err:
        await Desk(staffed).profile.redeem_prize(w.client, facial)
    assert (err.value.available, err.value.requested) == (5, 200)
    assert "Not enough points" in str(err.value)
    with pytest.raises(ValidationError):
        await Desk(staffed).profile.redeem_prize(w.client, retired)
    with pytest.raises(InsufficientBalance):
        await Desk(staffed).profile.earn_points(w.client, -6, "adjust", "Correction")
    for points, reason in [(0, "visit"), (-5, "visit"), (5, "redeem")]:
        with pytest.raises(ValidationError):
            await Desk(staffed).profile.earn_points(w.client, points, reason)  # type: ignore[arg-type]

    page = await Desk(ctx).profile.rewards(w.client)
    assert page.balance == 5 and page.total == 3
    assert [e.points for e in page.entries] == [-50, 45, 10]
    assert (await Desk(ctx).profile.rewards(w.other_client)).balance == 0


# --- contact history and documents --------------------------------------------------------


async def test_contact_history_logs_and_pages(ctx: ServiceContext, w: World) -> None:
    staffed = ctx.as_staff(w.desk)
    logged = await Desk(staffed).profile.log_contact(
        w.client, "call", "Confirmed Tuesday's booking"
    )
    assert (logged.channel, logged.staff_name) == ("call", "Dee Desk")
    for n in range(4):
        await Desk(staffed).profile.log_contact(w.client, "sms", f"Reminder {n}")
    page = await Desk(ctx).profile.contact_history(w.client, 0, 3)
    assert page.total == 5 and [i.note for i in page.items] == [
        "Reminder 3",
        "Reminder 2",
        "Reminder 1",
    ]
    rest = await Desk(ctx).profile.contact_history(w.client, 3, 3)
    assert [i.note for i in rest.items] == ["Reminder 0", "Confirmed Tuesday's booking"]
    for channel, note, field in [("fax", "x", "channel"), ("email", "  ", "note")]:
        with pytest.raises(ValidationError) as err:
            await Desk(ctx).profile.log_contact(w.client, channel, note)  # type: ignore[arg-type]
        assert err.value.field == field
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(ContactLog)) == 5


async def test_documents_signed_and_unsigned(ctx: ServiceContext, w: World) -> None:
    consent = await Desk(ctx).profile.add_document(w.client, "Botox consent", "consent")
    await Desk(ctx).profile.add_document(w.client, "Medical history form", "form")
    docs = await Desk(ctx).profile.documents(w.client)
    assert {d.title for d in docs} == {"Botox consent", "Medical history form"}
    assert not any(d.signed for d in docs)
    signed = await Desk(ctx).profile.mark_signed(consent.id)
    assert signed.signed and signed.signed_at is not None
    again = await Desk(ctx).profile.mark_signed(consent.id)
    assert again.signed_at == signed.signed_at
    docs = await Desk(ctx).profile.documents(w.client)
    assert [(d.title, d.signed) for d in docs] == [
        ("Medical history form", False),
        ("Botox consent", True),
    ]
    with pytest.raises(NotFound):
        await Desk(ctx).profile.mark_signed(999_999)
    with pytest.raises(ValidationError):
        await Desk(ctx).profile.add_document(w.client, "X", "letter")  # type: ignore[arg-type]
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(ClientDocument)) == 2


# --- transformation log and goals ---------------------------------------------------------


async def test_transformation_log_and_goals_need_the_permission(
    ctx: ServiceContext, w: World
) -> None:
    desk = ctx.as_staff(w.desk)
    calls = [
        Desk(desk).profile.transformation_log(w.client),
        Desk(desk).profile.add_transformation_entry(w.client, TODAY, "Week 1"),
        Desk(desk).profile.edit_transformation_entry(1, entry_date=TODAY, note="x"),
        Desk(desk).profile.goals(w.client),
        Desk(desk).profile.add_goal(w.client, "Lose 5 kg"),
        Desk(desk).profile.update_goal(1, title="x", target_date=None, achieved=True, note=""),
        Desk(ctx).profile.goals(w.client),  # nobody signed in
    ]
    for call in calls:
        with pytest.raises(PermissionDenied) as err:
            await call
        assert err.value.permission == "edit transformation log"
        assert "“edit transformation log”" in str(err.value)

    tia = ctx.as_staff(w.therapist)  # a practitioner holds it by role
    first = await Desk(tia).profile.add_transformation_entry(
        w.client, "01/11/2026", "Baseline photos"
    )
    second = await Desk(tia).profile.add_transformation_entry(
        w.client, TODAY, "Week 3: less redness"
    )
    assert (first.entry_date, first.staff_name) == (dt.date(2026, 11, 1), "Tia Therapist")
    log = await Desk(tia).profile.transformation_log(w.client)
    assert [e.id for e in log] == [second.id, first.id]
    edited = await Desk(tia).profile.edit_transformation_entry(
        first.id, entry_date="2026-11-02", note="Baseline photos (front, side)"
    )
    assert (edited.entry_date, edited.note) == (
        dt.date(2026, 11, 2),
        "Baseline photos (front, side)",
    )
    assert edited.updated_at >= edited.created_at
    with pytest.raises(ValidationError) as verr:
        await Desk(tia).profile.add_transformation_entry(w.client, "", "x")
    assert verr.value.field == "entry_date"
    with pytest.raises(ValidationError) as verr:
        await Desk(tia).profile.add_transformation_entry(w.client, TODAY, "")
    assert verr.value.field == "note"
    with pytest.raises(NotFound):
        await Desk(tia).profile.edit_transformation_entry(999_999, entry_date=TODAY, note="x")

    goal = await Desk(tia).profile.add_goal(w.client, "Clearer skin", target_date="2027-02-01")
    later = await Desk(tia).profile.add_goal(w.client, "Run 5k", note="No date yet")
    assert [g.id for g in await Desk(tia).profile.goals(w.client)] == [goal.id, later.id]
    done = await Desk(tia).profile.update_goal(
        goal.id, title="Clearer skin", target_date=None, achieved=True, note="Done!"
    )
    assert (done.achieved, done.target_date, done.note) == (True, None, "Done!")
    assert [g.id for g in await Desk(tia).profile.goals(w.client)] == [later.id, goal.id]
    with pytest.raises(ValidationError) as verr:
        await Desk(tia).profile.add_goal(w.client, "X", target_date="31/31/2027")
    assert verr.value.field == "target_date"
    with pytest.raises(ValidationError) as verr:
        await Desk(tia).profile.add_goal(w.client, "  ")
    assert verr.value.field == "title"


# --- the desk and big histories ------------------------------------------------------------


async def test_the_desk_exposes_the_profile(desk: Desk, w: World) -> None:
    header = await desk.profile.header(w.client, w.location)
    assert header.name == "Amelia Hart"
    prefs = await desk.profile.set_notification(w.client, "email", "news", False)
    assert not opted_in(prefs, "email", "news")
    assert (await desk.profile.activity(w.client)).total == 0
    assert (await desk.profile.rewards(w.client)).balance == 0
    assert await desk.profile.documents(w.client) == ()


async def test_ten_thousand_entries_page_quickly(ctx: ServiceContext, w: World) -> None:
    n = 10_000
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    async with ctx.transaction() as s:
        await s.execute(
            insert(RewardEntry),
            [
                {
                    "client_id": w.client,
                    "points": 1,
                    "balance_after": i + 1,
                    "reason": "visit",
                    "description": f"Visit {i}",
                    "terminal": "bulk",
                    "created_at": start + dt.timedelta(minutes=i),
                }
                for i in range(n)
            ],
        )
        account = StoredValueAccount(
            client_id=w.client, kind="wallet_money", item_key="wallet", balance=n
        )
        s.add(account)
        await s.flush()
        entries = [
            {
                "account_id": account.id,
                "amount": 1,
                "balance_after": i + 1,
                "reason": "adjust",
                "description": f"Adjust {i}",
                "terminal": "bulk",
                "created_at": start + dt.timedelta(minutes=i, seconds=30),
            }
            for i in range(n)
        ]
        account.last_hash = ledger.chain_rows(entries)
        await s.execute(insert(LedgerEntry), entries)
        for i in range(n // 10):
            s.add(
                ContactLog(
                    client_id=w.client,
                    channel="sms",
                    note=f"SMS {i}",
                    created_at=start + dt.timedelta(hours=i),
                )
            )

    timings: dict[str, float] = {}

    t0 = time.perf_counter()
    rewards_last = await Desk(ctx).profile.rewards(w.client, offset=n - 50, limit=50)
    rewards_first = await Desk(ctx).profile.rewards(w.client)
    timings["rewards"] = time.perf_counter() - t0
    assert rewards_first.total == n and rewards_first.balance == n
    assert rewards_first.entries[0].description == f"Visit {n - 1}"
    assert rewards_last.entries[-1].description == "Visit 0"

    t0 = time.perf_counter()
    history = await Desk(ctx).balances.history(w.client, offset=n - 10, limit=50)
    timings["ledger history"] = time.perf_counter() - t0
    assert history.total == n and history.entries[-1].description == "Adjust 0"

    t0 = time.perf_counter()
    act_first = await Desk(ctx).profile.activity(w.client, limit=50)
    act_last = await Desk(ctx).profile.activity(w.client, offset=n - 5, limit=50)
    timings["activity"] = time.perf_counter() - t0
    assert act_first.total == n
    assert act_first.items[0].detail == f"Adjust {n - 1}"
    assert [i.detail for i in act_last.items][-1] == "Adjust 0"

    t0 = time.perf_counter()
    contacts = await Desk(ctx).profile.contact_history(w.client, 0, 50)
    timings["contact history"] = time.perf_counter() - t0
    assert contacts.total == n // 10 and contacts.items[0].note == f"SMS {n // 10 - 1}"

    engine = ctx.engine.dialect.name
    print()
    for name, seconds in timings.items():
        print(f"{engine:>10} {name:<16} {seconds * 1000:8.1f} ms (two pages of {n:,})")


async def test_location_names_in_header_come_from_the_table(ctx: ServiceContext, w: World) -> None:
    async with ctx.transaction() as s:
        loc = await s.get(Location, w.location)
        assert loc is not None
        loc.name = "Marylebone"
    assert (await Desk(ctx).profile.header(w.client, w.location)).home_location_name == (
        "Marylebone"
    )


async def test_demo_profiles_amelia_has_every_tab_and_one_client_has_none(
    ctx: ServiceContext,
) -> None:
    from frontdesk.demo.seed import seed_demo

    today = dt.date(2026, 3, 11)
    await seed_demo(ctx, today=today)
    async with ctx.read() as s:
        ids = {
            (c.first_name, c.last_name): c.id for c in (await s.execute(select(Client))).scalars()
        }
        # A manager's role holds the transformation-log permission (docs/rules.md, X2).
        manager = await s.scalar(
            select(Staff.id).where(Staff.role == "manager").order_by(Staff.id).limit(1)
        )
        prize_count = await s.scalar(select(func.count()).select_from(Prize))
    assert prize_count == 4
    desk = Desk(ctx.as_staff(manager))
    now = dt.datetime.combine(today, dt.time(12))

    async def tabs(client_id: int) -> dict[str, int]:
        att = await desk.profile.attendance(client_id, now=now)
        prefs = await desk.profile.notification_prefs(client_id)
        return {
            "upcoming": len(await desk.profile.upcoming_appointments(client_id, now)),
            "notifications changed": sum(not p.opted_in for p in prefs.settings),
            "relationships": len(await desk.profile.relationships(client_id)),
            "activity": (await desk.profile.activity(client_id)).total,
            "visits": att.visits,
            "unpaid": att.unpaid_count,
            "account": (await desk.balances.history(client_id)).total,
            "rewards": (await desk.profile.rewards(client_id)).total,
            "contacts": (await desk.profile.contact_history(client_id)).total,
            "documents": len(await desk.profile.documents(client_id)),
            "log": len(await desk.profile.transformation_log(client_id)),
            "goals": len(await desk.profile.goals(client_id)),
        }

    amelia = await tabs(ids[("Amelia", "Hart")])
    assert all(amelia.values()), amelia
    docs = await desk.profile.documents(ids[("Amelia", "Hart")])
    assert {d.signed for d in docs} == {True, False}
    # The client the profile seed leaves empty: the first after the named ones with no
    # appointment, stored value or membership (which one moves when the demo's draws do).
    async with ctx.read() as s:
        taken = select(Appointment.client_id).union(
            select(StoredValueAccount.client_id), select(Membership.client_id)
        )
        after_named = sorted(ids.values())[24]
        empty_id = await s.scalar(
            select(Client.id)
            .where(Client.id > after_named, Client.id.not_in(taken))
            .order_by(Client.id)
            .limit(1)
        )
    assert empty_id is not None
    empty = await tabs(empty_id)
    assert not any(empty.values()), empty
    headers = [await desk.profile.header(cid, None) for cid in list(ids.values())[:300]]
    assert any(h.opted_out for h in headers)
