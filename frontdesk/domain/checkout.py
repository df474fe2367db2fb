"""The checkout order: how a ticket's lines become what the client pays, and with what.

One pure function owns the order so every screen, receipt and report agrees on it:

1. **Subtotal** - each line's gross is unit price x quantity.
2. **Membership discount** - the plan's percentage, per line, on discountable lines only.
   Never discounted: owned add-on units and redeemed prepaid visits (already paid for,
   priced 0.00), membership payments themselves, and account-credit purchases (a discount
   there would hand out money).
3. **Promotion** - a percentage (per line, like the membership discount) or a fixed amount
   capped at what the discountable lines still cost and spread across them in proportion
   with largest-remainder rounding, so the per-line shares add up to the promotion exactly.
4. **Beauty Bank wallet** - only when the client chose to use it ("never taken without the
   patient's action"): the amount asked for, or as much as possible, never more than the
   balance or what is left to pay.
5. **Account credit** - only when chosen; never pays a first membership payment (seed: "any
   payment that is not an initial/first plan payment") nor a purchase of account credit
   (buying credit with credit only moves money in a circle).
6. **Tenders** - card, cash and other, split as staff like. Together they must cover what
   is due; card and other may not exceed it; only cash can be over, and the excess is
   change.

Each discount is rounded half-up to the minor unit on each line as it is taken, and all
later arithmetic is in integer minor units, so every total is the exact sum of its parts.

Worked example (Glovora's): £90 treatment, 15% membership discount, £35 in the Beauty
Bank -> total £76.50, wallet £35.00, card £41.50.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Literal, get_args

from frontdesk.domain.errors import InsufficientBalance, ValidationError
from frontdesk.domain.money import (
    allocate_minor,
    format_money,
    from_minor,
    percent_of,
    to_minor,
)

TenderMethod = Literal["card", "cash", "other"]
TENDER_METHODS: tuple[TenderMethod, ...] = get_args(TenderMethod)

_HUNDRED = Decimal(100)


class LineKind(StrEnum):
    SERVICE = "service"
    PRODUCT = "product"
    ADDON_BUY = "addon_buy"
    ADDON_USE = "addon_use"
    PREPAID_SALE = "prepaid_sale"
    PREPAID_REDEEM = "prepaid_redeem"
    MEMBERSHIP_FIRST = "membership_first"
    MEMBERSHIP_RENEWAL = "membership_renewal"
    ACCOUNT_CREDIT_PURCHASE = "account_credit_purchase"
    BANKED_UNITS_PURCHASE = "banked_units_purchase"


# Already paid for (units from the bank, visits from a package): they go on the ticket so
# the visit is recorded, but charging for them again would bill the client twice.
ALREADY_PAID_KINDS = frozenset({LineKind.ADDON_USE, LineKind.PREPAID_REDEEM})

NEVER_DISCOUNTED_KINDS = ALREADY_PAID_KINDS | {
    LineKind.MEMBERSHIP_FIRST,
    LineKind.MEMBERSHIP_RENEWAL,
    LineKind.ACCOUNT_CREDIT_PURCHASE,
}

NOT_PAYABLE_BY_ACCOUNT_CREDIT_KINDS = frozenset(
    {LineKind.MEMBERSHIP_FIRST, LineKind.ACCOUNT_CREDIT_PURCHASE}
)


@dataclass(frozen=True, slots=True)
class CheckoutLine:
    """One ticket line as priced; ``key`` identifies it in the result (e.g. a line id)."""

    key: str
    kind: LineKind
    description: str
    unit_price: Decimal
    quantity: int
    discount_eligible: bool = True
    staff_id: int | None = None

    @property
    def discountable(self) -> bool:
        """Whether membership and promotion discounts may touch this line."""
        return self.discount_eligible and self.kind not in NEVER_DISCOUNTED_KINDS


@dataclass(frozen=True, slots=True)
class Promotion:
    """A promotional offer: exactly one of ``percent`` (0-100] or ``fixed`` (> 0)."""

    percent: Decimal | None = None
    fixed: Decimal | None = None

    def __post_init__(self) -> None:
        if (self.percent is None) == (self.fixed is None):
            raise ValidationError("promotion", "A promotion is either a percentage or an amount")
        if self.percent is not None and not Decimal(0) < self.percent <= _HUNDRED:
            raise ValidationError(
                "promotion", "Promotion percentage must be above 0 and at most 100"
            )
        if self.fixed is not None and not self.fixed > 0:
            raise ValidationError("promotion", "Promotion amount must be more than zero")


@dataclass(frozen=True, slots=True)
class Tender:
    """Money handed over at the desk by one method."""

    method: TenderMethod
    amount: Decimal

    def __post_init__(self) -> None:
        if self.method not in TENDER_METHODS:
            raise ValidationError("tenders", f"Unknown payment method: {self.method}")
        if not self.amount > 0:
            raise ValidationError("tenders", "Each payment must be more than zero")


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    """Everything the checkout order needs; balances are those read for this checkout.

    ``wallet_amount`` None means "as much of the Beauty Bank as possible".
    ``account_credit_balance`` is credit the client holds (positive = money for them).
    """

    lines: tuple[CheckoutLine, ...]
    # The store's pair (no default): currency for the arithmetic, locale for messages.
    currency: str
    locale: str
    membership_discount_percent: Decimal = Decimal(0)
    promotion: Promotion | None = None
    use_wallet: bool = False
    wallet_balance: Decimal = Decimal(0)
    wallet_amount: Decimal | None = None
    use_account_credit: bool = False
    account_credit_balance: Decimal = Decimal(0)
    tenders: tuple[Tender, ...] = ()


@dataclass(frozen=True, slots=True)
class LineTotals:
    """One line's arithmetic: ``gross - membership_discount - promotion_discount == net``."""

    key: str
    kind: LineKind
    gross: Decimal
    membership_discount: Decimal
    promotion_discount: Decimal
    net: Decimal


