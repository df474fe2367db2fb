"""An area: a group of use cases bound to who is acting, where, on which database."""

from __future__ import annotations

from frontdesk.services.context import ServiceContext


class Area:
    """Each public async method is one use case: one transaction, frozen read models out,
    typed `DomainError`s raised. Areas hold nothing but their context, so building one is
    free and two areas on the same context see the same database and the same actor."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
