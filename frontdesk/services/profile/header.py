"""The profile header (name, badges, what the client owes) and the next appointments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Appointment,
    Client,
    Location,
    Membership,
    MembershipCycle,
    MembershipPlan,
    NotificationPreference,
    StoredValueAccount,
)
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.domain.renewals import PAST_DUE
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.clients import summary_in
from frontdesk.services.profile.lookups import check_page, is_travel, load_client
from frontdesk.services.profile.notifications import ALL_OFF
from frontdesk.services.schedule import appointment_views
from frontdesk.services.staff import permissions, remember_who, who_columns
from frontdesk.views import AppointmentView
from frontdesk.views.profile import ProfileHeader, ProfileOpening

UPCOMING_STATUSES = ("booked", "checked_in")
UPCOMING_SHOWN = 5  # the Overview's next appointments


def _facts(client_id: int, home_id: int | None) -> Select[Any]:
    """The header's badges and what the client owes, as one statement of subqueries
    (issue 19: the profile opens in few round trips): plan, account balance, a past-due
    renewal, home location's name, channels turned off (`opted_out`'s count)."""
    plan = (
        select(MembershipPlan.name)
        .join(Membership, Membership.plan_id == MembershipPlan.id)
        .where(Membership.client_id == client_id, Membership.status == "active")
        .order_by(Membership.id)
        .limit(1)
    )
    account = select(func.coalesce(func.sum(StoredValueAccount.balance), 0)).where(
        StoredValueAccount.client_id == client_id,
        StoredValueAccount.kind == StoredValueKind.ACCOUNT_MONEY.value,
    )
    # A renewal declined (retrying) or failed (until paid at the desk).
    past_due = (
        select(MembershipCycle.id)
        .join(Membership, Membership.id == MembershipCycle.membership_id)
        .where(
            Membership.client_id == client_id,
            Membership.status != "cancelled",
            MembershipCycle.status.in_([s.value for s in PAST_DUE]),
        )
        .limit(1)
    )
    home = select(Location.name).where(Location.id == home_id)
    off = (
        select(func.count())
        .select_from(NotificationPreference)
        .where(
            NotificationPreference.client_id == client_id,
            NotificationPreference.opted_in.is_(False),
        )
    )
    return select(
        plan.scalar_subquery().label("plan"),
        account.scalar_subquery().label("account"),
        past_due.scalar_subquery().label("past_due"),
        home.scalar_subquery().label("home"),
        off.scalar_subquery().label("off"),
    )


class HeaderCases(Area):
    """The profile's header and its Overview's upcoming appointments."""

    async def header(self, client_id: int, current_location_id: int | None) -> ProfileHeader:
        async with self.ctx.read() as session:
            client = await load_client(session, client_id)
            return await _header_in(session, client, current_location_id)

    async def opening(
        self, client_id: int, current_location_id: int | None, now: dt.datetime
    ) -> ProfileOpening:
        """The header, the balances, the next appointments and what the signed-in person
        may do, in one read transaction: what Enter on a search hit waits for (issue 19:
        one read, not five). The permissions ride on the header's statement of
        subqueries, read fresh each open (a manager's change counts at the next one)."""
        staff_id = self.ctx.actor.staff_id
        async with self.ctx.read() as session:
            client = await load_client(session, client_id)
            header = await _header_in(session, client, current_location_id, staff_id)
            may = await permissions(session, staff_id)  # read with the header: no query
            # The client and the store already read: the summary reads only the balances.
            summary = await summary_in(session, client_id, client=client)
            upcoming = await _upcoming_in(session, client_id, now, UPCOMING_SHOWN)
            return ProfileOpening(header=header, summary=summary, upcoming=upcoming, may=may)

    async def upcoming_appointments(
        self, client_id: int, now: dt.datetime, limit: int = UPCOMING_SHOWN
    ) -> tuple[AppointmentView, ...]:
        """The next `limit` booked or checked-in appointments from `now` (wall clock)."""
        check_page(0, limit)
        async with self.ctx.read() as session:
            await load_client(session, client_id)
            return await _upcoming_in(session, client_id, now, limit)


async def _header_in(
    session: AsyncSession,
    client: Client,
    current_location_id: int | None,
    staff_id: int | None = None,
) -> ProfileHeader:
    """The header; given `staff_id`, who that is comes in the same statement (kept as
    this transaction's `who`, so `permissions` then asks nothing)."""
    store = await load_store(session)
    currency = store.currency
    facts_read = _facts(client.id, client.home_location_id)
    params: dict[str, Any] = {}
    if staff_id is not None:
        facts_read = facts_read.add_columns(*who_columns(session))
        params["staff_id"] = staff_id
    facts = (await session.execute(facts_read, params)).one()
    if staff_id is not None:
        remember_who(session, staff_id, *facts[-3:])
    balance = int(facts.account or 0)
    return ProfileHeader(
        client_id=client.id,
        client_number=client.client_number,
        first_name=client.first_name,
        last_name=client.last_name,
        membership_plan=facts.plan,
        home_location_id=client.home_location_id,
        home_location_name=facts.home,
        travel_member=is_travel(client, current_location_id),
        opted_out=(facts.off or 0) >= ALL_OFF,
        currency=currency,
        locale=store.locale,
        owes=from_minor(max(-balance, 0), currency),
        past_due=facts.past_due is not None,
    )


async def _upcoming_in(
    session: AsyncSession, client_id: int, now: dt.datetime, limit: int
) -> tuple[AppointmentView, ...]:
    ids = list(
        (
            await session.scalars(
                select(Appointment.id)
                .where(
                    Appointment.client_id == client_id,
                    Appointment.starts_at >= now.replace(tzinfo=None),
                    Appointment.status.in_(UPCOMING_STATUSES),
                )
                .order_by(Appointment.starts_at, Appointment.id)
                .limit(limit)
            )
        ).all()
    )
    if not ids:
        return ()
    # The currency only prices what is shown: none to show, no store read.
    currency = (await load_store(session)).currency
    return tuple(await appointment_views(session, [Appointment.id.in_(ids)], currency))