@dataclass(frozen=True, slots=True)
class CheckoutTotals:
    """The result of the checkout order; every amount carries the currency's decimals."""

    currency: str
    lines: tuple[LineTotals, ...]
    subtotal: Decimal
    membership_discount: Decimal
    promotion_discount: Decimal
    total_after_discounts: Decimal
    wallet_applied: Decimal
    account_credit_applied: Decimal
    due_after_stored_value: Decimal
    tenders: tuple[Tender, ...]
    tendered: Decimal
    change: Decimal

    @property
    def paid_plus_stored(self) -> Decimal:
        """What the client actually parted with: stored value plus tenders, less change."""
        return self.wallet_applied + self.account_credit_applied + self.tendered - self.change

    def tendered_by(self, method: TenderMethod) -> Decimal:
        """Total handed over by ``method``, e.g. the card amount to key into the terminal."""
        return sum(
            (t.amount for t in self.tenders if t.method == method),
            start=from_minor(0, self.currency),
        )


def _minor(amount: Decimal, field: str, currency: str) -> int:
    try:
        return to_minor(amount, currency)
    except ValueError:
        raise ValidationError(
            field, f"{amount} has more decimal places than {currency} allows"
        ) from None


def _price(request: CheckoutRequest) -> tuple[CheckoutTotals, int]:
    """Steps 1-5; returns the totals and the amount still due in minor units."""
    _check_request(request)
    currency = request.currency
    gross, membership = _gross_and_membership(request)
    after_membership = [g - m for g, m in zip(gross, membership, strict=True)]
    promotion = _promotion(request, after_membership)
    net = [a - p for a, p in zip(after_membership, promotion, strict=True)]
    total = sum(net)
    wallet = _wallet(request, total)
    credit = _account_credit(request, net, total - wallet)
    due = total - wallet - credit
    line_totals = tuple(
        LineTotals(
            key=line.key,
            kind=line.kind,
            gross=from_minor(g, currency),
            membership_discount=from_minor(m, currency),
            promotion_discount=from_minor(p, currency),
            net=from_minor(n, currency),
        )
        for line, g, m, p, n in zip(request.lines, gross, membership, promotion, net, strict=True)
    )
    totals = CheckoutTotals(
        currency=currency,
        lines=line_totals,
        subtotal=from_minor(sum(gross), currency),
        membership_discount=from_minor(sum(membership), currency),
        promotion_discount=from_minor(sum(promotion), currency),
        total_after_discounts=from_minor(total, currency),
        wallet_applied=from_minor(wallet, currency),
        account_credit_applied=from_minor(credit, currency),
        due_after_stored_value=from_minor(due, currency),
        tenders=(),
        tendered=from_minor(0, currency),
        change=from_minor(0, currency),
    )
    return totals, due


def _check_request(request: CheckoutRequest) -> None:
    keys = [line.key for line in request.lines]
    if len(set(keys)) != len(keys):
        raise ValueError("Checkout line keys must be unique")
    percent = request.membership_discount_percent
    if not Decimal(0) <= percent <= _HUNDRED:
        raise ValidationError(
            "membership_discount_percent", "Membership discount must be between 0 and 100%"
        )


