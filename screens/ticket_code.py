"""The ticket's promotion-code dialog: the till checks a code for this client today at
its field (unknown, expired, not yet valid, already used); an empty code removes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from frontdesk.services.desk import Desk
from frontdesk.views.till import PromotionView
from screens.widgets.form import FormField, FormModal, Values

# What the dialog answers: (the code, its description), ("", "") to remove it; None on Esc.
Chosen = tuple[str, str] | None


def code_form(
    desk: Desk, client_id: int, today: Callable[[], dt.date], current: str
) -> FormModal[Chosen]:
    async def check(values: Values) -> Chosen:
        typed = str(values["promotion_code"]).strip()
        if not typed:
            return ("", "")
        found: PromotionView = await desk.till.find_promotion(typed, client_id, today())
        return (found.code, found.description)

    return FormModal(
        "Promotion code (empty removes it)",
        [FormField("promotion_code", "Code", current, placeholder="e.g. SPRING5")],
        check,
        id="ticket-promotion",
    )
