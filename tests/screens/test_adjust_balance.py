"""The Adjust Beauty Bank / account balance modal and Pay Balance, driven with the keyboard."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

import pytest
from sqlalchemy import update
from textual.pilot import Pilot
from textual.widgets import Button, Input

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import StoreSettings
from frontdesk.domain.errors import KeyReused, Unavailable
from frontdesk.domain.money import MAX_AMOUNT
from frontdesk.domain.money_context import MoneyContext
from frontdesk.services.stored_value import Balances
from frontdesk.views.balances import BalanceChange
from frontdesk.views.staff import Approval
from screens.adjust_balance import AdjustBalanceModal, AdjustKind
from screens.pay_balance import PayBalanceModal
from tests.money import TEST_MONEY, amount, money, typed
from tests.screens.profile_fixtures import (
    SIZE,
    ProfileClinic,
    ProfileHost,
    build_profile_clinic_at,
    ledger_count,
    text_of,
)
from tests.waiting import wait_until


@pytest.fixture
async def clinic(sqlite_url: str) -> ProfileClinic:
    return await build_profile_clinic_at(sqlite_url)


def modal_app(
    url: str,
    client_id: int,
    kind: AdjustKind = "wallet",
    balance: str = "40.00",
    *,
    may_go_negative: bool = False,
    staff_id: int | None = None,
) -> ProfileHost:
    return ProfileHost(
        url,
        lambda desk: AdjustBalanceModal(
            desk, client_id, kind, amount(balance), TEST_MONEY, may_go_negative
        ),
        staff_id=staff_id,
    )


def modal(app: ProfileHost) -> AdjustBalanceModal:
    screen = app.screen
    assert isinstance(screen, AdjustBalanceModal), screen
    return screen


def field_error(app: ProfileHost, field: str) -> str:
    screen = app.screen
    return screen.error_of(field) if isinstance(screen, AdjustBalanceModal) else ""


async def dialog_open(pilot: Pilot[None]) -> None:
    await wait_until(
        pilot,
        lambda: isinstance(pilot.app.screen, AdjustBalanceModal | PayBalanceModal),
        what="the balance dialog",
    )


async def test_wallet_credit_writes_one_entry(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = modal_app(sqlite_url, clinic.ann_id, staff_id=clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        assert text_of(app, "#adjust-title") == "Adjust Beauty Bank Balance"
        assert text_of(app, "#amount-help") == "Positive = credit · Negative = deduct."
        before = await ledger_count(sqlite_url)
        await pilot.press(*typed("25"))
        assert (
            text_of(app, "#adjust-preview")
            == f"Credit {money('25.00')} → new balance {money('65.00')}"
        )
        await pilot.press("tab", *"Goodwill", "enter")
        await wait_until(pilot, lambda: app.results, what="the dialog closed with its change")
        assert len(app.results) == 1
        change = app.results[0]
        assert isinstance(change, BalanceChange)
        assert change.entry.amount == amount("25.00")
        assert change.entry.description == "Goodwill"
        assert change.balance_after == amount("65.00")
        assert await ledger_count(sqlite_url) == before + 1


async def test_deduct_preview_puts_the_sign_in_words(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = modal_app(sqlite_url, clinic.ann_id, balance="50.00")
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        await pilot.press(*typed("-10"))
        assert (
            text_of(app, "#adjust-preview")
            == f"Deduct {money('10.00')} → new balance {money('40.00')}"
        )


BAD_INPUTS = [
    ("amount", "1,5", "Thousands separators are in the wrong place"),
    ("amount", "NaN", "Type the amount as digits"),
    ("amount", "1e3", "Type the amount as digits"),
    ("amount", "٣", "Type the amount with the digits 0-9"),
    ("amount", "-0", "Amount must not be zero"),
    ("amount", "0", "Amount must not be zero"),
    # "GBP amounts have at most 2 decimal places", "JPY amounts are whole numbers"
    ("amount", "12.345", f"{TEST_MONEY.currency} amounts "),
    (
        "amount",
        TEST_MONEY.for_input(MAX_AMOUNT + TEST_MONEY.from_minor(1)),
        f"Amount must be at most {TEST_MONEY.format(MAX_AMOUNT)}",
    ),
    ("description", "", "Enter a description"),
]


@pytest.mark.parametrize(("field", "typed", "message"), BAD_INPUTS)
async def test_bad_input_is_shown_at_the_field_and_nothing_is_written(
    sqlite_url: str, clinic: ProfileClinic, field: str, typed: str, message: str
) -> None:
    app = modal_app(sqlite_url, clinic.ann_id)
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        before = await ledger_count(sqlite_url)
        amount_text = typed if field == "amount" else "25"
        description = typed if field == "description" else "Goodwill"
        app.screen.query_one("#amount", Input).value = amount_text
        app.screen.query_one("#description", Input).value = description
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: message in field_error(app, field), what=f"the error at {field}"
        )
        screen = modal(app)
        assert message in screen.error_of(field), screen.error_of(field)
        assert screen.calls == 0
        assert app.results == []
        assert await ledger_count(sqlite_url) == before


@pytest.mark.parametrize(("field", "typed", "message"), BAD_INPUTS)
async def test_account_bad_input_is_refused_too(
    sqlite_url: str, clinic: ProfileClinic, field: str, typed: str, message: str
) -> None:
    app = modal_app(sqlite_url, clinic.ann_id, "account", "-30.00")
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        before = await ledger_count(sqlite_url)
        app.screen.query_one("#amount", Input).value = typed if field == "amount" else "25"
        app.screen.query_one("#reason", Input).value = typed if field == "description" else "x"
        await pilot.pause()
        await pilot.press("ctrl+s")
        target = "reason" if field == "description" else "amount"
        # Negative amounts are refused outright for the account kind (positive only).
        expected = "Amount must be more than zero" if typed in ("0", "-0") else message
        await wait_until(
            pilot, lambda: expected in field_error(app, target), what=f"the error at {target}"
        )
        error = modal(app).error_of(target)
        assert expected in error, error
        assert await ledger_count(sqlite_url) == before


async def test_below_zero_refused_by_the_service_naming_the_permission(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    """Front desk may adjust the Beauty Bank but not take it below zero: nothing to confirm,
    the service refuses and the refusal names the permission at the Amount."""
    app = modal_app(sqlite_url, clinic.ann_id, may_go_negative=False, staff_id=clinic.reception_id)
    refusal = "You need the “deduct below zero” permission to do this"
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        before = await ledger_count(sqlite_url)
        await pilot.press(*typed("-45"), "tab", *"Correction", "enter")
        await wait_until(
            pilot, lambda: field_error(app, "amount") == refusal, what="the amount refused"
        )
        assert "Press Confirm again" not in text_of(app, "#adjust-message")
        assert modal(app).calls == 1  # the refusal is the service's
        app.screen.query_one("#adjust-confirm", Button).focus()
        await pilot.press("enter")  # again: still refused
        await wait_until(pilot, lambda: modal(app).calls == 2, what="asked again")
        await wait_until(pilot, lambda: field_error(app, "amount") == refusal, what="still refused")
        assert app.results == []
        assert await ledger_count(sqlite_url) == before


async def test_below_zero_needs_permission_and_a_second_confirm(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = modal_app(sqlite_url, clinic.ann_id, may_go_negative=True, staff_id=clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        before = await ledger_count(sqlite_url)
        await pilot.press(*typed("-45"), "tab", *"Correction", "enter")
        await wait_until(
            pilot,
            lambda: "Press Confirm again" in text_of(app, "#adjust-message"),
            what="the second-confirm prompt",
        )
        assert text_of(app, "#adjust-message") == (
            f"This takes the Beauty Bank to −{money('5.00')}. Press Confirm again to go below zero."
        )
        assert app.results == [] and await ledger_count(sqlite_url) == before
        await pilot.press("enter")  # focus is on Confirm now
        await wait_until(pilot, lambda: app.results, what="the dialog closed with its change")
        change = app.results[0]
        assert isinstance(change, BalanceChange)
        assert change.balance_after == amount("-5.00")
        assert await ledger_count(sqlite_url) == before + 1


async def test_changing_the_amount_asks_for_confirmation_again(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = modal_app(sqlite_url, clinic.ann_id, may_go_negative=True, staff_id=clinic.manager_id)
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        await pilot.press(*typed("-45"), "tab", *"Correction", "enter")
        await wait_until(
            pilot,
            lambda: "Press Confirm again" in text_of(app, "#adjust-message"),
            what="the second-confirm prompt",
        )
        app.screen.query_one("#amount", Input).value = typed("-50")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: f"−{money('10.00')}" in text_of(app, "#adjust-message"),
            what="the new amount to confirm",
        )
        assert f"−{money('10.00')}" in text_of(app, "#adjust-message")
        assert app.results == []


class FailingBalances(Balances):
    async def adjust_wallet(
        self,
        client_id: int,
        delta: Decimal,
        description: str,
        *,
        key: str,
        allow_negative: bool = False,
        approval: Approval | None = None,
    ) -> BalanceChange:
        raise RuntimeError("database went away\nTraceback (most recent call last): ...")


async def test_service_errors_are_shown_in_the_modal(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = ProfileHost(
        sqlite_url,
        lambda s: AdjustBalanceModal(
            s, clinic.ann_id, "wallet", amount("40.00"), TEST_MONEY, False
        ),
        areas={"balances": FailingBalances},
    )
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        await pilot.press(*typed("25"), "tab", *"Goodwill", "enter")
        await wait_until(
            pilot,
            lambda: text_of(app, "#adjust-message").startswith("Could not save"),
            what="the error in the dialog",
        )
        message = text_of(app, "#adjust-message")
        assert message == "Could not save: Something went wrong — nothing was saved; try again"
        assert "Traceback" not in message
        assert app.results == []


class LostAnswerBalances(Balances):
    """Writes, then loses the first answer on its way back (the commit happened)."""

    keys: ClassVar[list[str]] = []

    async def adjust_wallet(
        self,
        client_id: int,
        delta: Decimal,
        description: str,
        *,
        key: str,
        allow_negative: bool = False,
        approval: Approval | None = None,
    ) -> BalanceChange:
        type(self).keys.append(key)
        change = await super().adjust_wallet(
            client_id,
            delta,
            description,
            key=key,
            allow_negative=allow_negative,
            approval=approval,
        )
        if len(type(self).keys) == 1:
            raise Unavailable("The database connection was lost; try again")
        return change


def lost_answer_app(url: str, clinic: ProfileClinic) -> ProfileHost:
    LostAnswerBalances.keys = []
    return ProfileHost(
        url,
        lambda s: AdjustBalanceModal(
            s, clinic.ann_id, "wallet", amount("40.00"), TEST_MONEY, False
        ),
        areas={"balances": LostAnswerBalances},
        staff_id=clinic.reception_id,
    )


async def test_a_retry_after_a_lost_answer_writes_one_entry(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = lost_answer_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        before = await ledger_count(sqlite_url)
        await pilot.press(*typed("25"), "tab", *"Goodwill", "enter")
        await wait_until(
            pilot,
            lambda: "connection was lost" in text_of(app, "#adjust-message"),
            what="the lost answer in the dialog",
        )
        assert await ledger_count(sqlite_url) == before + 1  # it was written all the same
        await pilot.press("enter")  # try again, as the message says
        await wait_until(pilot, lambda: app.results, what="the dialog closed with its change")
        change = app.results[0]
        assert isinstance(change, BalanceChange) and change.replayed
        assert change.entry.amount == amount("25.00")
        assert LostAnswerBalances.keys[0] == LostAnswerBalances.keys[1]
    assert await ledger_count(sqlite_url) == before + 1


async def test_a_retry_with_another_amount_is_refused_not_replayed(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = lost_answer_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        before = await ledger_count(sqlite_url)
        await pilot.press(*typed("25"), "tab", *"Goodwill", "enter")
        await wait_until(
            pilot,
            lambda: "connection was lost" in text_of(app, "#adjust-message"),
            what="the lost answer in the dialog",
        )
        app.screen.query_one("#amount", Input).value = typed("30")
        app.screen.query_one("#description", Input).focus()
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "start again" in text_of(app, "#adjust-message"),
            what="the refusal in the dialog",
        )
        assert text_of(app, "#adjust-message") == str(KeyReused())
        assert app.results == []
    assert await ledger_count(sqlite_url) == before + 1


async def test_double_enter_writes_one_entry(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = modal_app(sqlite_url, clinic.ann_id, staff_id=clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        before = await ledger_count(sqlite_url)
        await pilot.press(*typed("25"), "tab", *"Goodwill", "enter", "enter")
        await wait_until(pilot, lambda: app.results, what="the dialog closed with its change")
        await app.workers.wait_for_complete()
        assert len(app.results) == 1
    assert await ledger_count(sqlite_url) == before + 1


async def test_account_credit_and_charge_previews_and_save(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    app = modal_app(sqlite_url, clinic.ann_id, "account", "25.00", staff_id=clinic.reception_id)
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        assert text_of(app, "#adjust-title") == "Adjust Account Balance"
        await pilot.press(*typed("20"))
        assert (
            text_of(app, "#adjust-preview")
            == f"Credit {money('20.00')} → new balance {money('45.00')}"
        )
        app.screen.query_one("#direction-charge").value = True  # type: ignore[attr-defined]
        app.screen.query_one("#amount", Input).value = typed("30")
        await pilot.pause()
        assert (
            text_of(app, "#adjust-preview")
            == f"Charge {money('30.00')} → client owes {money('5.00')}"
        )
        before = await ledger_count(sqlite_url)
        await pilot.press("tab")
        app.screen.query_one("#reason", Input).focus()
        await pilot.press(*"Late cancellation fee", "enter")
        await wait_until(pilot, lambda: app.results, what="the dialog closed with its change")
        change = app.results[0]
        assert isinstance(change, BalanceChange)
        assert change.entry.amount == amount("-30.00")
        assert await ledger_count(sqlite_url) == before + 1


async def test_escape_writes_nothing(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = modal_app(sqlite_url, clinic.ann_id)
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        before = await ledger_count(sqlite_url)
        await pilot.press(*typed("25"), "escape")
        await wait_until(pilot, lambda: app.results, what="the dialog closed")
        assert app.results == [None]
        assert await ledger_count(sqlite_url) == before


async def test_pay_balance_defaults_to_what_is_owed(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = ProfileHost(
        sqlite_url,
        lambda s: PayBalanceModal(s, clinic.ann_id, amount("30.00"), TEST_MONEY),
        staff_id=clinic.reception_id,
    )
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        assert app.screen.query_one("#amount", Input).value == typed("30.00")
        before = await ledger_count(sqlite_url)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.results, what="the dialog closed with the payment")
        change = app.results[0]
        assert isinstance(change, BalanceChange)
        assert change.balance_after == amount("0.00")
        assert change.entry.description == "Payment towards balance owed (card)"
        assert await ledger_count(sqlite_url) == before + 1


class LostPaymentAnswer(Balances):
    """Takes the payment, then loses the first answer on its way back."""

    keys: ClassVar[list[str]] = []

    async def pay_balance(
        self,
        client_id: int,
        amount: Decimal,
        method: Literal["card", "cash", "other"],
        *,
        key: str,
        at_kiosk: bool = False,
    ) -> BalanceChange:
        type(self).keys.append(key)
        change = await super().pay_balance(client_id, amount, method, key=key, at_kiosk=at_kiosk)
        if len(type(self).keys) == 1:
            raise Unavailable("The database connection was lost; try again")
        return change


async def test_pay_balance_retry_after_a_lost_answer_takes_one_payment(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    LostPaymentAnswer.keys = []
    app = ProfileHost(
        sqlite_url,
        lambda s: PayBalanceModal(s, clinic.ann_id, amount("30.00"), TEST_MONEY),
        areas={"balances": LostPaymentAnswer},
        staff_id=clinic.reception_id,
    )
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        before = await ledger_count(sqlite_url)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "connection was lost" in text_of(app, "#adjust-message"),
            what="the lost answer in the dialog",
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.results, what="the dialog closed with the payment")
        change = app.results[0]
        assert isinstance(change, BalanceChange) and change.replayed
        assert change.balance_after == amount("0.00")
        assert len(set(LostPaymentAnswer.keys)) == 1 and len(LostPaymentAnswer.keys) == 2
    assert await ledger_count(sqlite_url) == before + 1


async def test_pay_balance_refuses_bad_amounts(sqlite_url: str, clinic: ProfileClinic) -> None:
    app = ProfileHost(
        sqlite_url, lambda s: PayBalanceModal(s, clinic.ann_id, amount("30.00"), TEST_MONEY)
    )
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        app.screen.query_one("#amount", Input).value = "1e3"
        before = await ledger_count(sqlite_url)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "Type the amount as digits" in text_of(app, "#amount-error"),
            what="the amount refused",
        )
        assert "Type the amount as digits" in text_of(app, "#amount-error")
        assert app.results == [] and await ledger_count(sqlite_url) == before


async def set_store_money(url: str, currency: str, locale: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(update(StoreSettings).values(currency=currency, locale=locale))
    finally:
        await engine.dispose()


async def test_a_jpy_store_s_pay_balance_prefill_is_accepted(
    sqlite_url: str, clinic: ProfileClinic
) -> None:
    """Issue 14: a JPY store's Pay Balance pre-filled "3000.00", which its own parser
    refused. The box now holds what the store's parser reads back: "3000"."""
    await set_store_money(sqlite_url, "JPY", "ja_JP")
    jpy = MoneyContext("JPY", "ja_JP")
    app = ProfileHost(
        sqlite_url,
        lambda s: PayBalanceModal(s, clinic.ann_id, Decimal(3000), jpy),
        staff_id=clinic.reception_id,
    )
    async with app.run_test(size=SIZE) as pilot:
        await dialog_open(pilot)
        assert app.screen.query_one("#amount", Input).value == "3000"
        assert text_of(app, "#adjust-now") == "Client owes ￥3,000"
        before = await ledger_count(sqlite_url)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.results, what="the dialog closed with the payment")
        change = app.results[0]
        assert isinstance(change, BalanceChange)
        assert change.entry.amount == Decimal(3000)
        assert change.balance_after == Decimal(0)
        assert await ledger_count(sqlite_url) == before + 1
