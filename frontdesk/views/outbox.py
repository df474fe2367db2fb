"""The notifications outbox as the Outbox screen and `frontdesk outbox send` see it."""

from __future__ import annotations

import datetime as dt

from frontdesk.views import View
from frontdesk.views.profile import Category, Channel


class OutboxMessage(View):
    """One queued message on one channel; pending while `sent_at` is None."""

    id: int
    client_id: int
    client_name: str
    channel: Channel
    category: Category
    text: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    attempts: int
    last_error: str

    @property
    def sent(self) -> bool:
        return self.sent_at is not None


class OutboxPage(View):
    """Newest first: `messages` from `offset`, of `total` in the outbox."""

    messages: tuple[OutboxMessage, ...]
    offset: int
    total: int
    pending: int


class SendReport(View):
    """What one send run did: sent, failed (still pending, attempts counted)."""

    sent: int
    failed: int

    def __str__(self) -> str:
        failed = f", {self.failed} failed (left pending)" if self.failed else ""
        return f"sent {self.sent} notification{'s' if self.sent != 1 else ''}{failed}"
