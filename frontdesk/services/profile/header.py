"""The profile header (name, badges, what the client owes) and the next appointments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, select

from frontdesk.db.tables import (
    Appointment,
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
from frontdesk.services.profile.lookups import check_page, is_travel, load_client
from frontdesk.services.profile.notifications import ALL_OFF
from frontdesk.services.schedule import appointment_views
from frontdesk.views import AppointmentView
from frontdesk.views.profile import ProfileHeader

UPCOMING_STATUSES = ("booked", "checked_in")


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
            store = await load_store(session)
            currency = store.currency
            facts = (await session.execute(_facts(client_id, client.home_location_id))).one()
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

    async def upcoming_appointments(
        self, client_id: int, now: dt.datetime, limit: int = 5
    ) -> tuple[AppointmentView, ...]:
        """The next `limit` booked or checked-in appointments from `now` (wall clock)."""
        check_page(0, limit)
        async with self.ctx.read() as session:
            await load_client(session, client_id)
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
