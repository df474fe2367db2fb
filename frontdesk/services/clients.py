"""Finding a client and summarising what they hold."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, exists, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from frontdesk.db.tables import (
    Client,
    ClientNameWord,
    Membership,
    MembershipPlan,
    Product,
    Service,
    StoredValueAccount,
)
from frontdesk.domain.errors import NotFound
from frontdesk.domain.ledger import StoredValueKind
from frontdesk.domain.money import from_minor
from frontdesk.domain.normalize import digits, phone_tail, prefix_upper_bound, search_tokens
from frontdesk.services.area import Area
from frontdesk.services.catalog import load_store
from frontdesk.views import (
    BankedUnitsView,
    ClientHit,
    ClientSummary,
    MembershipView,
    PrepaidVisitsView,
)

SEARCH_LIMIT = 50


def _prefix(column: Any, name: str) -> Any:
    # A range, not LIKE: both engines answer it from the index, whatever the collation rules.
    return and_(column >= bindparam(f"{name}_lo"), column < bindparam(f"{name}_hi"))


def _range(name: str, prefix: str) -> dict[str, str]:
    return {f"{name}_lo": prefix, f"{name}_hi": prefix_upper_bound(prefix)}


_LAST_FIRST = (Client.search_last, Client.search_first)
_FIRST_LAST = (Client.search_first, Client.search_last)
_BY_NUMBER = (
    Client.client_number.in_(bindparam("numbers", expanding=True)),
    (Client.client_number,),
    (),
)
MOST_WORDS = 4  # typed words searched; more are rare, and the longest say the most


def _matches_word(name: str) -> Any:
    """Typed word `name` starts one of the client's words: the start of the first or last
    name, or a word of `client_name_words` (a later word, or one written without its
    apostrophes and hyphens). Checked per candidate row, through the words' primary key."""
    other = aliased(ClientNameWord)
    inside = select(other.client_id).where(other.client_id == Client.id, _prefix(other.word, name))
    return or_(
        _prefix(Client.search_first, name),
        _prefix(Client.search_last, name),
        exists(inside),
    )


_Branch = tuple[Any, tuple[Any, ...], tuple[Any, ...]]


def _by_words(driver: str, others: list[str]) -> _Branch:
    """Clients with a stored word starting with `driver` whose names match the others."""
    return (
        and_(_prefix(ClientNameWord.word, driver), *(_matches_word(o) for o in others)),
        (ClientNameWord.word, ClientNameWord.client_id),
        (ClientNameWord,),
    )


def _name_branches(words: int) -> tuple[_Branch, ...]:
    """Names typed as `words` words ("w0" … in the order `_shape` gives them): each typed
    word must start some word of the same client's names."""
    if words == 2:
        # The usual "first last" in either order is two ranges of one composite index,
        # answered inside it; any other match has a typed word that starts a stored word
        # (a later word, a name without its apostrophe), and the words are few.
        return (
            (
                and_(_prefix(Client.search_first, "w0"), _prefix(Client.search_last, "w1")),
                _FIRST_LAST,
                (),
            ),
            (
                and_(_prefix(Client.search_first, "w1"), _prefix(Client.search_last, "w0")),
                _FIRST_LAST,
                (),
            ),
            _by_words("w0", ["w1"]),
            _by_words("w1", ["w0"]),
        )
    # One word, or three and more: the driving word ("w0", the longest) is a range on each
    # index that can start a match, every other typed word is checked per candidate row.
    others = [_matches_word(f"w{i}") for i in range(1, words)]
    return (
        (and_(_prefix(Client.search_last, "w0"), *others), _LAST_FIRST, ()),
        (and_(_prefix(Client.search_first, "w0"), *others), _FIRST_LAST, ()),
        _by_words("w0", [f"w{i}" for i in range(1, words)]),
    )


# Each shape of typed text is a fixed list of branches, (condition, index order, tables
# to join), with bound parameters: the statement for a shape is built once and reused,
# so a keystroke costs one execution, not a fresh UNION to construct (that was half the
# time of a search).
_SHAPES: dict[str, tuple[_Branch, ...]] = {
    "email": ((_prefix(Client.email_lower, "email"), (Client.email_lower,), ()),),
    "number": (_BY_NUMBER,),
    "number_or_phone": (
        _BY_NUMBER,
        (_prefix(Client.phone_digits, "phone"), (Client.phone_digits,), ()),
        # the last digits: `phone_tail` is the digits reversed
        (_prefix(Client.phone_tail, "tail"), (Client.phone_tail,), ()),
    ),
    "one_name": (*_name_branches(1), _BY_NUMBER),
    **{f"names_{n}": _name_branches(n) for n in range(2, MOST_WORDS + 1)},
}


