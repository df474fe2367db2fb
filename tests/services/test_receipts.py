"""Receipts (issue 12, Build 5 and 7): the read model, its one text and its file, both engines."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Ticket
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.write_keys import new_key
from frontdesk.paths import data_dir
from frontdesk.services.checkout.receipts import RECEIPTS_ENV, receipts_dir
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.receipt import receipt_lines
from frontdesk.views.till import CheckoutInput, LineInput, ReceiptTender, TenderInput
from tests.services.test_promotions import add_code
from tests.services.world import World, build_world

D = Decimal
UTC = dt.UTC


@pytest.fixture
async def world(ctx: ServiceContext) -> World:
    return await build_world(ctx)


async def full_ticket(ctx: ServiceContext, w: World) -> int:
    """A facial and 5 massages prepaid (1 used), SPRING10 (10 %), £50 of Beauty Bank, £400
    cash: £90 + £400 = £490, −£49 → £441, −£50 → £391 due, £9 change."""
    desk = Desk(ctx.as_staff(w.desk))
    await desk.balances.adjust_wallet(w.client, D("50"), "Goodwill", key=new_key())
    await add_code(ctx, "SPRING10", percent="10")
    result = await desk.till.complete(
        CheckoutInput(
            idempotency_key="receipt-1",
            client_id=w.client,
            location_id=w.location,
            lines=(
                LineInput(kind=LineKind.SERVICE, service_id=w.facial, staff_id=w.therapist),
                LineInput(kind=LineKind.PREPAID_SALE, service_id=w.massage, quantity=5, qty_used=1),
            ),
            promotion_code="spring10",
            use_wallet=True,
            tenders=(TenderInput(method="cash", amount=D("400.00")),),
        )
    )
    return result.ticket_id


async def test_a_receipt_carries_the_whole_ticket(ctx: ServiceContext, world: World) -> None:
    w = world
    ticket_id = await full_ticket(ctx, w)
    receipt = await Desk(ctx).till.receipt(ticket_id)

    assert (receipt.business_name, receipt.location_name) == ("Test Salon", "Main")
    assert (receipt.staff_name, receipt.terminal, receipt.client_name) == (
        "Dee Desk",
        "test-desk",
        "Amelia Hart",
    )
    assert receipt.at.tzinfo is not None
    assert [(ln.quantity, ln.gross) for ln in receipt.lines] == [(1, D("90.00")), (5, D("400.00"))]
    assert (receipt.subtotal, receipt.promotion_discount, receipt.total) == (
        D("490.00"),
        D("49.00"),
        D("441.00"),
    )
    assert receipt.promotion_code == "SPRING10"
    assert (receipt.wallet_applied, receipt.account_credit_applied) == (D("50.00"), D(0))
    assert receipt.tenders == (ReceiptTender(method="cash", amount=D("400.00")),)
    assert receipt.change == D("9.00")
    assert receipt.left is not None
    assert (receipt.left.wallet, receipt.left.account) == (D("0.00"), D("0.00"))
    assert receipt.left.prepaid == (("Deep Tissue Massage", 4),)
    assert receipt.refund is None

    lines = receipt_lines(receipt, tz=UTC)
    assert lines[0] == "Test Salon"
    assert lines[2] == f"Ticket #{ticket_id} · {receipt.at.astimezone(UTC):%a %d %b %Y %H:%M}"
    assert "Amelia Hart · Served by Dee Desk" in lines
    assert "Promotion SPRING10" + " " * 23 + "−£49.00" in lines
    for expected in ("Subtotal", "Total", "Beauty Bank used", "Cash", "Change"):
        assert any(line.startswith(expected) for line in lines), expected
    assert lines[-1] == "Left: Beauty Bank £0.00 · Account £0.00 · Deep Tissue Massage 4 visits"
    assert all(len(line) == 48 for line in lines[5:-2] if "£" in line)  # amounts aligned
    assert not any("REFUNDED" in line for line in lines)


async def test_a_reprint_shows_the_balances_as_they_were(ctx: ServiceContext, world: World) -> None:
    """Later movements do not change an old receipt's "Left:"."""
    w = world
    ticket_id = await full_ticket(ctx, w)
    first = await Desk(ctx).till.receipt(ticket_id)
    await Desk(ctx.as_staff(w.desk)).balances.adjust_wallet(
        w.client, D("20"), "Birthday", key=new_key()
    )
    assert await Desk(ctx).till.receipt(ticket_id) == first


