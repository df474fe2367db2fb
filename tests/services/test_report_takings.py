"""Takings by day (issue 17, item 5: the Reports screen's chart): each day's amount is
that day's report's tenders total, at the whole store and at one place, on both engines."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.domain.errors import PermissionDenied, ValidationError
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.money import amount
from tests.services.day_script import DAY, scripted_day, the_day_before
from tests.services.world import build_world


async def test_each_day_is_its_day_reports_tenders_total(ctx: ServiceContext) -> None:
    w = await build_world(ctx)
    await the_day_before(ctx, w)
    await scripted_day(ctx, w)
    reports = Desk(ctx.as_staff(w.manager)).reports
    first = DAY - dt.timedelta(days=3)
    for location in (None, w.location):
        takings = await reports.takings_by_day(first, DAY + dt.timedelta(days=1), location)
        assert [d.day for d in takings.days] == [first + dt.timedelta(days=n) for n in range(5)]
        for d in takings.days:
            report = await reports.day(d.day, location)
            assert d.amount == report.tenders_total, d.day
        assert takings.days[3].amount == amount("929.00")
        assert takings.days[-1].amount == 0
    elsewhere = await reports.takings_by_day(DAY, DAY, w.location + 1000)
    assert [d.amount for d in elsewhere.days] == [0]


async def test_refused_without_the_permission_and_a_period_the_wrong_way(
    ctx: ServiceContext,
) -> None:
    w = await build_world(ctx)
    with pytest.raises(PermissionDenied, match="reports"):
        await Desk(ctx.as_staff(w.desk)).reports.takings_by_day(DAY, DAY)
    with pytest.raises(ValidationError) as err:
        await Desk(ctx.as_staff(w.manager)).reports.takings_by_day(DAY, DAY - dt.timedelta(1))
    assert err.value.field == "first"
