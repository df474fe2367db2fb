"""Every permission is checked by the service that needs it (docs/rules.md, X1, X2): a role
without it is refused with `PermissionDenied` naming it and nothing is written; a role
with it goes through. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.db.tables import (
    CashDrawerEvent,
    ClientGoal,
    LedgerEntry,
    Location,
    Membership,
    MembershipCycle,
    MembershipPlan,
    Notification,
    Package,
    PackageItem,
    Payment,
    Product,
    PromotionCode,
    Service,
    ServiceAddonDefault,
    Staff,
    StaffPermission,
    StoreSettings,
    Ticket,
    TransformationEntry,
    WriteKey,
)
from frontdesk.domain.catalogue_rules import (
    PackageInput,
    ProductInput,
    ProductUnits,
    PromotionInput,
    ServiceInput,
)
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.commission import CommissionSystem
from frontdesk.domain.errors import PermissionDenied, ValidationError
from frontdesk.domain.permissions import ROLE_PERMISSIONS, Perm, Role, role_of
from frontdesk.domain.plans import PlanInput
from frontdesk.domain.setup import LocationInput, StoreInput
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.outbox import LogFileSender, queue_notification
from frontdesk.services.payment_gateway import FakeGateway
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from tests.money import TEST_MONEY
from tests.services.factories import OUT_OF_REACH
from tests.services.world import World, build_world, day

D = Decimal
# Not checked by anything yet: approving above the threshold belongs to the two-person
# rule (who may approve, asked for at the moment of the write).
NOT_HERE = frozenset({Perm.APPROVE})


@dataclass(frozen=True)
class Salon:
    """The world, plus what the calls act on: an inactive manager, an account credit to
    reverse and a completed ticket (five prepaid massages) to refund."""

    w: World
    retired_manager: int
    credit_entry: int
    ticket: int
    massages: int  # the prepaid account
    outbox_log: Path  # a message is queued for the client
    membership: int  # the other client's Glow Auto, sold on a ticket
    paused: int  # the client's Glow Select, paused
    select_cycle: int  # a paid Select cycle waiting for the client's choice
    promotion: int  # a code to change or withdraw
    annex: int  # a location whose drawer on this terminal was opened and closed today
    studio: int  # a location with no drawer opened yet


@pytest.fixture
async def salon(ctx: ServiceContext, tmp_path: Path) -> Salon:
    w = await build_world(ctx)
    async with ctx.transaction() as s:
        retired = Staff(name="Ret Manager", role="manager", location_id=w.location, active=False)
        s.add(retired)
        await s.flush()
        retired_id = retired.id
    desk = Desk(ctx.as_staff(w.desk))
    credit = await desk.balances.issue_account_credit(w.client, D("20"), "Overpaid", key=new_key())
    sale = await desk.till.complete(massages(w, "sale"))
    (item,) = await desk.prepaid.items(w.client)
    await desk.till.complete(
        CheckoutInput(
            idempotency_key="plan",
            client_id=w.other_client,
            lines=(LineInput(kind=LineKind.MEMBERSHIP_FIRST, plan_id=w.plan_auto),),
            tenders=(TenderInput(method="card", amount=D("79.00")),),
        )
    )
    (member,) = await desk.memberships.list(w.other_client)
    async with ctx.transaction() as s:
        paused = Membership(
            client_id=w.client,  # paused: no member discount on the massages ticket
            plan_id=w.plan_select,
            status="paused",
            started_on=member.started_on,
            next_renewal=member.next_renewal,
        )
        s.add(paused)
        await s.flush()
        paused_id = paused.id
    async with ctx.transaction() as s:
        await queue_notification(s, w.client, "account", "Your wallet just grew!")
        # Due today, for the renewal run.
        s.add(
            Membership(
                client_id=w.other_client,
                plan_id=w.plan_auto,
                status="active",
                started_on=day(-31),
                next_renewal=day(0),
            )
        )
        # A Select cycle paid and waiting (paused since: the run leaves it alone).
        waiting = Membership(
            client_id=w.other_client,
            plan_id=w.plan_select,
            status="paused",
            started_on=day(-31),
            next_renewal=day(31),
        )
        s.add(waiting)
        await s.flush()
        cycle = MembershipCycle(
            membership_id=waiting.id,
            cycle_start=day(0),
            cycle_end=day(31),
            status="paid",
            attempts=1,
            amount_minor=9900,
            decline_reason="",
            benefit="pending",
            offer_service_id=w.facial,
            offer_cash_minor=4000,
            terminal="test",
        )
        s.add(cycle)
        await s.flush()
        cycle_id = cycle.id
    log = tmp_path / "outbox.log"
    async with ctx.transaction() as s:
        code = PromotionCode(
            code="AUTUMN5", description="Autumn", fixed_minor=500, valid_from=dt.date(2026, 9, 1)
        )
        s.add(code)
        await s.flush()
        code_id = code.id
        annex = Location(name="Annex", address="")
        studio = Location(name="Studio", address="")
        s.add_all([annex, studio])
        await s.flush()
        annex_id, studio_id = annex.id, studio.id
    # Today's drawers on this terminal: open at the main location, closed at the annex.
    owner = Desk(ctx.as_staff(w.owner))
    await owner.drawer.open(w.location, D("100"), key=new_key())
    await owner.drawer.open(annex_id, D("0"), key=new_key())
    await owner.drawer.close(annex_id, D("0"), "", key=new_key())
    return Salon(
        w,
        retired_id,
        credit.entry.id,
        sale.ticket_id,
        item.account_id,
        log,
        member.id,
        paused_id,
        cycle_id,
        code_id,
        annex_id,
        studio_id,
    )


def massages(w: World, key: str) -> CheckoutInput:
    return CheckoutInput(
        idempotency_key=key,
        client_id=w.client,
        lines=(LineInput(kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=5),),
        tenders=(TenderInput(method="card", amount=D("400.00")),),
    )


Call = Callable[[Desk, Salon], Awaitable[object]]
PEEL = ServiceInput(name="Glow Peel", duration_minutes=45, price=D("65"))
FILLER = ProductInput(name="Filler", unit_name="syringe", unit_price=D("250"))
SPRING = PromotionInput(
    code="SPRING10", description="Spring", percent=D("10"), valid_from=dt.date(2026, 3, 1)
)


def kit(s: Salon) -> PackageInput:
    return PackageInput(name="Glow Kit", price=D("120"), contents=(ProductUnits(s.w.botox, 10),))


STORE = StoreInput(
    business_name="Glow Clinic",
    currency=TEST_MONEY.currency,
    locale=TEST_MONEY.locale,
    future_product_usage=False,
    commission_system=CommissionSystem.DUAL,
    approval_threshold=D(250),
    idle_lock_minutes=10,
)
SOHO = LocationInput("Soho", "", dt.time(9), dt.time(18))


@dataclass(frozen=True)
class Case:
    permission: Perm
    what: str
    lacking: str  # who is refused: a World attribute, "nobody" or "retired_manager"
    holding: str  # who goes through
    call: Call


def _staff(salon: Salon, who: str) -> int | None:
    if who == "nobody":
        return None
    if who == "retired_manager":
        return salon.retired_manager
    return int(getattr(salon.w, who))


CASES = [
    Case(
        Perm.ADJUST_BALANCES,
        "account-credit",
        "therapist",
        "desk",
        lambda d, s: d.balances.issue_account_credit(
            s.w.client, D("10"), "Goodwill", key=new_key()
        ),
    ),
    Case(
        Perm.ADJUST_BALANCES,
        "account-charge",
        "therapist",
        "desk",
        lambda d, s: d.balances.charge_account(
            s.w.client, D("10"), "Missed appointment", key=new_key()
        ),
    ),
    Case(
        Perm.ADJUST_BALANCES,
        "beauty-bank",
        "therapist",
        "desk",
        lambda d, s: d.balances.adjust_wallet(s.w.client, D("10"), "Goodwill", key=new_key()),
    ),
    Case(
        Perm.ADJUST_BALANCES,
        "prepaid-visits",
        "therapist",
        "desk",
        lambda d, s: d.prepaid.adjust(s.massages, 2, "Counted on paper", key=new_key()),
    ),
    Case(
        Perm.DEDUCT_BELOW_ZERO,
        "beauty-bank-below-zero",
        "desk",
        "manager",
        lambda d, s: d.balances.adjust_wallet(
            s.w.client, D("-10"), "Clear it", allow_negative=True, key=new_key()
        ),
    ),
    Case(
        Perm.REVERSE_ENTRIES,
        "ledger-entry",
        "desk",
        "manager",
        lambda d, s: d.balances.reverse_entry(s.credit_entry, "Wrong client", key=new_key()),
    ),
    Case(
        Perm.REFUND_TICKETS,
        "ticket",
        "desk",
        "manager",
        lambda d, s: d.till.reverse(s.ticket, "Charged the wrong client"),
    ),
    Case(
        Perm.TAKE_PAYMENTS,
        "complete-ticket",
        "nobody",
        "therapist",
        lambda d, s: d.till.complete(massages(s.w, "another")),
    ),
    Case(
        Perm.TAKE_PAYMENTS,
        "pay-balance",
        "retired_manager",
        "desk",
        lambda d, s: d.balances.pay_balance(s.w.client, D("5"), "card", key=new_key()),
    ),
    Case(
        Perm.EDIT_TRANSFORMATION_LOG,
        "log-entry",
        "desk",
        "therapist",
        lambda d, s: d.profile.add_transformation_entry(s.w.client, "2026-11-23", "Week 1"),
    ),
    Case(
        Perm.EDIT_TRANSFORMATION_LOG,
        "goal",
        "desk",
        "therapist",
        lambda d, s: d.profile.add_goal(s.w.client, "Clearer skin"),
    ),
    Case(Perm.REPORTS, "liability", "desk", "manager", lambda d, s: d.balances.liability()),
    # The ledger reports (issue 17): liability at a day's end, roll-forward, commissions.
    Case(
        Perm.REPORTS,
        "liability-on",
        "therapist",
        "manager",
        lambda d, s: d.ledger_reports.liability_on(dt.date.today()),
    ),
    Case(
        Perm.REPORTS,
        "roll-forward",
        "desk",
        "manager",
        lambda d, s: d.ledger_reports.roll_forward(dt.date.today(), dt.date.today()),
    ),
    Case(
        Perm.REPORTS,
        "commissions",
        "desk",
        "owner",
        lambda d, s: d.commission_reports.for_period(dt.date.today(), dt.date.today()),
    ),
    Case(Perm.REPORTS, "day-report", "therapist", "manager", lambda d, s: d.reports.day(day(0))),
    Case(
        Perm.REPORTS,
        "takings-by-day",
        "therapist",
        "manager",
        lambda d, s: d.reports.takings_by_day(day(-29), day(0)),
    ),
    # The outbox is what was said to clients: read and sent by those who read the reports.
    Case(Perm.REPORTS, "outbox-list", "desk", "manager", lambda d, s: d.outbox.list()),
    Case(
        Perm.REPORTS,
        "outbox-send",
        "therapist",
        "manager",
        lambda d, s: d.outbox.send_pending(LogFileSender(s.outbox_log)),
    ),
    Case(
        Perm.TAKE_PAYMENTS,
        "membership-pause",
        "nobody",
        "desk",
        lambda d, s: d.memberships.pause(s.membership),
    ),
    Case(
        Perm.TAKE_PAYMENTS,
        "membership-resume",
        "retired_manager",
        "therapist",
        lambda d, s: d.memberships.resume(s.paused),
    ),
    Case(
        Perm.TAKE_PAYMENTS,
        "membership-change-plan",
        "nobody",
        "desk",
        lambda d, s: d.memberships.change_plan(s.membership, s.w.plan_select),
    ),
    # Cancelling ends what the client pays for: managers and owners.
    Case(
        Perm.CANCEL_MEMBERSHIPS,
        "membership-cancel",
        "desk",
        "manager",
        lambda d, s: d.memberships.cancel(s.membership, "Moving away"),
    ),
    Case(
        Perm.RUN_RENEWALS,
        "renewals-run",
        "desk",
        "manager",
        lambda d, s: d.renewals.run(day(0), FakeGateway()),
    ),
    Case(
        Perm.ADJUST_BALANCES,
        "benefit-choice",
        "therapist",
        "desk",
        lambda d, s: d.renewals.choose(s.select_cycle, "cash", key=new_key(), on=day(1)),
    ),
    Case(
        Perm.MERGE_CLIENTS,
        "client-records",
        "desk",
        "manager",
        # The merged client holds a credit and prepaid visits: the merge moves them.
        lambda d, s: d.client_records.merge(s.w.other_client, s.w.client, "Same person, twice"),
    ),
    Case(
        Perm.SETUP,
        "security-settings",
        "manager",
        "owner",
        lambda d, s: d.catalog.update_security_settings(D("250.00"), 10),
    ),
    Case(
        Perm.SETUP,
        "membership-plan-create",
        "manager",
        "owner",
        lambda d, s: d.plans.create(
            PlanInput(name="Glow Lite", price=D("49"), beauty_bank=True, credit=D("20"))
        ),
    ),
    Case(
        Perm.SETUP,
        "membership-plan-update",
        "manager",
        "owner",
        lambda d, s: d.plans.update(
            s.w.plan_auto, PlanInput(name="Glow", price=D("85"), beauty_bank=True, credit=D("50"))
        ),
    ),
    Case(
        Perm.SETUP,
        "membership-plan-deactivate",
        "desk",
        "owner",
        lambda d, s: d.plans.set_active(s.w.plan_select, False),
    ),
    *(
        Case(Perm.SETUP, what, "manager", "owner", call)
        for what, call in (
            ("service-create", lambda d, s: d.catalogue_setup.create_service(PEEL)),
            ("service-update", lambda d, s: d.catalogue_setup.update_service(s.w.facial, PEEL)),
            (
                "service-deactivate",
                lambda d, s: d.catalogue_setup.set_service_active(s.w.facial, False),
            ),
            ("service-prepaid", lambda d, s: d.catalogue_setup.set_prepaid(s.w.massage, False)),
            ("product-create", lambda d, s: d.catalogue_setup.create_product(FILLER)),
            ("product-update", lambda d, s: d.catalogue_setup.update_product(s.w.serum, FILLER)),
            (
                "product-deactivate",
                lambda d, s: d.catalogue_setup.set_product_active(s.w.serum, False),
            ),
            ("package-create", lambda d, s: d.package_setup.create(kit(s))),
            ("package-update", lambda d, s: d.package_setup.update(s.w.package, kit(s))),
            ("package-deactivate", lambda d, s: d.package_setup.set_active(s.w.package, False)),
            ("promotion-create", lambda d, s: d.promotion_setup.create(SPRING)),
            ("promotion-update", lambda d, s: d.promotion_setup.update(s.promotion, SPRING)),
            (
                "promotion-withdraw",
                lambda d, s: d.promotion_setup.set_active(s.promotion, False),
            ),
        )
    ),
    Case(
        Perm.SETUP,
        "store-settings",
        "manager",
        "owner",
        lambda d, s: d.store_setup.save_store(STORE, expected_version=None),
    ),
    Case(
        Perm.SETUP,
        "location-add",
        "manager",
        "owner",
        lambda d, s: d.store_setup.add_location(SOHO),
    ),
    Case(
        Perm.SETUP,
        "location-update",
        "manager",
        "owner",
        lambda d, s: d.store_setup.update_location(
            s.w.location,
            LocationInput("Main", "1 High St", dt.time(8), dt.time(20)),
            expected_version=None,
        ),
    ),
    # A manager manages staff, but only "setup" makes or retires an owner.
    Case(
        Perm.SETUP,
        "staff-make-owner",
        "manager",
        "owner",
        lambda d, s: d.team.set_role(s.w.desk, "owner"),
    ),
    Case(
        Perm.SETUP,
        "staff-grants",
        "manager",
        "owner",
        lambda d, s: d.team.set_grants(s.w.desk, frozenset({Perm.REVERSE_ENTRIES})),
    ),
    # The cash drawer (docs/rules.md#cash-drawer): whoever takes payments runs it; a
    # closed day is reopened by a manager.
    Case(
        Perm.TAKE_PAYMENTS,
        "drawer-open",
        "nobody",
        "desk",
        lambda d, s: d.drawer.open(s.studio, D("50"), key=new_key()),
    ),
    Case(
        Perm.TAKE_PAYMENTS,
        "drawer-cash-in",
        "retired_manager",
        "therapist",
        lambda d, s: d.drawer.cash_in(s.w.location, D("20"), "Change", key=new_key()),
    ),
    Case(
        Perm.TAKE_PAYMENTS,
        "drawer-paid-out",
        "nobody",
        "desk",
        lambda d, s: d.drawer.paid_out(s.w.location, D("5"), "Milk", key=new_key()),
    ),
    Case(
        Perm.TAKE_PAYMENTS,
        "drawer-close",
        "nobody",
        "desk",
        lambda d, s: d.drawer.close(s.w.location, D("100"), "", key=new_key()),
    ),
    Case(
        Perm.REOPEN_DRAWER,
        "drawer-reopen",
        "desk",
        "manager",
        lambda d, s: d.drawer.reopen(s.annex, "Late client", key=new_key()),
    ),
    Case(
        Perm.MANAGE_STAFF,
        "staff-add",
        "desk",
        "manager",
        lambda d, s: d.team.add("Priya Shah", "front_desk"),
    ),
    Case(
        Perm.MANAGE_STAFF,
        "staff-role",
        "therapist",
        "manager",
        lambda d, s: d.team.set_role(s.w.therapist, "front_desk"),
    ),
    Case(
        Perm.MANAGE_STAFF,
        "staff-deactivate",
        "desk",
        "manager",
        lambda d, s: d.team.set_active(s.w.therapist, False),
    ),
    Case(
        Perm.MANAGE_STAFF,
        "staff-pin",
        "desk",
        "manager",
        lambda d, s: d.team.set_pin(s.w.therapist, "8642"),
    ),
    Case(
        Perm.MANAGE_STAFF,
        "staff-unlock",
        "desk",
        "manager",
        lambda d, s: d.team.unlock(s.w.therapist),
    ),
]


async def written(ctx: ServiceContext) -> tuple[object, ...]:
    """Everything the calls above could write."""
    async with ctx.read() as s:
        counts = [
            await s.scalar(select(func.count()).select_from(table))
            for table in (
                LedgerEntry,
                Payment,
                Ticket,
                TransformationEntry,
                ClientGoal,
                CashDrawerEvent,
                # A keyed write claims its key before it reads who acts (issue 19): the
                # refusal rolls the claim back with the rest.
                WriteKey,
            )
        ]
        counts.append(await s.scalar(select(func.count()).where(Notification.sent_at.is_not(None))))
        settings = (
            await s.execute(
                select(StoreSettings.approval_threshold_minor, StoreSettings.idle_lock_seconds)
            )
        ).one()
        plans = (await s.execute(select(MembershipPlan.version).order_by(MembershipPlan.id))).all()
        members = (
            await s.execute(
                select(Membership.status, Membership.plan_id, Membership.version).order_by(
                    Membership.id
                )
            )
        ).all()
        catalogue = [
            tuple(
                sorted((tuple(r) for r in await s.execute(select(*t.__table__.columns))), key=str)
            )
            for t in (Service, Product, ServiceAddonDefault, Package, PackageItem, PromotionCode)
        ]
        # The setup screens' rows: each change bumps its version (a new row is one more).
        setup = [
            tuple((await s.execute(select(table.version).order_by(table.id))).scalars())
            for table in (StoreSettings, Location, Staff)
        ]
    return (*counts, *settings, tuple(plans), tuple(members), *catalogue, *setup)


def test_the_table_covers_every_permission_the_services_check() -> None:
    assert {c.permission for c in CASES} == set(Perm) - NOT_HERE


@pytest.mark.parametrize("case", CASES, ids=[f"{c.permission.name}-{c.what}" for c in CASES])
async def test_a_role_without_the_permission_is_refused_and_nothing_is_written(
    ctx: ServiceContext, salon: Salon, case: Case
) -> None:
    before = await written(ctx)
    with pytest.raises(PermissionDenied) as refused:
        await case.call(Desk(ctx.as_staff(_staff(salon, case.lacking))), salon)
    assert refused.value.permission == case.permission.value
    assert f"“{case.permission.value}”" in str(refused.value)
    assert await written(ctx) == before


@pytest.mark.parametrize("case", CASES, ids=[f"{c.permission.name}-{c.what}" for c in CASES])
async def test_a_role_with_the_permission_goes_through(
    ctx: ServiceContext, salon: Salon, case: Case
) -> None:
    before = await written(ctx)
    await case.call(Desk(ctx.as_staff(_staff(salon, case.holding))), salon)
    if case.permission is not Perm.REPORTS:  # a report only reads
        assert await written(ctx) != before


@pytest.mark.parametrize("case", CASES, ids=[f"{c.permission.name}-{c.what}" for c in CASES])
def test_the_roles_in_the_table_are_what_the_roles_say(case: Case) -> None:
    """The table's choices follow ROLE_PERMISSIONS, so a change there shows up here."""
    roles = {"desk": "front_desk", "therapist": "therapist", "manager": "manager"}
    roles |= {"owner": "owner"}
    if case.lacking in roles:
        assert case.permission not in ROLE_PERMISSIONS[role_of(roles[case.lacking])]
    assert case.permission in ROLE_PERMISSIONS[role_of(roles[case.holding])]


