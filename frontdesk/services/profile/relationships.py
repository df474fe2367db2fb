"""Relationships: family, partner and guardian links, shown from both clients' profiles."""

from __future__ import annotations

from typing import cast

from sqlalchemy import and_, case, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.db.tables import Client, ClientRelationship
from frontdesk.domain.errors import NotFound, ValidationError
from frontdesk.domain.fields import choice
from frontdesk.services.area import Area
from frontdesk.services.profile.lookups import load_client
from frontdesk.views.profile import RELATIONSHIP_KINDS, RelationshipKind, RelationshipView

_LABELS: dict[tuple[str, bool], str] = {
    ("family", False): "Family",
    ("family", True): "Family",
    ("partner", False): "Partner",
    ("partner", True): "Partner",
    ("guardian", False): "Guardian",  # the related client is this client's guardian
    ("guardian", True): "Dependant",  # this client is the related client's guardian
}


async def _relationship_views(
    session: AsyncSession, client_id: int, only_id: int | None = None
) -> list[RelationshipView]:
    stmt = (
        select(ClientRelationship, Client)
        .join(
            Client,
            Client.id
            == case(
                (
                    ClientRelationship.client_id == client_id,
                    ClientRelationship.related_client_id,
                ),
                else_=ClientRelationship.client_id,
            ),
        )
        .where(
            or_(
                ClientRelationship.client_id == client_id,
                ClientRelationship.related_client_id == client_id,
            )
        )
        .order_by(ClientRelationship.id)
    )
    if only_id is not None:
        stmt = stmt.where(ClientRelationship.id == only_id)
    out: list[RelationshipView] = []
    for rel, other in (await session.execute(stmt)).all():
        inverse = rel.client_id != client_id
        out.append(
            RelationshipView(
                id=rel.id,
                kind=cast(RelationshipKind, rel.kind),
                related_client_id=other.id,
                related_client_number=other.client_number,
                related_name=f"{other.first_name} {other.last_name}".strip(),
                label=_LABELS[(rel.kind, inverse)],
            )
        )
    return out


class RelationshipsCases(Area):
    """The Relationships tab."""

    async def relationships(self, client_id: int) -> tuple[RelationshipView, ...]:
        """Links in both directions: a guardian shows on the child's profile and vice versa."""
        async with self.ctx.read() as session:
            await load_client(session, client_id)
            return tuple(await _relationship_views(session, client_id))

    async def link_client(
        self, client_id: int, related_id: int, kind: RelationshipKind
    ) -> RelationshipView:
        """Link `related_id` to this client as their family, guardian or partner."""
        choice(kind, RELATIONSHIP_KINDS, "kind")
        if client_id == related_id:
            raise ValidationError("related_client", "A client can't be linked to themselves")
        async with self.ctx.transaction() as session:
            await load_client(session, client_id)
            if await session.get(Client, related_id) is None:
                raise NotFound("related client")
            pair = and_(
                ClientRelationship.client_id == client_id,
                ClientRelationship.related_client_id == related_id,
            )
            back = and_(
                ClientRelationship.client_id == related_id,
                ClientRelationship.related_client_id == client_id,
            )
            # Family and partner read the same both ways; guardian is one-way.
            same = or_(pair, back) if kind != "guardian" else pair
            if await session.scalar(select(exists().where(same, ClientRelationship.kind == kind))):
                raise ValidationError(
                    "related_client", f"These clients are already linked ({kind})"
                )
            if kind == "guardian" and await session.scalar(
                select(exists().where(back, ClientRelationship.kind == "guardian"))
            ):
                raise ValidationError(
                    "related_client", "That client already has this client as their guardian"
                )
            rel = ClientRelationship(client_id=client_id, related_client_id=related_id, kind=kind)
            session.add(rel)
            await session.flush()
            return (await _relationship_views(session, client_id, rel.id))[0]

    async def unlink(self, client_id: int, relationship_id: int) -> None:
        async with self.ctx.transaction() as session:
            rel = await session.get(ClientRelationship, relationship_id)
            if rel is None or client_id not in (rel.client_id, rel.related_client_id):
                raise NotFound("relationship")
            await session.delete(rel)
