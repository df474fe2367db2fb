"""The screenshots hold to the same rule as the screen tests: every ledger entry carries
a staff id (issue 13)."""

from tests.screens.conftest import every_entry_names_its_staff

__all__ = ["every_entry_names_its_staff"]
