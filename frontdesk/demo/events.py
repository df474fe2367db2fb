"""What a rich client's stored-value history will be, planned before anything is posted:
Botox and filler packages, prepaid visit bundles, account money and goodwill credits.

Every draw comes from the `"{seed}:ledger"` stream the caller passes in, client after
client, in a fixed order; posting happens later (`frontdesk.demo.history`).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from frontdesk.db.tables import Service
from frontdesk.demo import names
from frontdesk.demo.bookings import Booking
from frontdesk.demo.catalogue import BOTOX_PACKAGE, SERVICES
from frontdesk.demo.money import DemoMoney
from frontdesk.demo.timeline import HISTORY_DAYS, utc
from frontdesk.domain.ledger import Reason, StoredValueKind

PREPAID_BUNDLES: tuple[tuple[str, int], ...] = (("deep", 5), ("swedish", 5), ("facial", 5))
WALLET_SPEND_SERVICES: tuple[str, ...] = ("facial", "hydra", "brows", "swedish", "deep")
GOODWILL = "Goodwill credit — appointment issue"

AccountKey = tuple[StoredValueKind, str | None]  # kind, product/service key
Completed = dict[tuple[int, str], list[Booking]]  # (client index, service key) -> bookings

_BOTOX: AccountKey = (StoredValueKind.PRODUCT_UNITS, "botox")
_BOTOX_SERVICE = SERVICES[0].name
_ACCOUNT_MONEY: AccountKey = (StoredValueKind.ACCOUNT_MONEY, None)
_WALLET: AccountKey = (StoredValueKind.WALLET_MONEY, None)


@dataclass(slots=True)
class Event:
    when: dt.datetime
    account: AccountKey
    amount: int
    reason: str
    description: str
    appointment_id: int | None = None
    allow_negative: bool = False
    addon: tuple[str, int] | None = None  # product key, units used (an add-on row)
    reverse_later: str | None = None  # reversal description, posted after the history


class HistoryWindow:
    """The stretch of time the history fills, ending before today."""

    def __init__(self, today: dt.date) -> None:
        self.now = dt.datetime.now(dt.UTC)
        # Everything not tied to an appointment happened before today (and before now,
        # so a reversal, stamped "now" by `reverse`, is always its account's latest entry).
        self.end = min(dt.datetime.combine(today, dt.time(0), dt.UTC), self.now)
        self.start = self.end - dt.timedelta(days=HISTORY_DAYS)
        self.week_start = dt.datetime.combine(
            today - dt.timedelta(days=today.weekday()), dt.time(0), dt.UTC
        ) - dt.timedelta(days=1)

    def at(self, rng: random.Random, lo: int, hi: int) -> dt.datetime:
        """A time between `lo` and `hi` days after the start of the history window."""
        span = (self.week_start - self.start).total_seconds() / 86_400
        seconds = int(rng.uniform(min(lo, span), min(hi, span)) * 86_400)
        return self.start + dt.timedelta(seconds=seconds)

    def times(self, rng: random.Random, n: int, lo: int, hi: int) -> list[dt.datetime]:
        return sorted(self.at(rng, lo, hi) for _ in range(n))

    def clamp(self, when: dt.datetime) -> dt.datetime:
        """Today's finished appointments may lie ahead of the clock when seeded early."""
        return min(when, max(self.now, self.end))

    def finished(self, b: Booking) -> dt.datetime:
        """When a completed booking ended, as a ledger time."""
        return self.clamp(utc(b.ends_at))


def _botox_sale(when: dt.datetime, package: str) -> Event:
    return Event(when, _BOTOX, 50, Reason.SALE, package)


def _botox_used(units: int, when: dt.datetime, booking: Booking | None = None) -> Event:
    """Units used; on a visit (`booking`) an add-on row records them too."""
    return Event(
        when,
        _BOTOX,
        -units,
        Reason.USE,
        f"Used on {_BOTOX_SERVICE}",
        appointment_id=booking.appointment_id if booking else None,
        addon=("botox", units) if booking else None,
    )


