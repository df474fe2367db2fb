"""The request hash behind idempotent money writes: one text per meaning."""

from __future__ import annotations

import datetime as dt
import enum
import pickle
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import KeyReused, ValidationError
from frontdesk.domain.write_keys import canonical_json, check_key, new_key, payload_hash

D = Decimal


class Tender(enum.StrEnum):
    CASH = "cash"


def test_new_keys_are_fresh_and_acceptable() -> None:
    keys = {new_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(check_key(k) == k and len(k) == 32 for k in keys)


@pytest.mark.parametrize("bad", ["", "x" * 65, "line\nbreak", "\x1b[2J", "clé"])
def test_bad_keys_are_a_field_error(bad: str) -> None:
    with pytest.raises(ValidationError) as err:
        check_key(bad)
    assert err.value.field == "key"


def test_key_order_tuples_and_enums_do_not_change_the_text() -> None:
    a = {"b": (1, 2), "a": Tender.CASH}
    b = {"a": "cash", "b": [1, 2]}
    assert canonical_json(a) == canonical_json(b) == '{"a":"cash","b":[1,2]}'


@pytest.mark.parametrize(
    ("one", "other"),
    [(D("10"), D("10.00")), (D("0"), D("-0.00")), (D("1E+1"), D("10")), (D("12.5"), D("12.50"))],
)
def test_an_amount_has_one_spelling(one: Decimal, other: Decimal) -> None:
    assert payload_hash("op", {"amount": one}) == payload_hash("op", {"amount": other})


def test_times_are_compared_as_instants() -> None:
    utc = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    tokyo = utc.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert canonical_json(utc) == canonical_json(tokyo) == canonical_json(utc.replace(tzinfo=None))


def test_the_operation_is_part_of_the_request() -> None:
    assert payload_hash("balances.credit", {"a": 1}) != payload_hash("balances.charge", {"a": 1})


def test_what_cannot_be_hashed_is_refused_not_guessed() -> None:
    with pytest.raises(TypeError):
        canonical_json({"a": object()})
    with pytest.raises(ValueError):
        canonical_json(D("NaN"))


amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)


@given(amounts, amounts)
def test_two_amounts_hash_alike_exactly_when_equal(a: Decimal, b: Decimal) -> None:
    assert (payload_hash("op", {"x": a}) == payload_hash("op", {"x": b})) == (a == b)


@given(st.text(max_size=30), st.text(max_size=30))
def test_two_texts_hash_alike_exactly_when_equal(a: str, b: str) -> None:
    assert (payload_hash("op", {"x": a}) == payload_hash("op", {"x": b})) == (a == b)


def test_key_reused_reads_for_the_desk_and_pickles() -> None:
    err = pickle.loads(pickle.dumps(KeyReused()))
    assert str(err) == (
        "This request was already used for a different change; nothing was saved — start again"
    )
