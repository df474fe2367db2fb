"""The catalogue's setup screens, as entries for the Setup hub (issue 16, item 1).

`CATALOGUE_SETUP`: (label, one-line description, factory) per screen; a factory takes
the signed-in desk and the header's clock and returns the screen to push. The screens'
modules are imported only when one is opened, so the app's start does not pay for them.
The Setup hub (F8, `screens.setup_hub`) lists them after the store's own entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from frontdesk.services.desk import Desk

Clock = Callable[[], dt.datetime]


def _services(desk: Desk, clock: Clock) -> Screen[Any]:
    from screens.catalogue_services import ServicesSetupScreen

    return ServicesSetupScreen(desk, clock=clock)


def _products(desk: Desk, clock: Clock) -> Screen[Any]:
    from screens.catalogue_products import ProductsSetupScreen

    return ProductsSetupScreen(desk, clock=clock)


def _packages(desk: Desk, clock: Clock) -> Screen[Any]:
    from screens.catalogue_packages import PackagesSetupScreen

    return PackagesSetupScreen(desk, clock=clock)


def _prepaid(desk: Desk, clock: Clock) -> Screen[Any]:
    from screens.catalogue_prepaid import PrepaidOffersScreen

    return PrepaidOffersScreen(desk, clock=clock)


def _promotions(desk: Desk, clock: Clock) -> Screen[Any]:
    from screens.catalogue_promotions import PromotionsSetupScreen

    return PromotionsSetupScreen(desk, clock=clock)


CATALOGUE_SETUP: tuple[tuple[str, str, Callable[[Desk, Clock], Screen[Any]]], ...] = (
    ("Services", "Price, duration, commission, default add-on units", _services),
    ("Products", "Unit price, Usage Tracking, add-on use", _products),
    ("Packages", "A price for units of products", _packages),
    ("Prepaid offers", "Which services sell prepaid, per visit", _prepaid),
    ("Promotion codes", "Percent or fixed amount, dates, once per client", _promotions),
)
