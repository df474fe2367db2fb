"""The catalogue's setup screens, as entries for the Setup hub (issue 16, item 1).

`CATALOGUE_SETUP`: (label, one-line description, factory) per screen; a factory takes
the app (anything with the signed-in `desk` and the header's `clock`) and returns the
screen to push. The screens' modules are imported only when one is opened, so the app's
start does not pay for them. Until the hub lists them, the app binds each to a key
(`CATALOGUE_KEYS`) and so to the command palette ("Services: set up", ...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from textual.screen import Screen

from frontdesk.services.desk import Desk


class SetupHost(Protocol):
    @property
    def desk(self) -> Desk: ...

    clock: Callable[[], dt.datetime]


def _services(host: SetupHost) -> Screen[Any]:
    from screens.catalogue_services import ServicesSetupScreen

    return ServicesSetupScreen(host.desk, clock=host.clock)


def _products(host: SetupHost) -> Screen[Any]:
    from screens.catalogue_products import ProductsSetupScreen

    return ProductsSetupScreen(host.desk, clock=host.clock)


def _packages(host: SetupHost) -> Screen[Any]:
    from screens.catalogue_packages import PackagesSetupScreen

    return PackagesSetupScreen(host.desk, clock=host.clock)


def _prepaid(host: SetupHost) -> Screen[Any]:
    from screens.catalogue_prepaid import PrepaidOffersScreen

    return PrepaidOffersScreen(host.desk, clock=host.clock)


def _promotions(host: SetupHost) -> Screen[Any]:
    from screens.catalogue_promotions import PromotionsSetupScreen

    return PromotionsSetupScreen(host.desk, clock=host.clock)


CATALOGUE_SETUP: tuple[tuple[str, str, Callable[[SetupHost], Screen[Any]]], ...] = (
    ("Services", "Price, duration, commission, default add-on units", _services),
    ("Products", "Unit price, Usage Tracking, add-on use", _products),
    ("Packages", "A price for units of products", _packages),
    ("Prepaid offers", "Which services sell prepaid, per visit", _prepaid),
    ("Promotion codes", "Percent or fixed amount, dates, once per client", _promotions),
)
# Until the Setup hub lists them: the app's keys for the entries above, in order.
CATALOGUE_KEYS = ("f9", "f10", "f11", "shift+f11", "f12")