def _shape(text: str) -> tuple[str, dict[str, Any]] | None:
    """What the typed text can mean: email, phone / client number, or names in any order
    (each typed word the start of a word of the client's names); with the values for
    that shape's parameters."""
    text = text.strip()
    if not text:
        return None
    if "@" in text:
        return "email", _range("email", text.casefold())
    typed_digits = digits(text)
    numbers = {text.upper()}
    if typed_digits:
        numbers.add("C" + typed_digits.zfill(6))
    by_number = {"numbers": sorted(numbers)}
    if typed_digits and not any(ch.isalpha() for ch in text):
        if len(typed_digits) >= 3:
            tail = phone_tail("".join(ch for ch in text if "0" <= ch <= "9"))
            return "number_or_phone", (
                by_number | _range("phone", typed_digits) | _range("tail", tail)
            )
        return "number", by_number
    tokens = search_tokens(text, most=MOST_WORDS)
    if not tokens:
        return None
    # The longest typed word drives the index scan: it matches the fewest clients.
    order = sorted(range(len(tokens)), key=lambda i: (-len(tokens[i]), -i))
    values: dict[str, Any] = {}
    for n, i in enumerate(order):
        values |= _range(f"w{n}", tokens[i])
    if len(tokens) == 1:
        return "one_name", values | by_number
    return f"names_{len(tokens)}", values


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


@lru_cache(maxsize=64)
def _template(shape: str, limit: int) -> Any:
    """UNION ALL of per-branch `ORDER BY … LIMIT` scans: no branch sorts all its matches."""
    branches = _SHAPES[shape]
    parts = []
    for cond, order, joins in branches:
        branch = select(*_HIT_COLUMNS)
        for table in joins:  # the words' index drives; each word row finds its client
            branch = branch.select_from(table).join(Client, Client.id == table.client_id)
        # A merged record lives on in the one it was merged into.
        parts.append(
            branch.where(cond, Client.merged_into_id.is_(None))
            .order_by(*order, Client.id)
            .limit(limit)
            .subquery()
        )
    union = union_all(*(select(*p.c) for p in parts)).subquery()
    return (
        select(union)
        .order_by(union.c.search_last, union.c.search_first, union.c.id)
        .limit(limit * len(parts))
    )


def search_query(text: str, limit: int = SEARCH_LIMIT) -> tuple[Any, dict[str, Any]] | None:
    """The reusable statement for the shape of `text` and the values to execute it with."""
    found = _shape(text)
    if found is None:
        return None
    shape, values = found
    return _template(shape, limit), values


def _hit(row: Any) -> ClientHit:
    """A client row (search columns or the ORM object) as a search result."""
    return ClientHit(
        id=row.id,
        client_number=row.client_number,
        first_name=row.first_name,
        last_name=row.last_name,
        phone=row.phone,
        email=row.email,
    )


async def search_in(session: AsyncSession, text: str, limit: int = SEARCH_LIMIT) -> list[ClientHit]:
    found = search_query(text, limit)
    if found is None:
        return []
    stmt, values = found
    seen: set[int] = set()
    hits: list[ClientHit] = []
    for r in (await session.execute(stmt, values)).all():
        if r.id in seen:
            continue
        seen.add(r.id)
        hits.append(_hit(r))
        if len(hits) == limit:
            break
    return hits


async def summary_in(
    session: AsyncSession, client_id: int, *, client: Client | None = None
) -> ClientSummary:
    """`client`: the row this transaction already read (the profile's opening read), so
    it is not read again (the session holds rows weakly: a row no longer referenced is)."""
    if client is None:
        client = await session.get(Client, client_id)
    if client is None:
        raise NotFound("client")
    store = await load_store(session)
    currency = store.currency
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
        locale=store.locale,
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


class Clients(Area):
    """Finding a client and the summary every screen shows of one."""

    async def search(self, text: str, limit: int = SEARCH_LIMIT) -> tuple[ClientHit, ...]:
        async with self.ctx.read() as session:
            return tuple(await search_in(session, text, limit))

    async def hit(self, client_id: int) -> ClientHit:
        """One client as a search would show them (to start a booking from their profile)."""
        async with self.ctx.read() as session:
            client = await session.get(Client, client_id)
            if client is None:
                raise NotFound("client")
            return _hit(client)

    async def summary(self, client_id: int) -> ClientSummary:
        async with self.ctx.read() as session:
            return await summary_in(session, client_id)
