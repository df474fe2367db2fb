"""Issue 15, item 6: text another tool stored (raw SQL, no validator) reaches the read
models inert: every control character comes back as a visible placeholder."""

from __future__ import annotations

from sqlalchemy import text

from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from tests.services.factories import make_client, make_store

# OSC 0 retitles the terminal, CSI 2J clears it, and 0x9b is C1's one-byte CSI.
TITLE, CLEAR, CSI = "\x1b]0;PWNED\x07", "\x1b[2J", "\x9b"


async def _store_raw(ctx: ServiceContext, **columns: str) -> int:
    await make_store(ctx)
    client = await make_client(ctx, first_name="Ann", last_name="Lee")
    sets = ", ".join(f"{name} = :{name}" for name in columns)
    async with ctx.transaction() as session:
        await session.execute(
            text(f"UPDATE clients SET {sets} WHERE id = :id"), {**columns, "id": client.id}
        )
    return client.id


def _nul(ctx: ServiceContext) -> str:
    # PostgreSQL's text refuses NUL outright, so only SQLite can hold one.
    return "\x00" if ctx.engine.dialect.name == "sqlite" else ""


async def test_a_client_stored_with_escape_sequences_reads_back_inert(
    ctx: ServiceContext,
) -> None:
    nul = _nul(ctx)
    client_id = await _store_raw(
        ctx,
        first_name=f"Ann{TITLE}",
        last_name=f"Lee{CLEAR}{nul}",
        email=f"ann{CSI}@example.com{nul}",
        notes=f"line one\nline two{TITLE}",
        search_first="ann",
    )
    summary = await Desk(ctx).clients.summary(client_id)
    assert summary.first_name == "Ann␛]0;PWNED␇"
    assert summary.last_name == "Lee␛[2J" + ("␀" if nul else "")
    assert summary.email == "ann\\x9b@example.com" + ("␀" if nul else "")
    # A note keeps its line breaks: only the controls become placeholders.
    assert summary.notes == "line one\nline two␛]0;PWNED␇"

    hits = await Desk(ctx).clients.search("ann")
    assert [h.name for h in hits] == ["Ann␛]0;PWNED␇ Lee␛[2J" + ("␀" if nul else "")]
    assert "\x1b" not in hits[0].email and "\x9b" not in hits[0].email


def test_a_checkout_result_is_inert_in_every_text_field() -> None:
    """A ticket's result is replayed from stored JSON: its line descriptions and the
    names in what it banked or added come back with placeholders, tuples included."""
    from decimal import Decimal

    from frontdesk.domain.checkout import LineKind
    from frontdesk.views.till import CheckoutResult, ResultLine

    zero = Decimal(0)
    line = ResultLine(
        kind=LineKind.SERVICE,
        description="Facial\x1b]0;pwned\x07",
        quantity=1,
        gross=zero,
        discount=zero,
        net=zero,
    )
    result = CheckoutResult.model_validate_json(
        CheckoutResult(
            ticket_id=1,
            idempotency_key="k",
            client_id=1,
            currency="GBP",
            lines=(line,),
            subtotal=zero,
            membership_discount=zero,
            promotion_discount=zero,
            total=zero,
            wallet_applied=zero,
            account_credit_applied=zero,
            tendered=zero,
            change=zero,
            card=zero,
            prepaid_added=(("Peel\x9b2J", 3),),
            units_banked=(("Botox\x00", 10),),
        ).model_dump_json()
    )
    shown = result.model_dump_json()
    for control in ("\x1b", "\x07", "\x9b", "\x00"):
        assert control not in result.lines[0].description + result.prepaid_added[0][0]
        assert control not in result.units_banked[0][0]
    assert "␛" in result.lines[0].description and result.prepaid_added[0][1] == 3
    assert "\\u001b" not in shown
