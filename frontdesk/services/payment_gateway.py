"""Taking a membership's payment from the client's card on file: the gateway interface.

A real provider plugs in as any object with `charge`: it must treat `key` as its
idempotency key (Stripe's `Idempotency-Key`, Adyen's `idempotencyKey`...) so the same key
is charged at most once and answered the same every time. The renewal run relies on
that: after a crash between the charge and the record it asks again with the same key.

`FakeGateway` is the only one here: the demo and the tests use it. It approves unless it
was told to decline a client or a call, and it remembers every key it answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from frontdesk.domain.errors import DomainError
from frontdesk.views import View

DECLINED = "Card declined"


class GatewayUnavailable(DomainError):
    """The gateway could not be reached or gave no answer: nothing is known about the
    charge, so the run leaves the cycle to ask again with the same key next time."""


class ChargeResult(View):
    """The gateway's answer: approved with its reference, or declined with its reason."""

    approved: bool
    reference: str = ""
    reason: str = ""


class PaymentGateway(Protocol):
    async def charge(
        self, key: str, client_id: int, amount: Decimal, currency: str
    ) -> ChargeResult:
        """Charge `amount` in `currency` to the client's card on file, once per `key`;
        raise `GatewayUnavailable` when the outcome is not known."""


class FakeGateway:
    """Approves every charge, but declines `decline_clients`' cards and the `decline_calls`
    (1-based count of new charges); the same key is answered from memory and never
    charged again. `charged` lists each new charge as (key, client, amount, currency)."""

    def __init__(
        self,
        *,
        decline_clients: Iterable[int] = (),
        decline_calls: Iterable[int] = (),
        reason: str = DECLINED,
    ) -> None:
        self.decline_clients = set(decline_clients)
        self.decline_calls = set(decline_calls)
        self.reason = reason
        self.answers: dict[str, ChargeResult] = {}
        self.charged: list[tuple[str, int, Decimal, str]] = []
        self.calls = 0

    async def charge(
        self, key: str, client_id: int, amount: Decimal, currency: str
    ) -> ChargeResult:
        if key in self.answers:
            return self.answers[key]
        self.calls += 1
        if client_id in self.decline_clients or self.calls in self.decline_calls:
            result = ChargeResult(approved=False, reason=self.reason)
        else:
            self.charged.append((key, client_id, amount, currency))
            result = ChargeResult(approved=True, reference=f"fake-{len(self.charged):06d}")
        self.answers[key] = result
        return result
