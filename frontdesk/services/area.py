"""An area: a group of use cases bound to who is acting, where, on which database."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.services.context import ServiceContext
from frontdesk.services.write_keys import Claim, claim_key


class Area:
    """Each public async method is one use case: one transaction, frozen read models out,
    typed `DomainError`s raised. Areas hold nothing but their context, so building one is
    free and two areas on the same context see the same database and the same actor."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def claim(
        self, session: AsyncSession, key: str, operation: str, /, **payload: object
    ) -> Claim:
        """Claim a money write's key in its transaction, as the acting staff member
        (`frontdesk.services.write_keys.claim_key`)."""
        return await claim_key(session, self.ctx.actor, key, operation, **payload)
