"""Finding a client and summarising what they hold."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import (
    Client,
    Membership,
    MembershipPlan,
    Product,
    Service,
    StoredValueAccount,
)
from frontdesk.domain.errors import NotFound
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.domain.normalize import digits, fold, prefix_upper_bound
from frontdesk.services.catalog import load_store
from frontdesk.services.context import ServiceContext
from frontdesk.views import (
    BankedUnitsView,
    ClientHit,
    ClientSummary,
    MembershipView,
    PrepaidVisitsView,
)

SEARCH_LIMIT = 50


def _prefix(column: Any, prefix: str) -> Any:
    # A range, not LIKE: both engines answer it from the index, whatever the collation rules.
    return and_(column >= prefix, column < prefix_upper_bound(prefix))


def _branches(text: str) -> list[tuple[Any, tuple[Any, ...]]]:
    """What the typed text can mean, each as (condition, index order) so every branch is
    one ordered range scan that can stop at the limit: email, phone / client number, or
    names in either order."""
    text = text.strip()
    if not text:
        return []
    if "@" in text:
        return [(_prefix(Client.email_lower, text.casefold()), (Client.email_lower,))]
    typed_digits = digits(text)
    numbers = {text.upper()}
    if typed_digits:
        numbers.add("C" + typed_digits.zfill(6))
    by_number = (Client.client_number.in_(sorted(numbers)), (Client.client_number,))
    if typed_digits and not any(ch.isalpha() for ch in text):
        branches = [by_number]
        if len(typed_digits) >= 3:
            branches.append((_prefix(Client.phone_digits, typed_digits), (Client.phone_digits,)))
        return branches
    tokens = fold(text).split()
    last_first = (Client.search_last, Client.search_first)
    first_last = (Client.search_first, Client.search_last)
    if len(tokens) == 1:
        t = tokens[0]
        return [
            (_prefix(Client.search_last, t), last_first),
            (_prefix(Client.search_first, t), first_last),
            by_number,
        ]
    head, tail = tokens[0], " ".join(tokens[1:])
    init, last = " ".join(tokens[:-1]), tokens[-1]
    return [
        (and_(_prefix(Client.search_first, head), _prefix(Client.search_last, tail)), first_last),
        (and_(_prefix(Client.search_first, last), _prefix(Client.search_last, init)), first_last),
    ]


def search_condition(text: str) -> Any | None:
    """All branches as one condition (for EXPLAIN and ad-hoc use)."""
    branches = _branches(text)
    return or_(*(cond for cond, _ in branches)) if branches else None


_HIT_COLUMNS = (
    Client.id,
    Client.client_number,
    Client.first_name,
    Client.last_name,
    Client.phone,
    Client.email,
    Client.search_last,
    Client.search_first,
)


def search_statement(text: str, limit: int = SEARCH_LIMIT) -> Any | None:
    """UNION ALL of per-branch `ORDER BY … LIMIT` scans: no branch sorts all its matches."""
    branches = _branches(text)
    if not branches:
        return None
    parts = [
        select(*_HIT_COLUMNS).where(cond).order_by(*order, Client.id).limit(limit).subquery()
        for cond, order in branches
    ]
    union = union_all(*(select(*p.c) for p in parts)).subquery()
    return (
        select(union)
        .order_by(union.c.search_last, union.c.search_first, union.c.id)
        .limit(limit * len(parts))
    )


async def search_in(session: AsyncSession, text: str, limit: int = SEARCH_LIMIT) -> list[ClientHit]:
    stmt = search_statement(text, limit)
    if stmt is None:
        return []
    seen: set[int] = set()
    hits: list[ClientHit] = []
    for r in (await session.execute(stmt)).all():
        if r.id in seen:
            continue
        seen.add(r.id)
        hits.append(
            ClientHit(
                id=r.id,
                client_number=r.client_number,
                first_name=r.first_name,
                last_name=r.last_name,
                phone=r.phone,
                email=r.email,
            )
        )
        if len(hits) == limit:
            break
    return hits


async def search_clients(
    ctx: ServiceContext, text: str, limit: int = SEARCH_LIMIT
) -> tuple[ClientHit, ...]:
    async with ctx.read() as session:
        return tuple(await search_in(session, text, limit))


async def summary_in(session: AsyncSession, client_id: int) -> ClientSummary:
    client = await session.get(Client, client_id)
    if client is None:
        raise NotFound("client")
    currency = (await load_store(session)).currency
    accounts = (
        await session.execute(
            select(StoredValueAccount, Product.name, Product.unit_name, Service.name)
            .outerjoin(Product, Product.id == StoredValueAccount.product_id)
            .outerjoin(Service, Service.id == StoredValueAccount.service_id)
            .where(StoredValueAccount.client_id == client_id)
            .order_by(StoredValueAccount.id)
        )
    ).all()
    account_minor = wallet_minor = 0
    banked: list[BankedUnitsView] = []
    prepaid: list[PrepaidVisitsView] = []
    for acc, product_name, unit_name, service_name in accounts:
        kind = StoredValueKind(acc.kind)
        if kind is StoredValueKind.ACCOUNT_MONEY:
            account_minor += acc.balance
        elif kind is StoredValueKind.WALLET_MONEY:
            wallet_minor += acc.balance
        elif kind is StoredValueKind.PRODUCT_UNITS and acc.balance > 0:
            banked.append(
                BankedUnitsView(
                    product_id=acc.product_id or 0,
                    product_name=product_name or "?",
                    unit_name=unit_name or "unit",
                    units=acc.balance,
                )
            )
        elif kind is StoredValueKind.PREPAID_VISITS and acc.balance > 0:
            prepaid.append(
                PrepaidVisitsView(
                    service_id=acc.service_id or 0,
                    service_name=service_name or "?",
                    visits=acc.balance,
                )
            )
    memberships = (
        await session.execute(
            select(Membership, MembershipPlan)
            .join(MembershipPlan, MembershipPlan.id == Membership.plan_id)
            .where(Membership.client_id == client_id)
            .order_by(Membership.id)
        )
    ).all()
    return ClientSummary(
        id=client.id,
        client_number=client.client_number,
        first_name=client.first_name,
        last_name=client.last_name,
        phone=client.phone,
        email=client.email,
        birthday=client.birthday,
        home_location_id=client.home_location_id,
        notes=client.notes,
        currency=currency,
        account_balance=from_minor(account_minor, currency),
        wallet_balance=from_minor(wallet_minor, currency),
        banked=tuple(banked),
        prepaid=tuple(prepaid),
        memberships=tuple(
            MembershipView(
                id=m.id,
                plan_name=p.name,
                status=m.status,
                next_renewal=m.next_renewal,
                discount_percent=p.discount_percent,
                beauty_bank=p.beauty_bank,
            )
            for m, p in memberships
        ),
    )


async def client_summary(ctx: ServiceContext, client_id: int) -> ClientSummary:
    async with ctx.read() as session:
        return await summary_in(session, client_id)
