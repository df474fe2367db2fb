"""Read models for adding a client and merging two records of one person."""

from __future__ import annotations

from frontdesk.views import ClientHit, ClientSummary, View


class LikelyDuplicate(View):
    """A client the new one may already be, and why (shown before saving)."""

    hit: ClientHit
    reasons: tuple[str, ...]  # "same phone", "same email", "same name and date of birth"

    @property
    def why(self) -> str:
        return ", ".join(self.reasons)


class MergeMove(View):
    """One balance a merge moves: `amount` in the account's own units (minor units of
    money, units, visits) and the kept client's balance after it."""

    kind: str  # a StoredValueKind value
    item: str  # "Account", "Beauty Bank", a product or service name
    amount: int
    kept_balance_after: int


class MergePreview(View):
    """Both records and what a merge of `merge` into `keep` would move."""

    keep: ClientSummary
    merge: ClientSummary
    moves: tuple[MergeMove, ...]  # kept_balance_after as it would be
    appointments: int
    tickets: int
    reward_points: int


class MergeResult(View):
    keep_id: int
    merged_id: int
    moves: tuple[MergeMove, ...]
    repointed: int  # rows of history (appointments, tickets, notes...) now on `keep`
