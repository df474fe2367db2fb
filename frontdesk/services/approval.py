"""The two-person rule: an adjustment, reversal or refund worth more than the store's
threshold needs a second person's PIN on the same terminal (docs/rules.md, X4).

The PIN is checked before the write transaction (argon2 must not hold SQLite's write
lock), counting a wrong one toward the same five-try lock as sign-in; the write then
checks, in its own transaction, that the approver may still approve.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.domain.errors import ApprovalNeeded, NotFound, PermissionDenied, ValidationError
from frontdesk.domain.money import format_money, from_minor, to_minor
from frontdesk.domain.permissions import Perm
from frontdesk.services.catalog import load_store
from frontdesk.services.context import ServiceContext
from frontdesk.services.sign_in import pin_holder
from frontdesk.services.staff import has_permission
from frontdesk.views.staff import Approval


class ApprovalRefused(ValidationError):
    """The approver's number and PIN do not match (or they are locked): never says which."""

    def __init__(self) -> None:
        super().__init__("approver", "Not approved: that manager and PIN do not match")


async def verify_approver(ctx: ServiceContext, approval: Approval | None) -> int | None:
    """The approver's staff id if their PIN is right (a wrong one counts toward their
    lock); None when no approval was given. Whether they may approve, and whether one was
    needed at all, is for `require_approval` inside the write."""
    if approval is None:
        return None
    staff_id = await pin_holder(ctx, approval.who, approval.pin, dt.datetime.now(dt.UTC))
    if staff_id is None:
        raise ApprovalRefused()
    return staff_id


async def require_approval(
    session: AsyncSession, ctx: ServiceContext, value_minor: int, approver: int | None
) -> int | None:
    """Inside the write: None when `value_minor` is within the threshold; otherwise the
    approver, who must be someone else holding "approve above the threshold"."""
    try:  # read once per transaction: the write asked for the currency already
        store = await load_store(session)
    except NotFound:
        threshold, currency, locale = 0, "", ""
    else:
        currency, locale = store.currency, store.locale
        threshold = to_minor(store.approval_threshold, currency)
    if abs(value_minor) <= threshold:
        return None
    if approver is None:
        limit = from_minor(threshold, currency)
        raise ApprovalNeeded(
            f"More than {format_money(limit, currency, locale)}: a manager must approve with their "
            "PIN on this terminal",
            limit,
        )
    if approver == ctx.actor.staff_id:
        raise ValidationError("approver", "A second person must approve: not the one asking")
    if not await has_permission(session, approver, Perm.APPROVE):
        raise PermissionDenied(Perm.APPROVE.value)
    return approver