async def test_mine_is_the_role_plus_grants_and_nothing_for_nobody(
    ctx: ServiceContext, salon: Salon
) -> None:
    w = salon.w
    assert await Desk(ctx.as_staff(w.desk)).staff.mine() == ROLE_PERMISSIONS[Role.FRONT_DESK]
    assert (
        await Desk(ctx.as_staff(w.therapist)).staff.mine() == (ROLE_PERMISSIONS[Role.PRACTITIONER])
    )
    assert await Desk(ctx.as_staff(w.owner)).staff.mine() == frozenset(Perm)
    assert await Desk(ctx).staff.mine() == frozenset()
    assert await Desk(ctx.as_staff(salon.retired_manager)).staff.mine() == frozenset()
    async with ctx.transaction() as s:  # the old name still counts
        s.add(StaffPermission(staff_id=w.desk, permission="reverse_entries"))
        s.add(StaffPermission(staff_id=w.desk, permission="no such permission"))
    desk = Desk(ctx.as_staff(w.desk))
    assert await desk.staff.mine() == ROLE_PERMISSIONS[Role.FRONT_DESK] | {Perm.REVERSE_ENTRIES}
    assert await desk.staff.may(Perm.REVERSE_ENTRIES)
    await desk.balances.reverse_entry(salon.credit_entry, "Granted by name", key=new_key())


