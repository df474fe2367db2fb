"""The screenshots hold to the same rule as the screen tests: every ledger entry carries
a staff id (issue 13). They are pictures of the GBP/en_GB store: under another
`FRONTDESK_TEST_MONEY` (the screen suite's second run) they are skipped, not redrawn."""

import pytest

from tests.money import gbp_only
from tests.screens.conftest import every_entry_names_its_staff, no_live_updates

__all__ = ["every_entry_names_its_staff", "no_live_updates"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.parent.name == "snapshots" or "snapshots" in item.path.parts:
            item.add_marker(gbp_only)
