"""What crosses between the till's screens and its services: the ticket to complete
(inputs), what checkout and the quote return, and the Sell list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from frontdesk.domain.checkout import LineKind, TenderMethod
from frontdesk.domain.wallet import RenewalChoice
from frontdesk.views import InStoreMoney, View
from frontdesk.views.balances import PrepaidItem

Tender = Literal["card", "cash", "other"]


class LineInput(BaseModel):
    """One thing on the ticket. Prices come from the catalogue unless `unit_price` is given
    (only account-credit purchases need one)."""

    model_config = ConfigDict(frozen=True)
    kind: LineKind
    service_id: int | None = None
    product_id: int | None = None
    package_id: int | None = None
    plan_id: int | None = None
    membership_id: int | None = None
    appointment_id: int | None = None
    staff_id: int | None = None
    quantity: int = 1
    qty_used: int = 1
    unit_price: Decimal | None = None
    description: str | None = None


class TenderInput(BaseModel):
    model_config = ConfigDict(frozen=True)
    method: TenderMethod
    amount: Decimal


class CheckoutInput(BaseModel):
    """A ticket to complete. With `appointment_id`, the visit's own lines (service, add-on
    units used and bought, units bought to bank) are read under the appointment's lock and
    come first; `lines` adds anything else sold on the same ticket."""

    model_config = ConfigDict(frozen=True)
    idempotency_key: str
    client_id: int
    location_id: int | None = None
    appointment_id: int | None = None
    lines: tuple[LineInput, ...] = ()
    promotion_percent: Decimal | None = None
    promotion_fixed: Decimal | None = None
    use_wallet: bool = False
    wallet_amount: Decimal | None = None
    use_account_credit: bool = False
    tenders: tuple[TenderInput, ...] = ()
    renewal_choice: RenewalChoice | None = None
    # A code from the promotions table (docs/rules.md#checkout-order, C9); not together
    # with `promotion_percent` / `promotion_fixed`.
    promotion_code: str | None = None


class ResultLine(View):
    kind: LineKind
    description: str
    quantity: int
    gross: Decimal
    discount: Decimal
    net: Decimal


class CheckoutResult(View):
    ticket_id: int
    idempotency_key: str
    client_id: int
    currency: str
    lines: tuple[ResultLine, ...]
    subtotal: Decimal
    membership_discount: Decimal
    promotion_discount: Decimal
    promotion_code: str | None = None  # the code as stored, when one was used
    promotion_description: str | None = None
    total: Decimal
    wallet_applied: Decimal
    account_credit_applied: Decimal
    tendered: Decimal
    change: Decimal
    card: Decimal
    # Announced after the sale: visits added to the prepaid balance
    # (docs/rules.md#prepaid-services, P2).
    prepaid_added: tuple[tuple[str, int], ...] = ()
    units_banked: tuple[tuple[str, int], ...] = ()
    wallet_credited: Decimal = Decimal(0)
    replayed: bool = False

    @property
    def paid_plus_stored(self) -> Decimal:
        return self.wallet_applied + self.account_credit_applied + self.tendered - self.change


class SellKind(StrEnum):
    PRODUCT = "product"
    PACKAGE = "package"
    PREPAID = "prepaid"
    MEMBERSHIP = "membership"  # a plan's first payment: completing it starts the membership
    # A membership's due cycle paid at the desk (a declined card: past due), as the run would.
    RENEWAL = "renewal"


# The checkout line each kind of item becomes.
LINE_KIND: dict[SellKind, LineKind] = {
    SellKind.PRODUCT: LineKind.PRODUCT,
    SellKind.PACKAGE: LineKind.PRODUCT,  # with package_id: checkout banks its items
    SellKind.PREPAID: LineKind.PREPAID_SALE,
    SellKind.MEMBERSHIP: LineKind.MEMBERSHIP_FIRST,
    SellKind.RENEWAL: LineKind.MEMBERSHIP_RENEWAL,
}


class PackageContent(View):
    product_name: str
    unit_name: str
    units: int
    banks: bool


class SellItem(View):
    """One thing on the Sell list. `price` is per unit (product), per package, or per
    visit (prepaid service: the ticket charges it times Qty Purchased)."""

    kind: SellKind
    id: int  # product, package, service, plan or (a renewal) membership id, by kind
    name: str
    price: Decimal
    unit_name: str = ""  # products: "unit", "tube"; prepaid: "visit"; plans: "month"
    banks: bool = False  # completing the sale puts units in the client's bank
    contents: tuple[PackageContent, ...] = ()
    due: dt.date | None = None  # a renewal: the cycle it pays, due since
    past_due: bool = False  # a renewal whose card was declined

    @property
    def line_kind(self) -> LineKind:
        return LINE_KIND[self.kind]

    @property
    def key(self) -> str:
        return f"{self.kind.value}-{self.id}"


class SellCatalog(InStoreMoney):
    client_id: int
    client_name: str
    future_product_usage: bool
    membership_discount_percent: Decimal
    items: tuple[SellItem, ...]


class PromotionView(View):
    """A promotion code the till accepts for this client today (`Till.find_promotion`):
    exactly one of `percent` and `fixed` (in `currency`)."""

    code: str
    description: str
    currency: str
    percent: Decimal | None
    fixed: Decimal | None
    valid_from: dt.date
    valid_to: dt.date | None
    once_per_client: bool


class QuoteLine(ResultLine):
    """One line of an open ticket as the quote priced it. The input fields (`service_id`,
    `product_id`, ...) are those the line was priced from, so a screen can send it back;
    `prepaid_left` is, for a service line, the visits the client holds for that service
    less those this ticket redeems (None on other lines)."""

    qty_used: int = 0
    service_id: int | None = None
    product_id: int | None = None
    package_id: int | None = None
    plan_id: int | None = None
    membership_id: int | None = None
    appointment_id: int | None = None
    staff_id: int | None = None
    prepaid_left: int | None = None


class TicketQuote(InStoreMoney):
    """What an open ticket costs now, in the checkout order, with the stored value staff
    toggled applied (up to the balance) and the tenders not yet counted."""

    business_name: str
    client_name: str
    lines: tuple[QuoteLine, ...]
    subtotal: Decimal
    membership_discount_percent: Decimal
    membership_discount: Decimal
    promotion_discount: Decimal
    total: Decimal  # after discounts, before stored value
    wallet_available: Decimal
    wallet_applied: Decimal
    account_credit_available: Decimal
    account_credit_applied: Decimal
    due: Decimal  # what tenders must cover
    prepaid: tuple[PrepaidItem, ...] = ()


class ReceiptTender(View):
    """One tender on a receipt (`method` card, cash or other); positive, also when paid back."""

    method: TenderMethod
    amount: Decimal


class ReceiptLeft(View):
    """What the client held right after the ticket: the receipt reads the same every time."""

    wallet: Decimal
    account: Decimal
    prepaid: tuple[tuple[str, int], ...] = ()  # (service, visits)
    banked: tuple[tuple[str, int, str], ...] = ()  # (product, units, unit name)


class ReceiptRefund(View):
    """A refund of the whole ticket (docs/rules.md, R6): when, who, where, why, what went back."""

    at: dt.datetime  # UTC
    staff_name: str
    terminal: str
    reason: str
    paid_back: tuple[ReceiptTender, ...] = ()
    wallet_returned: Decimal = Decimal(0)
    account_returned: Decimal = Decimal(0)


class Receipt(InStoreMoney):
    """A completed ticket as its receipt shows it (`Till.receipt`), refunded or not."""

    ticket_id: int
    business_name: str
    location_name: str = ""
    location_address: str = ""
    at: dt.datetime  # UTC, when the ticket was completed
    staff_name: str = ""
    terminal: str = ""
    client_name: str
    lines: tuple[ResultLine, ...]
    subtotal: Decimal
    membership_discount: Decimal
    promotion_discount: Decimal
    promotion_code: str | None = None
    total: Decimal
    wallet_applied: Decimal
    account_credit_applied: Decimal
    tenders: tuple[ReceiptTender, ...]
    change: Decimal
    prepaid_added: tuple[tuple[str, int], ...] = ()
    units_banked: tuple[tuple[str, int], ...] = ()
    left: ReceiptLeft | None = None
    refund: ReceiptRefund | None = None
