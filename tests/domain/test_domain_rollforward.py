"""The roll-forward's arithmetic (docs/rules.md, L14), property-tested: whatever the
entries (any reason, any sign, before, during or after the period), every line closes
exactly, and balance = liability − owed at both ends."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.ledger import Reason, StoredValueKind
from frontdesk.domain.rollforward import AccountSums, roll_forward

CODES = [r.value for r in Reason] + ["from_another_tool"]

entries = st.lists(
    st.tuples(
        st.integers(1, 8),  # account
        st.sampled_from(CODES),
        st.integers(-50_000, 50_000).filter(bool),  # a non-zero amount
        st.sampled_from(["before", "during", "after"]),
    ),
    max_size=60,
)


def _rows(generated: list[tuple[int, str, int, str]]) -> list[AccountSums]:
    """What the service's one statement returns: per account and reason, the sums before,
    during and up to the end of the period (entries after it count in none)."""
    kinds = list(StoredValueKind)
    sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for account, code, amount, when in generated:
        row = sums[(account, code)]
        if when == "before":
            row[0] += amount
        if when == "during":
            row[1] += amount
        if when != "after":
            row[2] += amount
    return [
        AccountSums(
            account_id=account,
            kind=kinds[account % 4],
            location_id=None if account > 6 else account % 2,
            unit_value=1 if kinds[account % 4].endswith("money") else 900,
            reason=code,
            before=before,
            during=during,
            upto=upto,
        )
        for (account, code), (before, during, upto) in sums.items()
    ]


@given(entries)
def test_every_line_closes_exactly(generated: list[tuple[int, str, int, str]]) -> None:
    lines = roll_forward(_rows(generated))
    for line in lines:
        assert line.difference == 0
        assert line.opening == line.opening_liability - line.opening_owed
        assert line.closing == line.closing_liability - line.closing_owed
        assert line.opening_liability >= 0 and line.closing_owed >= 0
    # One line per kind and location, each once.
    keys = [(ln.kind, ln.location_id) for ln in lines]
    assert len(keys) == len(set(keys))


@given(entries)
def test_after_the_period_changes_nothing(generated: list[tuple[int, str, int, str]]) -> None:
    within = [e for e in generated if e[3] != "after"]
    assert [
        (ln.kind, ln.location_id, ln.opening, ln.closing, ln.moves)
        for ln in roll_forward(_rows(generated))
        if ln.opening or ln.closing or any(ln.moves.values())
    ] == [
        (ln.kind, ln.location_id, ln.opening, ln.closing, ln.moves)
        for ln in roll_forward(_rows(within))
        if ln.opening or ln.closing or any(ln.moves.values())
    ]
