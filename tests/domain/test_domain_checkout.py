"""The checkout order: discounts, stored value and tenders, to the penny."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.domain.checkout import (
    ALREADY_PAID_KINDS,
    NOT_PAYABLE_BY_ACCOUNT_CREDIT_KINDS,
    CheckoutLine,
    CheckoutRequest,
    CheckoutTotals,
    LineKind,
    Promotion,
    Tender,
    TenderMethod,
    quote,
    settle,
)
from frontdesk.domain.errors import InsufficientBalance, ValidationError

D = Decimal


def balanced(totals: CheckoutTotals) -> bool:
    """Payment covers the total exactly: what every settled checkout must show."""
    return totals.paid_plus_stored == totals.total_after_discounts


def line(
    key: str,
    price: str,
    kind: LineKind = LineKind.SERVICE,
    quantity: int = 1,
    *,
    eligible: bool = True,
) -> CheckoutLine:
    return CheckoutLine(
        key=key,
        kind=kind,
        description=f"{kind} {key}",
        unit_price=D(price),
        quantity=quantity,
        discount_eligible=eligible,
    )


GLOVORA = CheckoutRequest(
    lines=(line("facial", "90.00"),),
    membership_discount_percent=D(15),
    use_wallet=True,
    wallet_balance=D("35.00"),
    currency="GBP",
    locale="en_GB",
)


def test_glovora_example_quote() -> None:
    totals = quote(GLOVORA)
    assert totals.subtotal == D("90.00")
    assert totals.membership_discount == D("13.50")
    assert totals.total_after_discounts == D("76.50")
    assert totals.wallet_applied == D("35.00")
    assert totals.due_after_stored_value == D("41.50")


def test_glovora_example_settles_with_card_for_the_rest() -> None:
    totals = settle(replace(GLOVORA, tenders=(Tender("card", D("41.50")),)))
    assert totals.tendered_by("card") == D("41.50")
    assert totals.tendered_by("cash") == D("0.00")
    assert totals.change == D("0.00")
    assert totals.paid_plus_stored == D("76.50")
    assert balanced(totals)


def test_amounts_carry_two_decimals() -> None:
    totals = quote(replace(GLOVORA, lines=(line("a", "90"),)))
    assert str(totals.subtotal) == "90.00"
    assert str(totals.due_after_stored_value) == "41.50"
    assert str(totals.lines[0].net) == "76.50"


@pytest.mark.parametrize(
    ("kind", "eligible", "discount"),
    [
        (LineKind.SERVICE, True, "10.00"),
        (LineKind.PRODUCT, True, "10.00"),
        (LineKind.ADDON_BUY, True, "10.00"),
        (LineKind.PREPAID_SALE, True, "10.00"),
        (LineKind.BANKED_UNITS_PURCHASE, True, "10.00"),
        (LineKind.SERVICE, False, "0.00"),
        (LineKind.PRODUCT, False, "0.00"),
        (LineKind.MEMBERSHIP_FIRST, True, "0.00"),
        (LineKind.MEMBERSHIP_RENEWAL, True, "0.00"),
        (LineKind.ACCOUNT_CREDIT_PURCHASE, True, "0.00"),
    ],
)
def test_membership_discount_applies_only_to_discountable_lines(
    kind: LineKind, eligible: bool, discount: str
) -> None:
    request = CheckoutRequest(
        lines=(line("x", "100.00", kind, eligible=eligible),),
        membership_discount_percent=D(10),
        promotion=Promotion(fixed=D("5.00")),
        currency="GBP",
        locale="en_GB",
    )
    totals = quote(request)
    assert totals.lines[0].membership_discount == D(discount)
    assert totals.lines[0].promotion_discount == (D("5.00") if discount != "0.00" else D(0))


@pytest.mark.parametrize("kind", sorted(ALREADY_PAID_KINDS))
def test_already_paid_lines_are_free_and_undiscounted(kind: LineKind) -> None:
    totals = quote(
        CheckoutRequest(
            lines=(line("u", "0.00", kind, quantity=3), line("s", "50.00")),
            membership_discount_percent=D(20),
            promotion=Promotion(percent=D(10)),
            currency="GBP",
            locale="en_GB",
        )
    )
    used = totals.lines[0]
    assert (used.gross, used.membership_discount, used.promotion_discount, used.net) == (
        D(0),
        D(0),
        D(0),
        D(0),
    )
    assert totals.total_after_discounts == D("36.00")


@pytest.mark.parametrize("kind", sorted(ALREADY_PAID_KINDS))
def test_already_paid_lines_cannot_carry_a_price(kind: LineKind) -> None:
    with pytest.raises(ValidationError) as caught:
        quote(CheckoutRequest(lines=(line("u", "12.00", kind),), currency="GBP", locale="en_GB"))
    assert caught.value.field == "unit_price"


def test_prepaid_sale_line_is_price_times_visits_bought() -> None:
    totals = quote(
        CheckoutRequest(
            lines=(line("p", "20.00", LineKind.PREPAID_SALE, 5),), currency="GBP", locale="en_GB"
        )
    )
    assert totals.subtotal == D("100.00")


def test_membership_discount_rounds_half_up_per_line() -> None:
    # 15% of 0.10 is 0.015 -> 0.02 on each line (0.06), not 15% of 0.30 = 0.045 -> 0.05.
    lines = tuple(line(str(i), "0.10", LineKind.PRODUCT) for i in range(3))
    totals = quote(
        CheckoutRequest(
            lines=lines, membership_discount_percent=D(15), currency="GBP", locale="en_GB"
        )
    )
    assert [t.membership_discount for t in totals.lines] == [D("0.02")] * 3
    assert totals.membership_discount == D("0.06")
    assert totals.total_after_discounts == D("0.24")


def test_promotion_comes_after_membership_discount() -> None:
    totals = quote(
        CheckoutRequest(
            lines=(line("s", "100.00"),),
            membership_discount_percent=D(10),
            promotion=Promotion(percent=D(10)),
            currency="GBP",
            locale="en_GB",
        )
    )
    assert (totals.membership_discount, totals.promotion_discount) == (D("10.00"), D("9.00"))
    assert totals.total_after_discounts == D("81.00")


@pytest.mark.parametrize(
    ("prices", "fixed", "shares"),
    [
        (["50.00", "30.00", "20.00"], "10.00", ["5.00", "3.00", "2.00"]),
        (["10.00", "10.00", "10.00"], "10.00", ["3.34", "3.33", "3.33"]),
        (["10.00", "10.00", "10.00"], "0.01", ["0.01", "0.00", "0.00"]),
        (["10.00", "20.00"], "100.00", ["10.00", "20.00"]),  # capped at what remains
        (["33.33", "66.67"], "1.00", ["0.33", "0.67"]),
    ],
)
def test_fixed_promotion_spreads_by_largest_remainder(
    prices: list[str], fixed: str, shares: list[str]
) -> None:
    lines = tuple(line(str(i), p) for i, p in enumerate(prices))
    totals = quote(
        CheckoutRequest(
            lines=lines, promotion=Promotion(fixed=D(fixed)), currency="GBP", locale="en_GB"
        )
    )
    assert [t.promotion_discount for t in totals.lines] == [D(s) for s in shares]
    assert totals.promotion_discount == sum((D(s) for s in shares), start=D(0))


def test_fixed_promotion_is_capped_at_discountable_lines_only() -> None:
    totals = quote(
        CheckoutRequest(
            lines=(line("s", "20.00"), line("m", "79.00", LineKind.MEMBERSHIP_FIRST)),
            promotion=Promotion(fixed=D("50.00")),
            currency="GBP",
            locale="en_GB",
        )
    )
    assert totals.promotion_discount == D("20.00")
    assert totals.lines[1].net == D("79.00")
    assert totals.total_after_discounts == D("79.00")


def test_percent_promotion_rounds_half_up_per_line() -> None:
    lines = (line("a", "0.10"), line("b", "0.10"))
    totals = quote(
        CheckoutRequest(
            lines=lines, promotion=Promotion(percent=D(15)), currency="GBP", locale="en_GB"
        )
    )
    assert totals.promotion_discount == D("0.04")


@pytest.mark.parametrize(
    ("balance", "use_wallet", "requested", "applied", "due"),
    [
        ("35.00", True, None, "35.00", "41.50"),
        ("35.00", True, "10.00", "10.00", "66.50"),
        ("35.00", True, "0.00", "0.00", "76.50"),
        ("35.00", False, None, "0.00", "76.50"),  # never taken without the patient's say-so
        ("35.00", False, "10.00", "0.00", "76.50"),
        ("100.00", True, None, "76.50", "0.00"),  # covers the whole order; no card
        ("76.50", True, None, "76.50", "0.00"),
        ("0.00", True, None, "0.00", "76.50"),
        ("-20.00", True, None, "0.00", "76.50"),  # a negative balance spends nothing
    ],
)
def test_wallet_step(
    balance: str, use_wallet: bool, requested: str | None, applied: str, due: str
) -> None:
    totals = quote(
        replace(
            GLOVORA,
            use_wallet=use_wallet,
            wallet_balance=D(balance),
            wallet_amount=None if requested is None else D(requested),
        )
    )
    assert totals.wallet_applied == D(applied)
    assert totals.due_after_stored_value == D(due)


def test_wallet_request_is_capped_at_the_total() -> None:
    totals = quote(replace(GLOVORA, wallet_balance=D(500), wallet_amount=D(200)))
    assert totals.wallet_applied == D("76.50")


def test_wallet_request_over_balance_is_insufficient() -> None:
    with pytest.raises(InsufficientBalance) as caught:
        quote(replace(GLOVORA, wallet_amount=D("40.00")))
    assert caught.value.field == "wallet_amount"
    assert str(caught.value) == "Only £35.00 in the Beauty Bank"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"wallet_amount": D("-1.00")}, "wallet_amount"),
        ({"wallet_amount": D("1.001")}, "wallet_amount"),
        ({"membership_discount_percent": D(101)}, "membership_discount_percent"),
        ({"membership_discount_percent": D(-1)}, "membership_discount_percent"),
        ({"lines": (line("a", "1.005"),)}, "unit_price"),
        ({"lines": (line("a", "-1.00"),)}, "unit_price"),
        ({"lines": (line("a", "1.00", quantity=0),)}, "quantity"),
    ],
)
def test_bad_request_values_name_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        quote(replace(GLOVORA, **changes))  # type: ignore[arg-type]
    assert caught.value.field == field


def test_duplicate_line_keys_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unique"):
        quote(
            CheckoutRequest(
                lines=(line("a", "1.00"), line("a", "2.00")), currency="GBP", locale="en_GB"
            )
        )


@pytest.mark.parametrize(
    ("lines", "wallet", "credit_balance", "credit", "due"),
    [
        # Account credit never pays a first membership payment (seed: account balances).
        (
            (("m", "60.00", LineKind.MEMBERSHIP_FIRST), ("s", "40.00", LineKind.SERVICE)),
            "0.00",
            "100.00",
            "40.00",
            "60.00",
        ),
        # The wallet is deemed to pay the membership first, so credit still covers 40.
        (
            (("m", "60.00", LineKind.MEMBERSHIP_FIRST), ("s", "40.00", LineKind.SERVICE)),
            "30.00",
            "100.00",
            "40.00",
            "30.00",
        ),
        (
            (("m", "60.00", LineKind.MEMBERSHIP_FIRST), ("s", "40.00", LineKind.SERVICE)),
            "90.00",
            "100.00",
            "10.00",
            "0.00",
        ),
        # Renewals are not first payments: credit may pay them.
        ((("r", "79.00", LineKind.MEMBERSHIP_RENEWAL),), "0.00", "100.00", "79.00", "0.00"),
        ((("c", "50.00", LineKind.ACCOUNT_CREDIT_PURCHASE),), "0.00", "100.00", "0.00", "50.00"),
        ((("s", "40.00", LineKind.SERVICE),), "0.00", "15.00", "15.00", "25.00"),
        ((("s", "40.00", LineKind.SERVICE),), "0.00", "-15.00", "0.00", "40.00"),
        ((("m", "60.00", LineKind.MEMBERSHIP_FIRST),), "0.00", "100.00", "0.00", "60.00"),
    ],
)
def test_account_credit_step(
    lines: tuple[tuple[str, str, LineKind], ...],
    wallet: str,
    credit_balance: str,
    credit: str,
    due: str,
) -> None:
    totals = quote(
        CheckoutRequest(
            lines=tuple(line(k, p, kind) for k, p, kind in lines),
            use_wallet=True,
            wallet_balance=D(wallet),
            use_account_credit=True,
            account_credit_balance=D(credit_balance),
            currency="GBP",
            locale="en_GB",
        )
    )
    assert totals.wallet_applied == D(wallet)
    assert totals.account_credit_applied == D(credit)
    assert totals.due_after_stored_value == D(due)


def test_account_credit_only_when_chosen() -> None:
    totals = quote(
        CheckoutRequest(
            lines=(line("s", "40.00"),),
            account_credit_balance=D("100.00"),
            currency="GBP",
            locale="en_GB",
        )
    )
    assert totals.account_credit_applied == D(0)
    assert totals.due_after_stored_value == D("40.00")


T = Tender


@pytest.mark.parametrize(
    ("tenders", "card", "cash", "other", "change"),
    [
        ((T("card", D("41.50")),), "41.50", "0", "0", "0.00"),
        ((T("cash", D("41.50")),), "0", "41.50", "0", "0.00"),
        ((T("cash", D("50.00")),), "0", "50.00", "0", "8.50"),
        ((T("card", D("20.00")), T("cash", D("21.50"))), "20.00", "21.50", "0", "0.00"),
        ((T("card", D("20.00")), T("cash", D("30.00"))), "20.00", "30.00", "0", "8.50"),
        ((T("other", D("41.50")),), "0", "0", "41.50", "0.00"),
        ((T("card", D("41.50")), T("cash", D("5.00"))), "41.50", "5.00", "0", "5.00"),
        ((T("card", D("20")), T("card", D("21.5"))), "41.50", "0", "0", "0.00"),
        ((T("other", D("1.50")), T("card", D("40.00"))), "40.00", "0", "1.50", "0.00"),
    ],
)
def test_tenders_cover_the_amount_due(
    tenders: tuple[Tender, ...], card: str, cash: str, other: str, change: str
) -> None:
    totals = settle(replace(GLOVORA, tenders=tenders))
    assert totals.tendered_by("card") == D(card)
    assert totals.tendered_by("cash") == D(cash)
    assert totals.tendered_by("other") == D(other)
    assert totals.change == D(change)
    assert balanced(totals)


@pytest.mark.parametrize(
    ("tenders", "message_part"),
    [
        ((), "£41.50 still to pay"),
        ((T("card", D("41.49")),), "£0.01 still to pay"),
        ((T("card", D("20.00")), T("cash", D("20.00"))), "£1.50 still to pay"),
        ((T("card", D("41.51")),), "only cash can be over"),
        ((T("other", D("50.00")),), "only cash can be over"),
        ((T("card", D("40.00")), T("other", D("2.00"))), "only cash can be over"),
        ((T("cash", D("41.505")),), "more decimal places than GBP"),
    ],
)
def test_tenders_that_do_not_fit_are_refused(
    tenders: tuple[Tender, ...], message_part: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        settle(replace(GLOVORA, tenders=tenders))
    assert caught.value.field == "tenders"
    assert message_part in str(caught.value)


def test_fully_covered_by_stored_value_needs_no_tender() -> None:
    totals = settle(replace(GLOVORA, wallet_balance=D("100.00")))
    assert totals.due_after_stored_value == D(0)
    assert totals.tendered == D(0)
    assert balanced(totals)


@pytest.mark.parametrize(
    ("method", "amount"), [("card", D(0)), ("cash", D("-5.00")), ("cheque", D("5.00"))]
)
def test_bad_tender_is_refused(method: str, amount: Decimal) -> None:
    with pytest.raises(ValidationError) as caught:
        Tender(method, amount)  # type: ignore[arg-type]
    assert caught.value.field == "tenders"


@pytest.mark.parametrize(
    ("percent", "fixed"),
    [(None, None), (D(10), D(5)), (D(0), None), (D("100.01"), None), (None, D(0)), (None, D("-1"))],
)
def test_bad_promotion_is_refused(percent: Decimal | None, fixed: Decimal | None) -> None:
    with pytest.raises(ValidationError) as caught:
        Promotion(percent=percent, fixed=fixed)
    assert caught.value.field == "promotion"


def test_empty_ticket_quotes_zero_but_cannot_settle() -> None:
    totals = quote(CheckoutRequest(lines=(), currency="GBP", locale="en_GB"))
    assert (totals.subtotal, totals.due_after_stored_value) == (D("0.00"), D("0.00"))
    with pytest.raises(ValidationError) as caught:
        settle(CheckoutRequest(lines=(), currency="GBP", locale="en_GB"))
    assert caught.value.field == "lines"


def test_quote_ignores_tenders() -> None:
    totals = quote(replace(GLOVORA, tenders=(T("card", D("999.00")),)))
    assert totals.tendered == D(0)
    assert totals.tenders == ()
    assert totals.due_after_stored_value == D("41.50")


# ---- properties -------------------------------------------------------------------------

_PAYING_KINDS = [k for k in LineKind if k not in ALREADY_PAID_KINDS]


@st.composite
def _lines(draw: st.DrawFn) -> tuple[CheckoutLine, ...]:
    count = draw(st.integers(min_value=1, max_value=6))
    result = []
    for i in range(count):
        kind = draw(st.sampled_from(list(LineKind)))
        minor = 0 if kind in ALREADY_PAID_KINDS else draw(st.integers(0, 200_000))
        result.append(
            CheckoutLine(
                key=f"l{i}",
                kind=kind,
                description=str(kind),
                unit_price=Decimal(minor).scaleb(-2),
                quantity=draw(st.integers(1, 5)),
                discount_eligible=draw(st.booleans()),
            )
        )
    return tuple(result)


_money = st.integers(-50_000, 500_000).map(lambda m: Decimal(m).scaleb(-2))
_percent = st.integers(0, 10_000).map(lambda p: Decimal(p).scaleb(-2))
_promotion = st.one_of(
    st.none(),
    st.integers(1, 10_000).map(lambda p: Promotion(percent=Decimal(p).scaleb(-2))),
    st.integers(1, 300_000).map(lambda m: Promotion(fixed=Decimal(m).scaleb(-2))),
)


@st.composite
def _requests(draw: st.DrawFn) -> CheckoutRequest:
    wallet_balance = draw(_money)
    wallet_amount = draw(
        st.one_of(
            st.none(),
            st.integers(0, max(int(wallet_balance * 100), 0)).map(lambda m: Decimal(m).scaleb(-2)),
        )
    )
    return CheckoutRequest(
        lines=draw(_lines()),
        membership_discount_percent=draw(_percent),
        promotion=draw(_promotion),
        use_wallet=draw(st.booleans()),
        wallet_balance=wallet_balance,
        wallet_amount=wallet_amount,
        use_account_credit=draw(st.booleans()),
        account_credit_balance=draw(_money),
        currency="GBP",
        locale="en_GB",
    )


@st.composite
def _tenders_for(draw: st.DrawFn, due: Decimal) -> tuple[Tender, ...]:
    due_minor = int(due * 100)
    non_cash = draw(st.integers(0, due_minor))
    card = draw(st.integers(0, non_cash))
    cash = due_minor - non_cash + draw(st.integers(0, 10_000))
    parts: list[tuple[TenderMethod, int]] = [
        ("card", card),
        ("other", non_cash - card),
        ("cash", cash),
    ]
    return tuple(Tender(m, Decimal(a).scaleb(-2)) for m, a in parts if a > 0)


@settings(max_examples=300)
@given(data=st.data(), request=_requests())
def test_checkout_always_adds_up(data: st.DataObject, request: CheckoutRequest) -> None:
    quoted = quote(request)
    tenders = data.draw(_tenders_for(quoted.due_after_stored_value))
    totals = settle(replace(request, tenders=tenders))

    zero = D(0)
    # Discounts and nets reconcile with the subtotal, line by line and in total.
    for priced, source in zip(totals.lines, request.lines, strict=True):
        assert priced.gross == source.unit_price * source.quantity
        assert priced.gross - priced.membership_discount - priced.promotion_discount == priced.net
        assert min(priced.membership_discount, priced.promotion_discount, priced.net) >= zero
        if not source.discountable:
            assert priced.membership_discount == priced.promotion_discount == zero
    net_sum = sum((p.net for p in totals.lines), start=zero)
    assert net_sum == totals.total_after_discounts
    assert net_sum + totals.membership_discount + totals.promotion_discount == totals.subtotal
    if request.promotion is not None and request.promotion.fixed is not None:
        assert totals.promotion_discount <= request.promotion.fixed

    # Payment reconciles with the total, and nothing goes negative.
    assert (
        totals.wallet_applied + totals.account_credit_applied + totals.tendered - totals.change
        == totals.total_after_discounts
    )
    assert balanced(totals)
    for amount in (
        totals.wallet_applied,
        totals.account_credit_applied,
        totals.due_after_stored_value,
        totals.tendered,
        totals.change,
    ):
        assert amount >= zero
        assert amount.as_tuple().exponent == -2

    # Stored value is only spent when chosen, and never more than is held or allowed.
    assert totals.wallet_applied <= max(request.wallet_balance, zero)
    if not request.use_wallet:
        assert totals.wallet_applied == zero
    if request.wallet_amount is not None:
        assert totals.wallet_applied <= request.wallet_amount
    assert totals.account_credit_applied <= max(request.account_credit_balance, zero)
    if not request.use_account_credit:
        assert totals.account_credit_applied == zero
    creditable = sum(
        (p.net for p in totals.lines if p.kind not in NOT_PAYABLE_BY_ACCOUNT_CREDIT_KINDS),
        start=zero,
    )
    assert totals.account_credit_applied <= creditable

    # Only cash produces change; card and other never exceed what was due.
    assert totals.change <= totals.tendered_by("cash")
    assert totals.tendered_by("card") + totals.tendered_by("other") <= (
        totals.due_after_stored_value
    )
    # The quote and the settlement agree on everything before tenders.
    assert replace(totals, tenders=(), tendered=zero, change=zero) == quoted
