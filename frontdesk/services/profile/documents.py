"""Documents: consent forms and the like, and when each was signed."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import select

from frontdesk.db.tables import ClientDocument
from frontdesk.domain.errors import NotFound
from frontdesk.domain.fields import choice
from frontdesk.domain.parsing import clean_description
from frontdesk.services.area import Area
from frontdesk.services.profile.lookups import as_utc, load_client
from frontdesk.views.profile import DOCUMENT_KINDS, DocumentKind, DocumentView


def _document_view(doc: ClientDocument) -> DocumentView:
    return DocumentView(
        id=doc.id,
        title=doc.title,
        kind=cast(DocumentKind, doc.kind),
        signed_at=as_utc(doc.signed_at) if doc.signed_at else None,
        created_at=as_utc(doc.created_at),
    )


class DocumentsCases(Area):
    """The Documents tab."""

    async def documents(self, client_id: int) -> tuple[DocumentView, ...]:
        """Unsigned first (they need the client's attention), then newest first."""
        async with self.ctx.read() as session:
            await load_client(session, client_id)
            docs = await session.scalars(
                select(ClientDocument)
                .where(ClientDocument.client_id == client_id)
                .order_by(
                    ClientDocument.signed_at.is_not(None),
                    ClientDocument.created_at.desc(),
                    ClientDocument.id.desc(),
                )
            )
            return tuple(_document_view(d) for d in docs)

    async def add_document(self, client_id: int, title: str, kind: DocumentKind) -> DocumentView:
        choice(kind, DOCUMENT_KINDS, "kind")
        text = clean_description(title, field="title")
        async with self.ctx.transaction() as session:
            await load_client(session, client_id)
            doc = ClientDocument(client_id=client_id, title=text, kind=kind)
            session.add(doc)
            await session.flush()
            return _document_view(doc)

    async def mark_signed(self, document_id: int) -> DocumentView:
        """Record the signature now; a document signed already keeps its first signature."""
        async with self.ctx.transaction() as session:
            doc = await session.get(ClientDocument, document_id)
            if doc is None:
                raise NotFound("document")
            if doc.signed_at is None:
                doc.signed_at = dt.datetime.now(dt.UTC)
                await session.flush()
            return _document_view(doc)
