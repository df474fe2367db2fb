"""Liability as of the end of any day and the roll-forward between two days, per kind and
per location (docs/rules.md#the-ledger, L12-L14), from ledger entries alone.

A stored-value account belongs to a client, not to the place it was sold at (a renewal or
an adjustment has no till), so a location's share is that of the clients whose home it is;
clients with no home location are a line of their own. A day is the store's local day
(`frontdesk.domain.rollforward.day_bounds`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Client, LedgerEntry, Location, StoredValueAccount
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.domain.permissions import Perm
from frontdesk.domain.rollforward import AccountSums, Column, RollLine, day_bounds, roll_forward
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.services.staff import operator_acts_as, require
from frontdesk.views.ledger_reports import (
    NO_HOME,
    LiabilityLine,
    LiabilityReport,
    RollForwardLine,
    RollForwardReport,
)


async def account_sums(
    session: AsyncSession, start: dt.datetime, end: dt.datetime, location_id: int | None
) -> list[AccountSums]:
    """Per account and reason, the signed sums before `start`, in [start, end) and before
    `end`: one statement, so PostgreSQL reads opening, moves and closing from one
    snapshot and an entry committed meanwhile cannot fall between them."""
    created = LedgerEntry.created_at
    amount = LedgerEntry.amount

    def total(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, amount), else_=0)), 0)

    stmt = (
        select(
            StoredValueAccount.id,
            StoredValueAccount.kind,
            Client.home_location_id,
            StoredValueAccount.unit_value_minor,
            LedgerEntry.reason,
            total(created < start),
            total(and_(created >= start, created < end)),
            total(created < end),
        )
        .join(StoredValueAccount, StoredValueAccount.id == LedgerEntry.account_id)
        .join(Client, Client.id == StoredValueAccount.client_id)
        .where(created < end)
        .group_by(
            StoredValueAccount.id,
            StoredValueAccount.kind,
            Client.home_location_id,
            StoredValueAccount.unit_value_minor,
            LedgerEntry.reason,
        )
    )
    if location_id is not None:
        stmt = stmt.where(Client.home_location_id == location_id)
    return [
        AccountSums(
            account_id=account,
            kind=StoredValueKind(kind),
            location_id=home,
            unit_value=int(unit_value),
            reason=reason,
            before=int(before),
            during=int(during),
            upto=int(upto),
        )
        for account, kind, home, unit_value, reason, before, during, upto in (
            await session.execute(stmt)
        ).all()
    ]


async def location_names(session: AsyncSession) -> dict[int | None, str]:
    rows = (await session.execute(select(Location.id, Location.name))).all()
    return {None: NO_HOME} | {loc: name for loc, name in rows}


async def _check_location(session: AsyncSession, location_id: int | None) -> None:
    if location_id is not None and await session.get(Location, location_id) is None:
        raise NotFound(f"Location {location_id}")


class LedgerReports(Area):
    """What the business owes its clients in stored value, and how it got there."""

    async def reading_as(self, number: int | None) -> int:
        """For `frontdesk report` (the operator, nobody signed in): the staff member the
        report is read as, who must be active and hold "reports"; `number` None means the
        first active owner."""
        async with self.ctx.read() as session:
            return await operator_acts_as(
                session,
                self.ctx.actor.terminal,
                number,
                Perm.REPORTS,
                "No active owner to read as: give --staff NUMBER",
            )

    async def liability_on(
        self, on: dt.date, *, location_id: int | None = None, tz: dt.tzinfo | None = None
    ) -> LiabilityReport:
        """Per kind and home location, at the end of `on` in the store's local day (`tz`;
        None: this machine's time zone): every account's balance, the liability (L8:
        positive balances only) and what clients owe."""
        _, end = day_bounds(on, on, tz)
        async with self.ctx.read() as session:
            await require(session, self.ctx.actor, Perm.REPORTS)
            await _check_location(session, location_id)
            store = await load_store(session)
            names = await location_names(session)
            lines = roll_forward(await account_sums(session, end, end, location_id))
        cur = store.currency
        return LiabilityReport(
            currency=cur,
            locale=store.locale,
            on=on,
            as_of=end,
            lines=tuple(
                LiabilityLine(
                    kind=ln.kind,
                    location_id=ln.location_id,
                    location_name=names.get(ln.location_id, "?"),
                    balance=from_minor(ln.closing, cur),
                    liability=from_minor(ln.closing_liability, cur),
                    owed=from_minor(ln.closing_owed, cur),
                )
                for ln in lines
            ),
        )

    async def roll_forward(
        self,
        first: dt.date,
        last: dt.date,
        *,
        location_id: int | None = None,
        tz: dt.tzinfo | None = None,
    ) -> RollForwardReport:
        """From the start of `first` to the end of `last` (both inclusive, local days):
        per kind and home location, opening + issued − spent ± adjustments ± reversals ±
        refunds ± merges = closing, to the minor unit (L13)."""
        try:
            start, end = day_bounds(first, last, tz)
        except ValueError:
            raise ValidationError("to", "The period ends before it starts") from None
        async with self.ctx.read() as session:
            await require(session, self.ctx.actor, Perm.REPORTS)
            await _check_location(session, location_id)
            store = await load_store(session)
            names = await location_names(session)
            lines = roll_forward(await account_sums(session, start, end, location_id))
        cur = store.currency
        return RollForwardReport(
            currency=cur,
            locale=store.locale,
            first=first,
            last=last,
            opens_at=start,
            closes_at=end,
            lines=tuple(_line_view(ln, names, cur) for ln in lines),
        )


def _line_view(ln: RollLine, names: dict[int | None, str], cur: str) -> RollForwardLine:
    def m(minor: int) -> Decimal:
        return from_minor(minor, cur)

    return RollForwardLine(
        kind=ln.kind,
        location_id=ln.location_id,
        location_name=names.get(ln.location_id, "?"),
        opening=m(ln.opening),
        issued=m(ln.moves[Column.ISSUED]),
        spent=m(ln.spent),
        adjustments=m(ln.moves[Column.ADJUSTMENTS]),
        reversals=m(ln.moves[Column.REVERSALS]),
        refunds=m(ln.moves[Column.REFUNDS]),
        merges=m(ln.moves[Column.MERGES]),
        closing=m(ln.closing),
        opening_liability=m(ln.opening_liability),
        closing_liability=m(ln.closing_liability),
        opening_owed=m(ln.opening_owed),
        closing_owed=m(ln.closing_owed),
    )