async def test_security_settings_read_then_change(ctx: ServiceContext, salon: Salon) -> None:
    owner = Desk(ctx.as_staff(salon.w.owner))
    store = await owner.catalog.store()
    # The test world's threshold is out of reach; the store's own default (100.00) is
    # what test_two_person_rule.py and the sign-in screen tests run with.
    assert (store.approval_threshold, store.idle_lock_seconds) == (D(OUT_OF_REACH) / 100, 300)
    changed = await owner.catalog.update_security_settings(D("250.5"), 15)
    assert (changed.approval_threshold, changed.idle_lock_seconds) == (D("250.50"), 900)
    assert await Desk(ctx).catalog.store() == changed  # anyone at the desk reads them
    zero = await owner.catalog.update_security_settings(D("0"), 240)
    assert (zero.approval_threshold, zero.idle_lock_seconds) == (D("0.00"), 14_400)


@pytest.mark.parametrize(
    ("threshold", "minutes", "field"),
    [
        (D("-0.01"), 5, "approval_threshold"),
        (D("1000000.01"), 5, "approval_threshold"),
        (D("10.005"), 5, "approval_threshold"),
        (D("NaN"), 5, "approval_threshold"),
        (D("100"), 0, "idle_lock_minutes"),
        (D("100"), 241, "idle_lock_minutes"),
    ],
)
async def test_security_settings_refuse_what_is_out_of_range(
    ctx: ServiceContext, salon: Salon, threshold: Decimal, minutes: int, field: str
) -> None:
    before = await written(ctx)
    with pytest.raises(ValidationError) as err:
        await Desk(ctx.as_staff(salon.w.owner)).catalog.update_security_settings(threshold, minutes)
    assert err.value.field == field
    assert await written(ctx) == before
