"""Reusable widgets for the front desk screens.

`PickerModal` is imported from its own module when first asked for: it follows other
terminals' commits, which imports the read models, and the sign-in screen (the first
frame) is drawn without them (issue 19).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screens.widgets.footer import SteadyFooter
from screens.widgets.header import DeskHeader, DeskScreen

if TYPE_CHECKING:
    from screens.widgets.picker import PickerModal

__all__ = ["DeskHeader", "DeskScreen", "PickerModal", "SteadyFooter"]


def __getattr__(name: str) -> object:
    if name == "PickerModal":
        from screens.widgets.picker import PickerModal

        return PickerModal
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
