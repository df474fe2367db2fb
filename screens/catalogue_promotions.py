"""Promotion codes: the list and the editor (issue 16, item 1; the till's side is C9).

A code (stored in upper case: "spring10" and "SPRING10" are one code, and a code that
exists is refused at its field), a description the receipt prints, a percentage or a
fixed amount (exactly one), the first and last day it is valid (no last day: no end),
and whether a client may use it once only. Withdrawn, never deleted: the till then reads
it as an unknown code, and tickets keep the discount they got.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import RadioButton, RadioSet

from frontdesk.domain.catalogue_rules import (
    PromotionInput,
    parse_percent,
    promotion_field_errors,
)
from frontdesk.domain.errors import ValidationError
from frontdesk.domain.fields import parse_date
from frontdesk.domain.money_context import MoneyContext
from frontdesk.domain.promotions import CODE_MAX, format_day
from frontdesk.services.desk import Desk
from frontdesk.views.catalogue import PromotionSetupView
from screens.catalogue_editor import CatalogueEditor
from screens.catalogue_list import CatalogueListScreen
from screens.widgets.form import TickRadio

DATES = "YYYY-MM-DD or DD/MM/YYYY"


def amount_cell(promo: PromotionSetupView, money: MoneyContext) -> str:
    if promo.percent is not None:
        return f"{promo.percent.normalize():f}%"
    return money.format(promo.fixed or Decimal(0))


def dates_cell(promo: PromotionSetupView, locale: str) -> str:
    end = format_day(promo.valid_to, locale) if promo.valid_to else "no end"
    return f"{format_day(promo.valid_from, locale)} – {end}"


class PromotionEditorModal(CatalogueEditor[PromotionInput, PromotionSetupView]):
    ERROR_FIELDS = ("code", "description", "amount", "valid_from", "valid_to")
    LAST_FIELD = "valid_to"

    def __init__(
        self,
        desk: Desk,
        money: MoneyContext,
        today: dt.date,
        promo: PromotionSetupView | None = None,
    ) -> None:
        title = "New promotion code" if promo is None else f"Edit code: {promo.code}"
        super().__init__(desk, money, title)
        self.today = today
        self.promo = promo

    def fields(self) -> ComposeResult:
        p = self.promo
        yield from self.text_field(
            "code", "Code", p.code if p else "", placeholder="e.g. SPRING10", max_length=CODE_MAX
        )
        yield from self.text_field(
            "description", "Description", p.description if p else "", max_length=200
        )
        fixed = p is not None and p.fixed is not None
        yield self.row(
            "Takes off",
            RadioSet(
                TickRadio("Percent", value=not fixed, id="kind-percent"),
                TickRadio("Fixed amount", value=fixed, id="kind-fixed"),
                id="kind",
                compact=True,
            ),
            classes="kind-row",
        )
        if p is None:
            value = ""
        elif p.percent is not None:
            value = f"{p.percent.normalize():f}"
        else:
            value = self.amount_value(p.fixed)
        yield from self.text_field("amount", "Amount", value, placeholder="e.g. 10")
        yield from self.text_field(
            "valid_from",
            "First day",
            (p.valid_from if p else self.today).isoformat(),
            placeholder=DATES,
        )
        last = p.valid_to.isoformat() if p and p.valid_to else ""
        yield from self.text_field("valid_to", "Last day", last, placeholder="empty: no end")
        yield self.tick(
            "once_per_client", "Once per client", p.once_per_client if p else False, "Yes"
        )

    @property
    def fixed(self) -> bool:
        return self.query_one("#kind-fixed", RadioButton).value

    def _amount(self, errors: dict[str, str]) -> tuple[Decimal | None, Decimal | None]:
        """(percent, fixed): exactly one of them, as the kind chosen says."""
        if self.fixed:
            return None, self.amount("amount", errors, zero=False)
        try:
            return parse_percent(self.text("amount"), field="amount"), None
        except ValidationError as exc:
            errors["amount"] = exc.message
            return Decimal(0), None

    def _day(self, field: str, errors: dict[str, str]) -> dt.date | None:
        try:
            return parse_date(self.text(field), field, hint=f"Type the date as {DATES}")
        except ValidationError as exc:
            errors[field] = exc.message
            return None

    def read_form(self) -> tuple[PromotionInput, dict[str, str]]:
        errors: dict[str, str] = {}
        percent, fixed = self._amount(errors)
        first = self._day("valid_from", errors)
        if first is None and "valid_from" not in errors:
            errors["valid_from"] = "Enter the first day it is valid"
        form = PromotionInput(
            code=self.text("code"),
            description=self.text("description"),
            percent=percent,
            fixed=fixed,
            valid_from=first or self.today,
            valid_to=self._day("valid_to", errors),
            once_per_client=self.ticked("once_per_client"),
        )
        return form, errors

    def field_errors(self, form: PromotionInput) -> dict[str, str]:
        return promotion_field_errors(form, self.money)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.set_error("amount", "")

    async def reread(self) -> None:
        if self.promo is not None:
            self.promo = await self.desk.promotion_setup.promotion(self.promo.id)

    async def submit(self, form: PromotionInput) -> PromotionSetupView:
        setup = self.desk.promotion_setup
        if self.promo is None:
            return await setup.create(form)
        return await setup.update(self.promo.id, form, expected=self.promo.as_input())


class PromotionsSetupScreen(CatalogueListScreen[PromotionSetupView]):
    TITLE_TEXT = "Promotion codes · typed at the till"
    COLUMNS = (("Code", 12), ("Off", 9), ("Valid", 27), ("Once", 4), ("Uses", 4), ("", 9))

    money: MoneyContext | None = None

    async def fetch(self) -> tuple[PromotionSetupView, ...]:
        self.money = (await self.desk.catalog.store()).money
        return await self.desk.promotion_setup.promotions(everyone=self.everyone)

    def cells(self, row: PromotionSetupView) -> Sequence[str]:
        assert self.money is not None
        return (
            row.code,
            amount_cell(row, self.money),
            dates_cell(row, self.money.locale),
            "yes" if row.once_per_client else "",
            str(row.uses),
            "" if row.active else "withdrawn",
        )

    def editor(
        self, row: PromotionSetupView | None
    ) -> ModalScreen[PromotionSetupView | None] | None:
        if self.money is None:
            return None
        return PromotionEditorModal(self.desk, self.money, self.clock().date(), row)

    async def switch(self, row: PromotionSetupView) -> tuple[PromotionSetupView, str]:
        changed = await self.desk.promotion_setup.set_active(row.id, not row.active)
        said = "can be used" if changed.active else "is withdrawn (the till reads it as unknown)"
        return changed, f"{changed.code} {said}."
