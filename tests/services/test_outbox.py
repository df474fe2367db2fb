"""The notifications outbox (issue 16, item 6): a message is queued on each channel the
client takes it on, never on one they opted out of or have no address for; sending marks
it sent, a failing sender leaves it pending and counted. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from frontdesk.db.tables import Client, Notification
from frontdesk.domain.errors import PermissionDenied, ValidationError
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.services.outbox import (
    LOG_FAILED,
    MAX_ATTEMPTS,
    SENDER_FAILED,
    LogFileSender,
    Outgoing,
    SendFailed,
    queue_notification,
)
from tests.services.world import World, build_world


class Recorder:
    def __init__(self) -> None:
        self.sent: list[Outgoing] = []

    async def send(self, message: Outgoing) -> None:
        self.sent.append(message)


class Failing:
    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    async def send(self, message: Outgoing) -> None:
        raise self.exc


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def queue(ctx: ServiceContext, client: int, category: str, text: str) -> list[int]:
    async with ctx.transaction() as s:
        return await queue_notification(s, client, category, text)


async def rows(ctx: ServiceContext) -> list[tuple[int, str, str, str]]:
    async with ctx.read() as s:
        found = await s.execute(
            select(
                Notification.client_id,
                Notification.channel,
                Notification.category,
                Notification.text,
            ).order_by(Notification.id)
        )
        return [tuple(r) for r in found.all()]  # type: ignore[misc]


async def test_a_message_is_queued_on_every_channel(ctx: ServiceContext, world: World) -> None:
    ids = await queue(ctx, world.client, "account", "Your wallet just grew!")
    assert len(ids) == 2
    assert await rows(ctx) == [
        (world.client, "email", "account", "Your wallet just grew!"),
        (world.client, "sms", "account", "Your wallet just grew!"),
    ]
    page = await Desk(ctx.as_staff(world.manager)).outbox.list()
    assert (page.total, page.pending) == (2, 2)
    assert [m.id for m in page.messages] == sorted(ids, reverse=True)  # newest first
    assert all(not m.sent and m.client_name for m in page.messages)


async def test_an_opted_out_client_gets_no_outbox_row_for_that_channel(
    ctx: ServiceContext, world: World
) -> None:
    """Issue 16, must show: the opt-out is per channel and per category."""
    desk = Desk(ctx.as_staff(world.desk))
    await desk.profile.set_notification(world.client, "sms", "account", False)
    ids = await queue(ctx, world.client, "account", "Your wallet just grew!")
    assert len(ids) == 1
    assert await rows(ctx) == [(world.client, "email", "account", "Your wallet just grew!")]
    # The other category still reaches both channels; opting back in restores sms.
    await queue(ctx, world.client, "schedule", "See you tomorrow")
    await desk.profile.set_notification(world.client, "sms", "account", True)
    await queue(ctx, world.client, "account", "Choose your monthly benefit")
    channels = [(ch, cat) for _c, ch, cat, _t in await rows(ctx)]
    assert channels[1:] == [
        ("email", "schedule"),
        ("sms", "schedule"),
        ("email", "account"),
        ("sms", "account"),
    ]
    # Opted out of every channel: nothing at all.
    await desk.profile.set_notification(world.other_client, "email", "news", False)
    await desk.profile.set_notification(world.other_client, "sms", "news", False)
    assert await queue(ctx, world.other_client, "news", "Spring offers") == []


async def test_a_channel_without_an_address_gets_no_row(ctx: ServiceContext, world: World) -> None:
    async with ctx.transaction() as s:
        await s.execute(update(Client).where(Client.id == world.client).values(email=""))
        await s.execute(update(Client).where(Client.id == world.other_client).values(phone=" "))
    await queue(ctx, world.client, "account", "Hello")
    await queue(ctx, world.other_client, "account", "Hello")
    assert [(c, ch) for c, ch, _cat, _t in await rows(ctx)] == [
        (world.client, "sms"),
        (world.other_client, "email"),
    ]


async def test_queueing_is_part_of_the_callers_transaction(
    ctx: ServiceContext, world: World
) -> None:
    with pytest.raises(RuntimeError):
        async with ctx.transaction() as s:
            await queue_notification(s, world.client, "account", "Never sent")
            raise RuntimeError("the caller's write failed")
    assert await rows(ctx) == []


@pytest.mark.parametrize(
    ("category", "text", "field"),
    [("promotions", "Hi", "category"), ("news", "   ", "text"), ("news", "a\x1b[2Jb", "text")],
)
async def test_bad_category_or_text_is_refused_and_nothing_queued(
    ctx: ServiceContext, world: World, category: str, text: str, field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        await queue(ctx, world.client, category, text)
    assert err.value.field == field
    assert await rows(ctx) == []


async def test_stored_text_is_inert_when_listed(ctx: ServiceContext, world: World) -> None:
    await queue(ctx, world.client, "news", "[@click=app.quit]Hi[/]")
    async with ctx.transaction() as s:  # written by another tool, raw
        await s.execute(update(Notification).values(text="evil\x1b]0;owned\x07 text"))
    page = await Desk(ctx.as_staff(world.manager)).outbox.list()
    assert {m.text for m in page.messages} == {"evil␛]0;owned␇ text"}


async def test_send_marks_sent_and_a_second_run_sends_nothing(
    ctx: ServiceContext, world: World
) -> None:
    await queue(ctx, world.client, "account", "Your wallet just grew!")
    outbox = Desk(ctx.as_staff(world.manager)).outbox
    sender = Recorder()
    report = await outbox.send_pending(sender)
    assert (report.sent, report.failed) == (2, 0)
    async with ctx.read() as s:
        client = await s.get(Client, world.client)
        assert client is not None
        addresses = {("email", client.email), ("sms", client.phone)}
    assert {(m.channel, m.address) for m in sender.sent} == addresses
    page = await outbox.list()
    assert page.pending == 0 and all(m.sent and m.attempts == 1 for m in page.messages)
    again = await outbox.send_pending(sender)
    assert (again.sent, again.failed, len(sender.sent)) == (0, 0, 2)


@pytest.mark.parametrize(
    ("exc", "why"),
    [
        (SendFailed("Gateway said no"), "Gateway said no"),
        (OSError("asyncpg.exceptions.ConnectionDoesNotExistError: boom"), SENDER_FAILED),
    ],
)
async def test_a_failing_sender_leaves_it_pending_and_counts_the_attempt(
    ctx: ServiceContext, world: World, exc: Exception, why: str
) -> None:
    await queue(ctx, world.client, "schedule", "See you tomorrow")
    outbox = Desk(ctx.as_staff(world.manager)).outbox
    report = await outbox.send_pending(Failing(exc))
    assert (report.sent, report.failed) == (0, 2)
    page = await outbox.list()
    assert page.pending == 2
    assert {(m.attempts, m.last_error, m.sent) for m in page.messages} == {(1, why, False)}
    assert "failed" in str(report)
    later = await outbox.send_pending(Recorder())
    assert later.sent == 2
    page = await outbox.list()
    assert {(m.attempts, m.last_error, m.sent) for m in page.messages} == {(2, "", True)}


async def test_a_run_stops_trying_after_max_attempts(ctx: ServiceContext, world: World) -> None:
    await queue(ctx, world.client, "schedule", "See you tomorrow")
    outbox = Desk(ctx.as_staff(world.manager)).outbox
    for _ in range(MAX_ATTEMPTS):
        await outbox.send_pending(Failing(SendFailed("down")))
    report = await outbox.send_pending(Recorder())
    assert (report.sent, report.failed) == (0, 0)
    assert (await outbox.list()).pending == 2


async def test_the_log_sender_appends_one_inert_line_per_message(
    ctx: ServiceContext, world: World, tmp_path: Path
) -> None:
    await queue(ctx, world.client, "account", "Your wallet\njust grew!")
    log = tmp_path / "logs" / "outbox.log"
    report = await Desk(ctx.as_staff(world.manager)).outbox.send_pending(LogFileSender(log))
    assert report.sent == 2
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert all("[account] Your wallet␊just grew!" in line for line in lines)
    assert " email to=" in lines[0] and " sms to=" in lines[1]


async def test_a_log_file_that_cannot_be_written_is_a_failure_in_our_words(
    ctx: ServiceContext, world: World, tmp_path: Path
) -> None:
    await queue(ctx, world.client, "account", "Hi")
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    outbox = Desk(ctx.as_staff(world.manager)).outbox
    report = await outbox.send_pending(LogFileSender(blocked / "outbox.log"))
    assert report.failed == 2
    assert {m.last_error for m in (await outbox.list()).messages} == {LOG_FAILED}


async def test_the_front_desk_may_not_read_or_send_the_outbox(
    ctx: ServiceContext, world: World
) -> None:
    await queue(ctx, world.client, "account", "Hi")
    outbox = Desk(ctx.as_staff(world.desk)).outbox
    with pytest.raises(PermissionDenied):
        await outbox.list()
    with pytest.raises(PermissionDenied):
        await outbox.send_pending(Recorder())
    operator = Desk(ServiceContext.create(ctx.engine, terminal="cron", operator=True))
    assert (await operator.outbox.send_pending(Recorder())).sent == 2
