"""Reusable widgets for the front desk screens."""

from screens.widgets.header import DeskHeader, DeskScreen
from screens.widgets.picker import PickerModal

__all__ = ["DeskHeader", "DeskScreen", "PickerModal"]
