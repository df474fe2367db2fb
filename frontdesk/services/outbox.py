"""The notifications outbox (issue 16, item 6): queue a message for a client on every
channel they take it on, and send what is pending through a `Sender`.

`queue_notification` runs inside the caller's transaction (a renewal's credit and the
message it announces commit together, or neither does). Sending is one short transaction
per message: the row is locked (PostgreSQL `FOR UPDATE`; SQLite's write lock), read again,
sent and marked, so two send runs at once never send one message twice. A sender that
fails leaves the message pending with `attempts` counted and a short error in our words;
after `MAX_ATTEMPTS` a run stops trying it (it stays listed as pending).

Listing and sending need `Perm.REPORTS`: the outbox is what was said to clients, read by
those who read the reports (managers, owners), not by every desk login; the operator's
`frontdesk outbox send` (cron) may send with nobody signed in.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Client, NotificationPreference
from frontdesk.db.tables import Notification as Row
from frontdesk.domain.errors import DomainError
from frontdesk.domain.fields import choice, clean_note
from frontdesk.domain.normalize import printable
from frontdesk.domain.permissions import Perm
from frontdesk.paths import data_dir
from frontdesk.services.area import Area
from frontdesk.services.profile.lookups import load_client
from frontdesk.services.staff import require
from frontdesk.views import View
from frontdesk.views.outbox import OutboxMessage, OutboxPage, SendReport
from frontdesk.views.profile import CATEGORIES, CHANNELS, Channel

MAX_ATTEMPTS = 5
PAGE_SIZE = 50
SEND_BATCH = 500
ERROR_MAX = 200
SENDER_FAILED = "The sender failed without saying why"
LOG_FAILED = "Could not write the outbox log file"


class SendFailed(DomainError):
    """A sender's own words for why one message was not sent (kept as `last_error`)."""


class Outgoing(View):
    """What a sender is handed: one message, its channel and the address it goes to."""

    id: int
    client_id: int
    channel: Channel
    address: str
    category: str
    text: str


class Sender(Protocol):
    async def send(self, message: Outgoing) -> None:
        """Deliver `message` or raise (a `SendFailed` names why)."""


class LogFileSender:
    """The default sender: one line per message appended to a log file in the data
    folder (never the terminal). The text is inert and on one line."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else data_dir() / "outbox.log"

    async def send(self, message: Outgoing) -> None:
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        line = (
            f"{stamp} #{message.id} {message.channel} to={printable(message.address)} "
            f"client={message.client_id} [{message.category}] {printable(message.text)}\n"
        )
        try:
            await asyncio.to_thread(self._append, line)
        except OSError:
            raise SendFailed(LOG_FAILED) from None

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as log:
            log.write(line)


def _address(client: Client, channel: str) -> str:
    return client.email if channel == "email" else client.phone


async def queue_notification(
    session: AsyncSession, client_id: int, category: str, text: str
) -> list[int]:
    """Queue `text` for `client_id` on every channel they have not opted out of for
    `category` (NotificationPreference: a missing row means opted in; a channel the client
    has no address for — no email / no phone — gets no row). Same transaction as the
    caller's write. Returns the new outbox row ids."""
    choice(category, CATEGORIES, "category")
    body = clean_note(text, "text", required=True)
    client = await load_client(session, client_id)
    opted_out = set(
        await session.scalars(
            select(NotificationPreference.channel).where(
                NotificationPreference.client_id == client_id,
                NotificationPreference.category == category,
                NotificationPreference.opted_in.is_(False),
            )
        )
    )
    rows = [
        Row(client_id=client_id, channel=channel, category=category, text=body)
        for channel in CHANNELS
        if channel not in opted_out and _address(client, channel).strip()
    ]
    session.add_all(rows)
    await session.flush()
    return [row.id for row in rows]


def _message(row: Row, first: str, last: str) -> OutboxMessage:
    return OutboxMessage(
        id=row.id,
        client_id=row.client_id,
        client_name=f"{first} {last}".strip(),
        channel=row.channel,  # checked by the View
        category=row.category,
        text=row.text,
        created_at=row.created_at,
        sent_at=row.sent_at,
        attempts=row.attempts,
        last_error=row.last_error,
    )


def _why(exc: Exception) -> str:
    """A failed send's reason, in our words: a sender's `DomainError`, never driver text."""
    if isinstance(exc, DomainError):
        return (str(exc).splitlines() or [SENDER_FAILED])[0][:ERROR_MAX]
    return SENDER_FAILED


class Outbox(Area):
    """The Outbox screen and `frontdesk outbox send`."""

    async def list(self, offset: int = 0, limit: int = PAGE_SIZE) -> OutboxPage:
        """Newest first, `limit` messages from `offset`."""
        offset, limit = max(0, offset), max(1, min(limit, 500))
        async with self.ctx.read() as session:
            await self._may(session)
            total = await session.scalar(select(func.count()).select_from(Row)) or 0
            pending = (
                await session.scalar(
                    select(func.count()).select_from(Row).where(Row.sent_at.is_(None))
                )
                or 0
            )
            found = await session.execute(
                select(Row, Client.first_name, Client.last_name)
                .join(Client, Client.id == Row.client_id)
                .order_by(Row.id.desc())
                .offset(offset)
                .limit(limit)
            )
            messages = tuple(_message(row, first, last) for row, first, last in found.all())
        return OutboxPage(messages=messages, offset=offset, total=total, pending=pending)

    async def send_pending(
        self, sender: Sender | None = None, limit: int = SEND_BATCH
    ) -> SendReport:
        """Send up to `limit` pending messages, oldest first, each in its own transaction,
        through `sender` (the log file in the data folder unless one is given)."""
        sender = sender if sender is not None else LogFileSender()
        async with self.ctx.read() as session:
            await self._may(session)
            ids = list(
                await session.scalars(
                    select(Row.id)
                    .where(Row.sent_at.is_(None), Row.attempts < MAX_ATTEMPTS)
                    .order_by(Row.id)
                    .limit(limit)
                )
            )
        sent = failed = 0
        for row_id in ids:
            outcome = await self._send_one(sender, row_id)
            sent += outcome is True
            failed += outcome is False
        return SendReport(sent=sent, failed=failed)

    async def _send_one(self, sender: Sender, row_id: int) -> bool | None:
        """True sent, False failed (left pending), None already sent by another run."""
        async with self.ctx.transaction() as session:
            row = await session.get(Row, row_id, with_for_update=True, populate_existing=True)
            if row is None or row.sent_at is not None:
                return None
            client = await load_client(session, row.client_id)
            outgoing = Outgoing(
                id=row.id,
                client_id=row.client_id,
                channel=row.channel,
                address=_address(client, row.channel),
                category=row.category,
                text=row.text,
            )
            row.attempts += 1
            try:
                await sender.send(outgoing)
            except Exception as exc:  # any sender: the message stays pending, counted
                row.last_error = _why(exc)
                return False
            row.sent_at = dt.datetime.now(dt.UTC)
            row.last_error = ""
            return True

    async def _may(self, session: AsyncSession) -> None:
        if not self.ctx.operator:
            await require(session, self.ctx.actor, Perm.REPORTS)