def _gross_and_membership(request: CheckoutRequest) -> tuple[list[int], list[int]]:
    """Steps 1-2: gross and membership discount, per line."""
    currency = request.currency
    percent = request.membership_discount_percent
    gross: list[int] = []
    membership: list[int] = []
    for line in request.lines:
        line_gross = _line_gross(line, currency)
        gross.append(line_gross)
        discount = 0
        if line.discountable and percent:
            discount = to_minor(
                percent_of(from_minor(line_gross, currency), percent, currency), currency
            )
        membership.append(discount)
    return gross, membership


def _line_gross(line: CheckoutLine, currency: str) -> int:
    if line.quantity < 1:
        raise ValidationError("quantity", f"{line.description}: quantity must be at least 1")
    if line.unit_price < 0:
        raise ValidationError("unit_price", f"{line.description}: price must not be negative")
    if line.kind in ALREADY_PAID_KINDS and line.unit_price != 0:
        raise ValidationError(
            "unit_price", f"{line.description}: already paid for, so it is priced at 0.00"
        )
    return _minor(line.unit_price, "unit_price", currency) * line.quantity


def _promotion(request: CheckoutRequest, after_membership: list[int]) -> list[int]:
    """Step 3: promotion, over the discountable lines only."""
    currency = request.currency
    promotion = [0 for _ in request.lines]
    promo = request.promotion
    if promo is None:
        return promotion
    eligible = [i for i, line in enumerate(request.lines) if line.discountable]
    if promo.percent is not None:
        for i in eligible:
            share = percent_of(from_minor(after_membership[i], currency), promo.percent, currency)
            promotion[i] = to_minor(share, currency)
    elif promo.fixed is not None:
        weights = [after_membership[i] for i in eligible]
        amount = min(_minor(promo.fixed, "promotion", currency), sum(weights))
        for i, share_minor in zip(eligible, allocate_minor(amount, weights), strict=True):
            promotion[i] = share_minor
    return promotion


def _wallet(request: CheckoutRequest, total: int) -> int:
    """Step 4: Beauty Bank wallet, only on the client's say-so."""
    if not request.use_wallet:
        return 0
    currency = request.currency
    balance = max(_minor(request.wallet_balance, "wallet_balance", currency), 0)
    if request.wallet_amount is None:
        wanted = balance
    else:
        wanted = _minor(request.wallet_amount, "wallet_amount", currency)
        if wanted < 0:
            raise ValidationError("wallet_amount", "Beauty Bank amount must not be negative")
        if wanted > balance:
            available = from_minor(balance, currency)
            shown = format_money(available, currency, request.locale)
            raise InsufficientBalance(
                available=available,
                requested=request.wallet_amount,
                field="wallet_amount",
                message=f"Only {shown} in the Beauty Bank",
            )
    return min(wanted, total)


def _account_credit(request: CheckoutRequest, net: list[int], left: int) -> int:
    """Step 5: account credit, never against a first membership payment."""
    if not request.use_account_credit:
        return 0
    creditable = sum(
        n
        for n, line in zip(net, request.lines, strict=True)
        if line.kind not in NOT_PAYABLE_BY_ACCOUNT_CREDIT_KINDS
    )
    # The wallet is deemed to have paid the non-creditable lines first, which lets the
    # client's credit cover as much as the rule allows.
    currency = request.currency
    available = max(_minor(request.account_credit_balance, "account_credit_balance", currency), 0)
    return min(available, creditable, left)


def quote(request: CheckoutRequest) -> CheckoutTotals:
    """Run steps 1-5 and report what is still due; tenders in the request are ignored.

    For showing the running total while the ticket is open; nothing is checked about
    payment, so an empty ticket quotes 0.00.
    """
    return _price(request)[0]


def settle(request: CheckoutRequest) -> CheckoutTotals:
    """Run the whole checkout order, tenders included; the result always balances.

    Raises ``ValidationError`` (field "lines" or "tenders") when the ticket is empty or
    the payments do not cover the amount due as the rules require.
    """
    if not request.lines:
        raise ValidationError("lines", "Add at least one item before checking out")
    totals, due = _price(request)
    currency = request.currency
    cash = 0
    non_cash = 0
    for tender in request.tenders:
        amount = _minor(tender.amount, "tenders", currency)
        if tender.method == "cash":
            cash += amount
        else:
            non_cash += amount
    if non_cash > due:
        due_text = format_money(from_minor(due, currency), currency, request.locale)
        raise ValidationError(
            "tenders",
            f"Card and other payments can't be more than the {due_text} due; "
            "only cash can be over (for change)",
        )
    if cash + non_cash < due:
        short = from_minor(due - cash - non_cash, currency)
        raise ValidationError(
            "tenders", f"{format_money(short, currency, request.locale)} still to pay"
        )
    tendered = cash + non_cash
    return replace(
        totals,
        tenders=request.tenders,
        tendered=from_minor(tendered, currency),
        change=from_minor(tendered - due, currency),
    )
