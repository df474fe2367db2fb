"""Client-profile rows drawn for each rich client, tab by tab: notification
preferences, contact history, documents, transformation log, goals, reward points and
relationships.

Pure: every choice comes from the `rng` it is given, in a fixed order; the rows are
inserted by `frontdesk.demo.profile_seed`.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from frontdesk.db.ledger import Actor
from frontdesk.demo.catalogue import PRIZES
from frontdesk.demo.timeline import HISTORY_DAYS

POINTS_PER_VISIT = 10
CHANNELS = ("email", "sms")
CATEGORIES = ("schedule", "account", "news")

CONTACT_NOTES: dict[str, tuple[str, ...]] = {
    "call": (
        "Called to confirm tomorrow's appointment.",
        "Asked about Botox aftercare; advised no exercise for 24 hours.",
        "Rebooked after a missed appointment.",
        "Left a voicemail about the membership renewal.",
    ),
    "email": (
        "Sent the pre-treatment questionnaire.",
        "Emailed receipt and aftercare sheet.",
        "Replied to a question about Glow Select.",
    ),
    "sms": (
        "Appointment reminder sent.",
        "Running 10 minutes late; client informed.",
        "Sent the booking link for a follow-up.",
    ),
}

DOCUMENTS: tuple[tuple[str, str], ...] = (
    ("New client consultation form", "form"),
    ("Medical history questionnaire", "form"),
    ("Botox treatment consent", "consent"),
    ("Photo consent (before and after)", "consent"),
    ("Lip filler consent", "consent"),
)

LOG_NOTES: tuple[str, ...] = (
    "Baseline photos taken (front, left, right).",
    "Forehead lines softened; review at 2 weeks.",
    "Skin texture improving; less redness on cheeks.",
    "Pigmentation on left cheek fading.",
    "Client happy with results; booked maintenance.",
    "Slight asymmetry at brow; 2 units top-up.",
)

GOALS: tuple[tuple[str, str], ...] = (
    ("Smoother forehead before the wedding", "Wedding in the spring."),
    ("Clearer skin", "Monthly facials and SPF daily."),
    ("Reduce pigmentation", ""),
    ("Maintain results with quarterly Botox", ""),
    ("Fuller lips, natural look", "Start with 0.5 ml."),
)


class ProfileRows:
    """Each client's profile rows, tab by tab; the draws for a client come in tab order."""

    def __init__(
        self,
        rng: random.Random,
        today: dt.date,
        actor: Actor,
        desk_ids: list[int],
        clinician_ids: list[int],
        prize_ids: list[int],
    ) -> None:
        self.rng = rng
        self.today = today
        self.actor = actor
        self.desk_ids = desk_ids
        self.clinician_ids = clinician_ids
        self.prize_ids = prize_ids
        self.start = dt.datetime.combine(today, dt.time(0), dt.UTC) - dt.timedelta(
            days=HISTORY_DAYS
        )
        self.end = min(dt.datetime.combine(today, dt.time(0), dt.UTC), dt.datetime.now(dt.UTC))
        self.prefs: list[dict[str, Any]] = []
        self.contacts: list[dict[str, Any]] = []
        self.docs: list[dict[str, Any]] = []
        self.entries: list[dict[str, Any]] = []
        self.goals: list[dict[str, Any]] = []
        self.rewards: list[dict[str, Any]] = []
        self.opted_out = 0

    def at(self, lo: int = 0, hi: int = HISTORY_DAYS) -> dt.datetime:
        """A time between `lo` and `hi` days into the history window."""
        span = (self.end - self.start).total_seconds()
        return self.start + dt.timedelta(
            seconds=int(self.rng.uniform(lo / HISTORY_DAYS, hi / HISTORY_DAYS) * span)
        )

    def client(self, client_id: int, *, amelia: bool, visits: list[dt.datetime]) -> None:
        self._notifications(client_id, amelia)
        self._contacts(client_id, amelia)
        self._documents(client_id, amelia)
        self._log_and_goals(client_id, amelia)
        self._rewards(client_id, amelia, visits)

    def _notifications(self, client_id: int, amelia: bool) -> None:
        """Most never changed (all on); some turn news off; a few opt out."""
        rng = self.rng
        roll = rng.random()
        if amelia or 0.7 <= roll < 0.9:
            off = (
                {("sms", "news"), ("email", "news")}
                if amelia
                else set(
                    rng.sample(
                        [(ch, cat) for ch in CHANNELS for cat in CATEGORIES], rng.randint(1, 3)
                    )
                )
            )
            self.prefs += [
                {
                    "client_id": client_id,
                    "channel": ch,
                    "category": cat,
                    "opted_in": (ch, cat) not in off,
                    "updated_at": self.at(),
                }
                for ch in CHANNELS
                for cat in CATEGORIES
            ]
        elif roll >= 0.9:
            self.opted_out += 1
            when = self.at()
            self.prefs += [
                {
                    "client_id": client_id,
                    "channel": ch,
                    "category": cat,
                    "opted_in": False,
                    "updated_at": when,
                }
                for ch in CHANNELS
                for cat in CATEGORIES
            ]

    def _contacts(self, client_id: int, amelia: bool) -> None:
        rng = self.rng
        if not (amelia or rng.random() < 0.4):
            return
        for when in sorted(self.at() for _ in range(4 if amelia else rng.randint(1, 4))):
            channel = rng.choice(("call", "email", "sms"))
            self.contacts.append(
                {
                    "client_id": client_id,
                    "channel": channel,
                    "note": rng.choice(CONTACT_NOTES[channel]),
                    "staff_id": rng.choice(self.desk_ids),
                    "created_at": when,
                }
            )

    def _documents(self, client_id: int, amelia: bool) -> None:
        """A consultation form for most, consents for some; a few unsigned."""
        rng = self.rng
        if not (amelia or rng.random() < 0.6):
            return
        chosen = (
            [DOCUMENTS[0], DOCUMENTS[2], DOCUMENTS[3]]
            if amelia
            else [DOCUMENTS[0], *rng.sample(DOCUMENTS[1:], rng.randint(0, 2))]
        )
        for i, (title, kind) in enumerate(chosen):
            created = self.at(0, 80)
            unsigned = (amelia and i == 2) or (not amelia and rng.random() < 0.15)
            self.docs.append(
                {
                    "client_id": client_id,
                    "title": title,
                    "kind": kind,
                    "signed_at": None
                    if unsigned
                    else created + dt.timedelta(minutes=rng.randint(5, 600)),
                    "created_at": created,
                }
            )

    def _log_and_goals(self, client_id: int, amelia: bool) -> None:
        """Transformation log entries a fortnight apart, and the goals set at the first."""
        rng = self.rng
        if not (amelia or rng.random() < 0.15):
            return
        first = self.at(0, 30)
        staff_id = rng.choice(self.clinician_ids)
        for k in range(3 if amelia else rng.randint(1, 4)):
            when = first + dt.timedelta(days=14 * k)
            self.entries.append(
                {
                    "client_id": client_id,
                    "entry_date": when.date(),
                    "note": LOG_NOTES[0] if k == 0 else rng.choice(LOG_NOTES[1:]),
                    "staff_id": staff_id,
                    "created_at": when,
                    "updated_at": when,
                }
            )
        for k, (title, note) in enumerate(
            GOALS[:2] if amelia else rng.sample(GOALS, rng.randint(1, 2))
        ):
            created = first + dt.timedelta(hours=k)
            self.goals.append(
                {
                    "client_id": client_id,
                    "title": title,
                    "target_date": self.today + dt.timedelta(days=rng.randint(30, 200))
                    if k == 0
                    else None,
                    "achieved": k == 1 and rng.random() < 0.5,
                    "note": note,
                    "created_at": created,
                    "updated_at": created,
                }
            )

    def _rewards(self, client_id: int, amelia: bool, visits: list[dt.datetime]) -> None:
        """Reward points: one award per visit (this week's visits and earlier ones)."""
        rng = self.rng
        events: list[tuple[dt.datetime, int, str, str]] = [
            (when, POINTS_PER_VISIT, "visit", "Points for a visit") for when in visits
        ]
        if amelia or rng.random() < 0.4:
            for _ in range(5 if amelia else rng.randint(1, 6)):
                events.append((self.at(), POINTS_PER_VISIT, "visit", "Points for a visit"))
            if amelia or rng.random() < 0.3:
                spend = rng.choice((35, 70, 90, 120, 250))
                events.append((self.at(), spend, "spend", "Points for spend"))
        events.sort(key=lambda e: e[0])
        balance = 0
        redeemed = False
        for when, points, reason, description in events:
            balance += points
            self.rewards.append(
                _reward(client_id, points, balance, reason, description, None, when, self.actor)
            )
            if not redeemed and balance >= PRIZES[0][1] and (amelia or rng.random() < 0.2):
                redeemed = True
                balance = self._redeem_first_prize(client_id, balance, when)

    def _redeem_first_prize(self, client_id: int, balance: int, earned: dt.datetime) -> int:
        """The cheapest prize, redeemed just after the points that paid for it; the balance."""
        name, cost = PRIZES[0]
        balance -= cost
        self.rewards.append(
            _reward(
                client_id,
                -cost,
                balance,
                "redeem",
                f"Redeemed: {name}",
                self.prize_ids[0],
                earned + dt.timedelta(minutes=5),
                self.actor,
            )
        )
        return balance


def _reward(
    client_id: int,
    points: int,
    balance: int,
    reason: str,
    description: str,
    prize_id: int | None,
    when: dt.datetime,
    actor: Actor,
) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "points": points,
        "balance_after": balance,
        "reason": reason,
        "description": description,
        "staff_id": actor.staff_id,
        "terminal": actor.terminal,
        "prize_id": prize_id,
        "created_at": when,
    }


def relationship_rows(people: list[int], rng: random.Random) -> list[dict[str, Any]]:
    """Amelia's partner and child, then a handful of families, couples and guardians."""
    rows: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()

    def link(a: int, b: int, kind: str) -> None:
        if a == b or (a, b) in seen or (b, a) in seen:
            return
        seen.add((a, b))
        rows.append({"client_id": a, "related_client_id": b, "kind": kind})

    if len(people) >= 40:
        amelia = people[0]
        link(amelia, people[31], "partner")
        link(people[37], amelia, "guardian")  # Amelia is their guardian
    others = people[24:]
    for _ in range(min(12, len(others) // 2)):
        a, b = rng.sample(others, 2)
        link(a, b, rng.choice(("family", "family", "partner", "guardian")))
    return rows
