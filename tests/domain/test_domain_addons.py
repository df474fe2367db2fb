"""The Use/Buy rule for banked add-on units (seed: banked products)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.addons import (
    MAX_BUY_PER_LINE,
    AddonSplit,
    check_line_buy,
    open_split,
    step,
    type_buy,
    type_use,
    with_owned,
)
from frontdesk.domain.errors import ValidationError


@pytest.mark.parametrize(
    ("owned", "required", "use", "buy"),
    [
        (10, 15, 10, 5),  # seed: owns 10, needs 15 -> Use 10, Buy 5
        (0, 1, 0, 1),  # seed: owns none, needs 1 -> Use 0, Buy 1
        (20, 15, 15, 0),
        (15, 15, 15, 0),
        (0, 0, 0, 0),
        (7, 0, 0, 0),
    ],
)
def test_open_split_spends_owned_units_first(owned: int, required: int, use: int, buy: int) -> None:
    split = open_split(owned, required)
    assert (split.owned, split.use, split.buy) == (owned, use, buy)
    assert split.required == required


@pytest.mark.parametrize(
    ("owned", "required", "typed", "use", "buy"),
    [
        (10, 15, 12, 10, 2),  # seed: Use beyond owned moves the excess to Buy
        (10, 10, 12, 10, 2),
        (10, 15, 8, 8, 5),  # within owned: Buy unchanged
        (10, 15, 0, 0, 5),
        (10, 15, 10, 10, 5),
        (0, 1, 3, 0, 3),
        (10, 15, 11, 10, 1),
    ],
)
def test_type_use(owned: int, required: int, typed: int, use: int, buy: int) -> None:
    split = type_use(open_split(owned, required), typed)
    assert (split.owned, split.use, split.buy) == (owned, use, buy)


@pytest.mark.parametrize(
    ("start", "typed", "expected"),
    [
        (AddonSplit(owned=10, use=10, buy=5), 2, AddonSplit(owned=10, use=10, buy=2)),
        (AddonSplit(owned=10, use=10, buy=5), 0, AddonSplit(owned=10, use=10, buy=0)),
        (AddonSplit(owned=10, use=4, buy=0), 3, AddonSplit(owned=10, use=4, buy=3)),
        (AddonSplit(owned=0, use=0, buy=1), 6, AddonSplit(owned=0, use=0, buy=6)),
    ],
)
def test_type_buy(start: AddonSplit, typed: int, expected: AddonSplit) -> None:
    assert type_buy(start, typed) == expected


def test_lowering_buy_leaves_use_clamped_to_what_is_owned() -> None:
    # Staff asked to Use 12 of 10 owned (-> 10/2), then cut Buy to 0: the appointment now
    # uses only the 10 the client owns, never 12.
    split = type_use(open_split(10, 15), 12)
    assert (split.use, split.buy) == (10, 2)
    lowered = type_buy(split, 0)
    assert (lowered.use, lowered.buy, lowered.required) == (10, 0, 10)


@pytest.mark.parametrize(
    ("split", "new_owned", "expected"),
    [
        # Another terminal used 2 of the client's 10: the 2 move to Buy, total kept.
        (AddonSplit(owned=10, use=10, buy=5), 8, AddonSplit(owned=8, use=8, buy=7)),
        (AddonSplit(owned=10, use=3, buy=0), 8, AddonSplit(owned=8, use=3, buy=0)),
        (AddonSplit(owned=10, use=10, buy=0), 0, AddonSplit(owned=0, use=0, buy=10)),
        (AddonSplit(owned=5, use=5, buy=1), 9, AddonSplit(owned=9, use=5, buy=1)),
    ],
)
def test_with_owned_reclamps_after_a_conflict(
    split: AddonSplit, new_owned: int, expected: AddonSplit
) -> None:
    result = with_owned(split, new_owned)
    assert result == expected
    assert result.required == split.required


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: type_use(open_split(10, 15), -1), "use"),
        (lambda: type_buy(open_split(10, 15), -1), "buy"),
        (lambda: open_split(-1, 5), "owned"),
        (lambda: open_split(5, -1), "required"),
        (lambda: with_owned(open_split(5, 5), -1), "owned"),
        (lambda: AddonSplit(owned=5, use=6, buy=0), "use"),
        (lambda: AddonSplit(owned=5, use=1, buy=-1), "buy"),
    ],
)
def test_negative_or_impossible_input_names_the_field(
    call: Callable[[], object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.field == field


def test_split_is_immutable() -> None:
    split = open_split(3, 4)
    with pytest.raises(AttributeError):
        split.use = 1  # type: ignore[misc]


_counts = st.integers(min_value=0, max_value=500)
_step = st.one_of(
    st.tuples(st.just("use"), _counts),
    st.tuples(st.just("buy"), _counts),
    st.tuples(st.just("owned"), _counts),
)


@given(owned=_counts, required=_counts, steps=st.lists(_step, max_size=25))
def test_invariants_hold_under_any_sequence_of_edits(
    owned: int, required: int, steps: list[tuple[str, int]]
) -> None:
    split = open_split(owned, required)
    assert split.required == required
    for action, value in steps:
        before = split
        if action == "use":
            split = type_use(split, value)
            assert split.use == min(value, split.owned)
            assert split.required == (value if value > split.owned else value + before.buy)
        elif action == "buy":
            split = type_buy(split, value)
            assert split.buy == value
            assert split.use == before.use
        else:
            split = with_owned(split, value)
            assert split.required == before.required
        assert 0 <= split.use <= split.owned
        assert split.buy >= 0


@pytest.mark.parametrize(
    ("start", "field", "delta", "expected"),
    [
        ((10, 7, 7), "use", 1, (10, 8, 7)),  # within owned: Use up, Buy unchanged
        ((10, 10, 5), "use", 1, (10, 10, 6)),  # all owned used: the extra unit is bought
        ((0, 0, 1), "use", 1, (0, 0, 2)),
        ((10, 10, 5), "use", -1, (10, 9, 5)),
        ((10, 0, 5), "use", -1, (10, 0, 5)),  # never below zero
        ((10, 10, 5), "buy", 1, (10, 10, 6)),
        ((10, 10, 5), "buy", -1, (10, 10, 4)),
        ((10, 10, 0), "buy", -1, (10, 10, 0)),
    ],
)
def test_plus_and_minus_step_one_unit(
    start: tuple[int, int, int], field: str, delta: int, expected: tuple[int, int, int]
) -> None:
    owned, use, buy = start
    got = step(AddonSplit(owned=owned, use=use, buy=buy), field, delta)
    assert (got.owned, got.use, got.buy) == expected


def test_step_names_only_use_and_buy() -> None:
    with pytest.raises(ValidationError):
        step(AddonSplit(owned=1, use=1, buy=0), "owned", 1)


def test_buy_is_bounded_per_line() -> None:
    split = open_split(10, 15)
    assert type_buy(split, MAX_BUY_PER_LINE).buy == MAX_BUY_PER_LINE == 999
    with pytest.raises(ValidationError) as caught:
        type_buy(split, MAX_BUY_PER_LINE + 1)
    assert caught.value.field == "buy"
    assert str(caught.value) == "At most 999 units can be bought on one line"


def test_a_product_may_set_its_own_maximum() -> None:
    split = open_split(0, 1)
    assert type_buy(split, 50, max_buy=50).buy == 50
    with pytest.raises(ValidationError):
        type_buy(split, 51, max_buy=50)


def test_use_whose_excess_would_buy_too_many_is_refused_on_use() -> None:
    # Own 10: Use 1009 buys 999 (allowed); Use 1010 would buy 1000.
    assert type_use(open_split(10, 15), 1009) == AddonSplit(owned=10, use=10, buy=999)
    with pytest.raises(ValidationError) as caught:
        type_use(open_split(10, 15), 1010)
    assert caught.value.field == "use"
    assert str(caught.value) == "That would buy 1000 units; at most 999 on one line"


@pytest.mark.parametrize("field", ["use", "buy"])
def test_plus_stops_at_the_maximum(field: str) -> None:
    full = AddonSplit(owned=10, use=10, buy=MAX_BUY_PER_LINE)
    assert step(full, field, 1) == full
    assert step(full, field, -1).required == full.required - 1


@given(owned=_counts, required=_counts, typed=st.integers(min_value=0, max_value=5000))
def test_no_typed_value_ever_buys_more_than_the_maximum(
    owned: int, required: int, typed: int
) -> None:
    for edit in (type_use, type_buy):
        try:
            split = edit(open_split(owned, required), typed)
        except ValidationError:
            continue
        assert split.buy <= MAX_BUY_PER_LINE


def test_check_line_buy_is_the_rule_the_service_applies() -> None:
    check_line_buy(MAX_BUY_PER_LINE)
    check_line_buy(10, 10)
    with pytest.raises(ValidationError) as caught:
        check_line_buy(11, 10)
    assert (caught.value.field, str(caught.value)) == (
        "buy",
        "At most 10 units can be bought on one line",
    )
    with pytest.raises(ValidationError) as caught:
        check_line_buy(21, 20, field="units")
    assert caught.value.field == "units"
