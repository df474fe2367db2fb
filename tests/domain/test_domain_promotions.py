"""Promotion codes: which code the till accepts today, for this client, and what it says."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from frontdesk.domain.checkout import Promotion
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.promotions import PromotionTerms, check_code, fold_code, format_day

D = Decimal
TODAY = dt.date(2026, 11, 23)

TEN_PERCENT = PromotionTerms(
    code="WELCOME10",
    description="Welcome 10% off",
    percent=D("10"),
    fixed=None,
    valid_from=dt.date(2026, 1, 1),
    valid_to=None,
    once_per_client=True,
)
FIVE_OFF = PromotionTerms(
    code="SPRING5",
    description="£5 off",
    percent=None,
    fixed=D("5.00"),
    valid_from=dt.date(2026, 11, 1),
    valid_to=dt.date(2026, 11, 30),
    once_per_client=False,
)


# (case, terms, today, used by this client, locale, Promotion granted or the field message)
CASES: list[tuple[str, PromotionTerms | None, dt.date, bool, str, Promotion | str]] = [
    ("percent", TEN_PERCENT, TODAY, False, "en_GB", Promotion(percent=D("10"))),
    ("fixed", FIVE_OFF, TODAY, False, "en_GB", Promotion(fixed=D("5.00"))),
    ("unknown", None, TODAY, False, "en_GB", "Unknown code"),
    ("withdrawn", replace(TEN_PERCENT, active=False), TODAY, False, "en_GB", "Unknown code"),
    (
        "expired",
        replace(FIVE_OFF, valid_to=dt.date(2026, 10, 31)),
        TODAY,
        False,
        "en_GB",
        "This code expired on 31 Oct 2026",
    ),
    (
        "expired, American store",
        replace(FIVE_OFF, valid_to=dt.date(2026, 10, 31)),
        TODAY,
        False,
        "en_US",
        "This code expired on Oct 31, 2026",
    ),
    (
        "not started",
        replace(FIVE_OFF, valid_from=dt.date(2026, 12, 1), valid_to=None),
        TODAY,
        False,
        "en_GB",
        "This code starts on 1 Dec 2026",
    ),
    ("first day", FIVE_OFF, dt.date(2026, 11, 1), False, "en_GB", Promotion(fixed=D("5.00"))),
    ("last day", FIVE_OFF, dt.date(2026, 11, 30), False, "en_GB", Promotion(fixed=D("5.00"))),
    (
        "day after the last",
        FIVE_OFF,
        dt.date(2026, 12, 1),
        False,
        "en_GB",
        "This code expired on 30 Nov 2026",
    ),
    (
        "day before the first",
        FIVE_OFF,
        dt.date(2026, 10, 31),
        False,
        "en_GB",
        "This code starts on 1 Nov 2026",
    ),
    ("once, used", TEN_PERCENT, TODAY, True, "en_GB", "Already used by this client"),
    ("many, used", FIVE_OFF, TODAY, True, "en_GB", Promotion(fixed=D("5.00"))),
    # Expired says so even to a client who used it: the date is the more useful news.
    (
        "once, used and expired",
        replace(TEN_PERCENT, valid_to=dt.date(2026, 10, 31)),
        TODAY,
        True,
        "en_GB",
        "This code expired on 31 Oct 2026",
    ),
]


@pytest.mark.parametrize(
    ("terms", "today", "used", "locale", "expected"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_check_code(
    terms: PromotionTerms | None,
    today: dt.date,
    used: bool,
    locale: str,
    expected: Promotion | str,
) -> None:
    if isinstance(expected, Promotion):
        assert check_code(terms, today, used_by_client=used, locale=locale) == expected
        return
    with pytest.raises(ValidationError) as err:
        check_code(terms, today, used_by_client=used, locale=locale)
    assert (err.value.field, err.value.message) == ("promotion_code", expected)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("spring10", "SPRING10"),
        ("SPRING10", "SPRING10"),
        ("  Spring10 ", "SPRING10"),
        ("ＳＰＲＩＮＧ１０", "SPRING10"),  # full-width, as some keyboards type it
    ],
)
def test_codes_are_folded(typed: str, stored: str) -> None:
    assert fold_code(typed) == stored


def test_dates_follow_the_locale() -> None:
    day = dt.date(2026, 10, 31)
    assert format_day(day, "en_GB") == "31 Oct 2026"
    assert format_day(day, "de_DE") == "31.10.2026"
