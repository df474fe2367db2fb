"""Keeping a client's search words (`client_name_words`) and `phone_tail` right.

Every writer of a client's name or phone gets this without asking:

- the ORM (`session.add(Client(...))`, changing `search_first`/`search_last`/`phone_digits`
  on a loaded client, as Profile Details does) runs the mapper events below in the same
  flush, on the same connection: nothing to call;
- Core bulk inserts and updates (`insert(Client.__table__)`, the demo) bypass mapper
  events: put `phone_tail=phone_tail(digits)` in the rows and insert `word_rows(...)`
  for the new ids, or call `reindex_clients(session, ids)` afterwards;
- deleting a client deletes its words (`ON DELETE CASCADE`).

The words are derived from the stored folded columns, so they always agree with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, delete, event, insert, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, Session

from frontdesk.db.tables.core import Client, ClientNameWord
from frontdesk.domain.normalize import extra_words, phone_tail

REINDEX_BATCH = 5_000

_WORDS = cast(Table, ClientNameWord.__table__)
_CLIENTS = cast(Table, Client.__table__)


def word_rows(client_id: int, search_first: str, search_last: str) -> list[dict[str, Any]]:
    """The `client_name_words` rows of one client, from its folded names."""
    words = extra_words(search_first or "") | extra_words(search_last or "")
    return [{"client_id": client_id, "word": w} for w in sorted(words)]


def _write_words(connection: Connection, client: Client, *, replace: bool) -> None:
    if replace:
        connection.execute(delete(_WORDS).where(_WORDS.c.client_id == client.id))
    rows = word_rows(client.id, client.search_first, client.search_last)
    if rows:
        connection.execute(insert(_WORDS), rows)


@event.listens_for(Client, "before_insert")
@event.listens_for(Client, "before_update")
def _set_phone_tail(_mapper: Mapper[Client], _connection: Connection, client: Client) -> None:
    client.phone_tail = phone_tail(client.phone_digits or "")


@event.listens_for(Client, "after_insert")
def _words_of_new_client(_mapper: Mapper[Client], connection: Connection, client: Client) -> None:
    _write_words(connection, client, replace=False)


@event.listens_for(Client, "after_update")
def _words_of_renamed_client(
    _mapper: Mapper[Client], connection: Connection, client: Client
) -> None:
    # The attribute history is still there during the flush: only a rename rewrites.
    attrs = inspect(client).attrs
    if attrs.search_first.history.has_changes() or attrs.search_last.history.has_changes():
        _write_words(connection, client, replace=True)


def _batches(connection: Connection, ids: Sequence[int] | None) -> Iterable[Sequence[Any]]:
    cols = select(_CLIENTS.c.id, _CLIENTS.c.search_first, _CLIENTS.c.search_last)
    cols = cols.add_columns(_CLIENTS.c.phone_digits, _CLIENTS.c.phone_tail)
    if ids is not None:
        for start in range(0, len(ids), REINDEX_BATCH):
            chunk = list(ids[start : start + REINDEX_BATCH])
            yield connection.execute(cols.where(_CLIENTS.c.id.in_(chunk))).all()
        return
    after = 0
    while True:  # keyset pages: each batch is an index range, however many clients
        rows = connection.execute(
            cols.where(_CLIENTS.c.id > after).order_by(_CLIENTS.c.id).limit(REINDEX_BATCH)
        ).all()
        if not rows:
            return
        yield rows
        after = rows[-1].id


def reindex_clients_sync(connection: Connection, ids: Sequence[int] | None = None) -> int:
    """Rewrite the words and phone tails of the clients `ids` (all when None) from their
    stored folded columns, in batches; the number of clients read."""
    retail = (
        update(_CLIENTS)
        .where(_CLIENTS.c.id == bindparam("b_id"))
        .values(phone_tail=bindparam("b_tail"))
    )
    seen = 0
    for rows in _batches(connection, ids):
        seen += len(rows)
        batch_ids = [r.id for r in rows]
        connection.execute(delete(_WORDS).where(_WORDS.c.client_id.in_(batch_ids)))
        words = [w for r in rows for w in word_rows(r.id, r.search_first, r.search_last)]
        if words:
            connection.execute(insert(_WORDS), words)
        tails = [
            {"b_id": r.id, "b_tail": phone_tail(r.phone_digits or "")}
            for r in rows
            if r.phone_tail != phone_tail(r.phone_digits or "")
        ]
        if tails:
            connection.execute(retail, tails)
    return seen


async def reindex_clients(session: AsyncSession, ids: Sequence[int] | None = None) -> int:
    """`reindex_clients_sync` inside an async session's transaction (after Core writes)."""

    def run(sync: Session) -> int:
        return reindex_clients_sync(sync.connection(), ids)

    return await session.run_sync(run)