async def test_a_refunded_receipt_says_so(
    ctx: ServiceContext, world: World, receipts_folder: Path
) -> None:
    w = world
    ticket_id = await full_ticket(ctx, w)
    desk = Desk(ctx.as_staff(w.manager))
    await desk.till.reverse(ticket_id, "Charged the wrong client")

    receipt = await desk.till.receipt(ticket_id)
    assert receipt.refund is not None
    assert (receipt.refund.reason, receipt.refund.staff_name, receipt.refund.terminal) == (
        "Charged the wrong client",
        "Max Manager",
        "test-desk",
    )
    # The cash kept was £391 (£400 less £9 change); the Beauty Bank's £50 goes back.
    assert receipt.refund.paid_back == (ReceiptTender(method="cash", amount=D("391.00")),)
    assert receipt.refund.wallet_returned == D("50.00")
    lines = receipt_lines(receipt, tz=UTC)
    assert lines[0] == "*** REFUNDED: Charged the wrong client ***"
    assert "Reason: Charged the wrong client" in lines
    assert "Cash paid back" + " " * 26 + "−£391.00" in lines
    assert any(line.startswith("Refunded ") and "by Max Manager" in line for line in lines)
    # The file was written again after the refund, and says so too.
    text = (receipts_folder / f"{ticket_id}.txt").read_text(encoding="utf-8")
    assert text == "\n".join(receipt_lines(receipt)) + "\n"
    assert text.startswith("*** REFUNDED")


async def test_the_file_is_written_after_complete(
    ctx: ServiceContext, world: World, receipts_folder: Path
) -> None:
    ticket_id = await full_ticket(ctx, world)
    receipt = await Desk(ctx).till.receipt(ticket_id)
    path = receipts_folder / f"{ticket_id}.txt"
    assert path.read_text(encoding="utf-8") == "\n".join(receipt_lines(receipt)) + "\n"
    assert [p.name for p in receipts_folder.iterdir()] == [f"{ticket_id}.txt"]


async def test_a_failed_write_never_undoes_the_sale(
    ctx: ServiceContext,
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv(RECEIPTS_ENV, str(blocked))
    with caplog.at_level(logging.ERROR):
        ticket_id = await full_ticket(ctx, world)
    assert f"receipt of ticket #{ticket_id} not written" in caplog.text
    async with ctx.read() as s:
        assert await s.scalar(select(func.count()).select_from(Ticket)) == 1
    assert (await Desk(ctx).till.receipt(ticket_id)).total == D("441.00")


async def test_no_receipt_for_a_missing_ticket(ctx: ServiceContext, world: World) -> None:
    with pytest.raises(NotFound):
        await Desk(ctx).till.receipt(999)


async def test_no_receipt_for_an_open_ticket(ctx: ServiceContext, world: World) -> None:
    async with ctx.transaction() as s:
        row = Ticket(idempotency_key="open", client_id=world.client, terminal="t", status="open")
        s.add(row)
        await s.flush()
        open_id = row.id
    with pytest.raises(ValidationError, match="has no receipt"):
        await Desk(ctx).till.receipt(open_id)


async def test_where_the_files_go(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(RECEIPTS_ENV)
    sqlite = ServiceContext.create(create_engine(sqlite_url), terminal="t")
    pg = ServiceContext.create(
        create_engine("postgresql+asyncpg://postgres@127.0.0.1:5432/salon_x"), terminal="t"
    )
    try:
        assert receipts_dir(sqlite) == tmp_path / "receipts"
        assert receipts_dir(pg) == data_dir() / "receipts" / "salon_x"
        monkeypatch.setenv(RECEIPTS_ENV, str(tmp_path / "elsewhere"))
        assert receipts_dir(pg) == tmp_path / "elsewhere"
    finally:
        await sqlite.dispose()
        await pg.dispose()
