"""The profile header (name, badges, what the client owes) and the next appointments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from frontdesk.db.tables import (
    Appointment,
    Membership,
    MembershipCycle,
    MembershipPlan,
    StoredValueAccount,
)
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.domain.renewals import PAST_DUE
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.profile.lookups import check_page, home_name, is_travel, load_client
from frontdesk.services.profile.notifications import opted_out
from frontdesk.services.schedule import appointment_views
from frontdesk.views import AppointmentView
from frontdesk.views.profile import ProfileHeader

UPCOMING_STATUSES = ("booked", "checked_in")


class HeaderCases(Area):
    """The profile's header and its Overview's upcoming appointments."""

    async def header(self, client_id: int, current_location_id: int | None) -> ProfileHeader:
        async with self.ctx.read() as session:
            client = await load_client(session, client_id)
            store = await load_store(session)
            currency = store.currency
            plan = await session.scalar(
                select(MembershipPlan.name)
                .join(Membership, Membership.plan_id == MembershipPlan.id)
                .where(Membership.client_id == client_id, Membership.status == "active")
                .order_by(Membership.id)
                .limit(1)
            )
            account = await session.scalar(
                select(func.coalesce(func.sum(StoredValueAccount.balance), 0)).where(
                    StoredValueAccount.client_id == client_id,
                    StoredValueAccount.kind == StoredValueKind.ACCOUNT_MONEY.value,
                )
            )
            balance = int(account or 0)
            # A renewal declined (retrying) or failed (until paid at the desk).
            past_due = await session.scalar(
                select(MembershipCycle.id)
                .join(Membership, Membership.id == MembershipCycle.membership_id)
                .where(
                    Membership.client_id == client_id,
                    Membership.status != "cancelled",
                    MembershipCycle.status.in_([s.value for s in PAST_DUE]),
                )
                .limit(1)
            )
            return ProfileHeader(
                client_id=client.id,
                client_number=client.client_number,
                first_name=client.first_name,
                last_name=client.last_name,
                membership_plan=plan,
                home_location_id=client.home_location_id,
                home_location_name=await home_name(session, client),
                travel_member=is_travel(client, current_location_id),
                opted_out=await opted_out(session, client_id),
                currency=currency,
                locale=store.locale,
                owes=from_minor(max(-balance, 0), currency),
                past_due=past_due is not None,
            )

    async def upcoming_appointments(
        self, client_id: int, now: dt.datetime, limit: int = 5
    ) -> tuple[AppointmentView, ...]:
        """The next `limit` booked or checked-in appointments from `now` (wall clock)."""
        check_page(0, limit)
        async with self.ctx.read() as session:
            await load_client(session, client_id)
            currency = (await load_store(session)).currency
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
            return tuple(await appointment_views(session, [Appointment.id.in_(ids)], currency))
