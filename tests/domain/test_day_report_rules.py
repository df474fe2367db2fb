"""The day report's pure rules: the business day, an entry's lines, the takings check."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.business_day import business_day
from frontdesk.domain.day_report import (
    Line,
    Movement,
    TakingsCheck,
    local_hour,
    place_of,
    shares,
)

LONDON = ZoneInfo("Europe/London")


def test_a_business_day_runs_from_local_midnight_to_local_midnight() -> None:
    start, end = business_day(dt.date(2026, 7, 1), LONDON)  # summer time: UTC+1
    assert (start, end) == (
        dt.datetime(2026, 6, 30, 23, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 7, 1, 23, 0, tzinfo=dt.UTC),
    )
    start, end = business_day(dt.date(2026, 3, 29), LONDON)  # clocks go forward
    assert end - start == dt.timedelta(hours=23)
    assert local_hour(dt.datetime(2026, 7, 1, 13, 5, tzinfo=dt.UTC), LONDON) == 14
    assert local_hour(dt.datetime(2026, 7, 1, 13, 5), LONDON) == 14  # naive is UTC


def test_a_row_counts_at_its_own_place_first() -> None:
    assert place_of(1, 2, 3) == 1
    assert place_of(None, 2, 3) == 2
    assert place_of(None, None, 3) == 3
    assert place_of(None, None, None) is None


def test_a_pay_balance_across_zero_is_owed_paid_and_credit_issued() -> None:
    # -£20 owed, £25 paid: £20 of owed gone, £5 credit issued.
    got = shares("account_money", "payment", 2500, 500, 1)
    assert [(s.line, s.amount) for s in got] == [(Line.ACCOUNT_CREDIT, 500), (Line.OWED, -2000)]
    # A charge with £30 credit held: £30 credit used, £10 now owed.
    got = shares("account_money", "charge", -4000, -1000, 1)
    assert [(s.line, s.amount) for s in got] == [(Line.ACCOUNT_CREDIT, -3000), (Line.OWED, 1000)]


def test_visits_and_units_count_at_their_sale_value_and_refunds_are_corrections() -> None:
    (visit,) = shares("prepaid_visits", "sale", 4, 4, 8000)
    assert (visit.line, visit.amount, visit.count, visit.correction) == (
        Line.PREPAID_VISITS,
        32000,
        4,
        False,
    )
    (back,) = shares("wallet_money", "refund", 3500, 5000, 1)
    assert back.correction and back.line is Line.BEAUTY_BANK


@given(st.integers(-(10**9), 10**9), st.integers(-(10**9), 10**9).filter(lambda a: a != 0))
def test_an_account_entry_is_split_without_losing_a_penny(after: int, amount: int) -> None:
    parts = shares("account_money", "adjust", amount, after, 1)
    credit = sum(s.amount for s in parts if s.line is Line.ACCOUNT_CREDIT)
    owed = sum(s.amount for s in parts if s.line is Line.OWED)
    assert credit - owed == amount  # more credit or less owed: the balance went up
    movement = {line: Movement(line) for line in Line}
    for s in parts:
        movement[s.line].add(s)
    assert movement[Line.ACCOUNT_CREDIT].net - movement[Line.OWED].net == amount


def test_the_check_shows_a_difference_when_the_tenders_do_not_add_up() -> None:
    fine = TakingsCheck(10000, 1500, 500, 2000, 1000, 2500, 1000, 6500)
    assert (fine.expected, fine.reconciles) == (6500, True)
    short = TakingsCheck(10000, 1500, 500, 2000, 1000, 2500, 1000, 6400)
    assert (short.reconciles, short.difference) == (False, -100)