class ClientPlanner:
    """Plans each rich client's events in turn, drawing from one stream."""

    def __init__(
        self,
        rng: random.Random,
        window: HistoryWindow,
        services: dict[str, Service],
        completed: Completed,
        money: DemoMoney,
    ) -> None:
        self.money = money
        self.rng = rng
        self.window = window
        self.services = services
        self.completed = completed

    def plan(self, index: int) -> list[Event]:
        """The events of the `index`th rich client, in the order they were drawn."""
        events = self._botox(index)
        events += self._filler(index)
        events += self._prepaid(index)
        events += self._account_money(index)
        events += self._goodwill(index)
        return events

    def _botox(self, index: int) -> list[Event]:
        package = f"{BOTOX_PACKAGE[0]} (package)"
        if index == names.AMELIA:
            t = self.window.times(self.rng, 3, 5, 80)
            return [_botox_sale(t[0], package), _botox_used(20, t[1]), _botox_used(20, t[2])]
        if index == names.ZERO_UNITS:
            t = self.window.times(self.rng, 4, 0, 82)
            return [
                _botox_sale(t[0], package),
                _botox_used(20, t[1]),
                _botox_used(20, t[2]),
                Event(
                    t[3],
                    _BOTOX,
                    -10,
                    Reason.USE,
                    f"Used on {_BOTOX_SERVICE} (bought 10 more)",
                ),
            ]
        if self.rng.random() < 0.22:
            return self._botox_bank(index, package)
        return []

    def _botox_bank(self, index: int, package: str) -> list[Event]:
        """A package bought, some units used, topped up whenever a visit needs more."""
        rng = self.rng
        t = self.window.times(rng, 3, 0, 80)
        balance = 50
        events = [_botox_sale(t[0], package)]
        for when in t[1 : 1 + rng.randint(0, 2)]:
            events.append(_botox_used(20, when))
            balance -= 20
        for b in self.completed.get((index, "botox"), []):
            if balance < 20:
                events.append(_botox_sale(self.window.at(rng, 82, 83), package))
                balance += 50
            events.append(_botox_used(20, self.window.finished(b), b))
            balance -= 20
        return events

    def _filler(self, index: int) -> list[Event]:
        rng = self.rng
        if rng.random() >= 0.1:
            return []
        filler = (StoredValueKind.PRODUCT_UNITS, "filler")
        t = self.window.times(rng, 2, 0, 80)
        events = [Event(t[0], filler, 2, Reason.SALE, "Dermal Filler × 2")]
        uses: list[Booking | None] = [None] if rng.random() < 0.5 else []
        uses += self.completed.get((index, "filler"), [])[:1]
        for n, fb in enumerate(uses[:2]):
            when = self.window.finished(fb) if fb else t[1]
            events.append(
                Event(
                    when + dt.timedelta(seconds=n),
                    filler,
                    -1,
                    Reason.USE,
                    "Used on Lip Filler",
                    appointment_id=fb.appointment_id if fb else None,
                    addon=("filler", 1) if fb else None,
                )
            )
        return events

    def _prepaid(self, index: int) -> list[Event]:
        """A bundle of visits, some redeemed before this week and some at its appointments."""
        rng = self.rng
        if rng.random() >= 0.15:
            return []
        key, visits = rng.choice(PREPAID_BUNDLES)
        name = self.services[key].name
        account = (StoredValueKind.PREPAID_VISITS, key)
        t = self.window.times(rng, 1 + rng.randint(0, visits - 1), 0, 80)
        events = [Event(t[0], account, visits, Reason.SALE, f"{visits} × {name}")]
        events += [Event(when, account, -1, Reason.REDEEM, f"Redeemed: {name}") for when in t[1:]]
        left = visits - len(t[1:])
        for b in self.completed.get((index, key), [])[:left]:
            events.append(
                Event(
                    self.window.finished(b),
                    account,
                    -1,
                    Reason.REDEEM,
                    f"Redeemed: {name}",
                    appointment_id=b.appointment_id,
                )
            )
        return events

    def _account_money(self, index: int) -> list[Event]:
        roll = self.rng.random()
        if roll < 0.08:
            return self._account_credit()
        if roll < 0.13 or index == 4:
            return self._balance_owed(index)
        return []

    def _account_credit(self) -> list[Event]:
        rng = self.rng
        t = self.window.times(rng, 2, 0, 80)
        credit = self.money.minor(rng.randrange(20, 101, 5) * 100)
        events = [Event(t[0], _ACCOUNT_MONEY, credit, Reason.CREDIT, "Account credit")]
        if rng.random() < 0.5:
            spend = min(credit, self.money.minor(rng.choice((3_500, 7_000, 9_000))))
            events.append(
                Event(t[1], _ACCOUNT_MONEY, -spend, Reason.CHECKOUT_SPEND, "Applied at checkout")
            )
        return events

    def _balance_owed(self, index: int) -> list[Event]:
        """A charge on account (client 4's is reversed later), sometimes half paid off."""
        rng = self.rng
        t = self.window.times(rng, 2, 0, 80)
        key = rng.choice(WALLET_SPEND_SERVICES)
        owed = self.services[key].price_minor
        charge = Event(
            t[0],
            _ACCOUNT_MONEY,
            -owed,
            Reason.CHARGE,
            f"Balance owed: {self.services[key].name}",
            allow_negative=True,
        )
        events = [charge]
        if index == 4:
            charge.reverse_later = "Reversed: charged in error, paid by card on the day"
        elif rng.random() < 0.5:
            events.append(
                Event(
                    t[1],
                    _ACCOUNT_MONEY,
                    owed // 2,
                    Reason.PAYMENT,
                    "Part payment towards balance owed",
                    allow_negative=True,
                )
            )
        return events

    def _goodwill(self, index: int) -> list[Event]:
        """A goodwill wallet credit; client 3's (and a few others') was given twice."""
        rng = self.rng
        if not (index == 3 or rng.random() < 0.05):
            return []
        t = self.window.times(rng, 2, 10, 80)
        goodwill = self.money.minor(2_500)
        events = [Event(t[0], _WALLET, goodwill, Reason.ADJUST, GOODWILL)]
        if index == 3 or rng.random() < 0.4:
            events.append(
                Event(
                    t[1],
                    _WALLET,
                    goodwill,
                    Reason.ADJUST,
                    GOODWILL,
                    reverse_later="Reversed: duplicate goodwill credit",
                )
            )
        return events
