"""The Account tab's five sections' contents, built when a section is first shown.

Issue 19: `7` built all five sections up front (about 56 widgets, five tables) to show
one. Each section's widgets now come from `section_widgets`, mounted into its empty
pane by the Account tab (screens/profile_tabs/account.py) the first time that
section is shown. Tables get their columns here, before they are mounted, so a table is
never on screen without them.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Static

from frontdesk.domain.ledger import StoredValueKind
from screens.profile_tabs.base import ProfileTab
from screens.profile_tabs.ledger_history import LedgerHistory
from screens.profile_tabs.memberships import MembershipsPane
from screens.profile_tabs.unit_history import UnitHistory

WALLET_EMPTY = "No Beauty Bank activity yet."
ACCOUNT_EMPTY = "No account balance activity yet."
UNITS_EMPTY = "No entries for this product yet."

PREPAID_COLUMNS = (
    ("Service", "service", 30),
    ("Left", "left", 6),
    ("Bought", "bought", 7),
    ("Used", "used", 6),
)
PREPAID_HISTORY_COLUMNS = (
    ("Date", "date", 9),
    ("Change", "change", 8),
    ("Description", "description", 30),
    ("Left", "left", 6),
)
PRODUCT_COLUMNS = (("Product", "product", 30), ("Left", "left", 12), ("Entries", "entries", 8))


def table(
    id: str, columns: tuple[tuple[str, str, int], ...], *, zebra_stripes: bool = False
) -> DataTable[Text]:
    """A row-cursor table with its columns already set."""
    built: DataTable[Text] = DataTable(id=id, cursor_type="row", zebra_stripes=zebra_stripes)
    for label, key, width in columns:
        built.add_column(Text(label), key=key, width=width)
    return built


def section_widgets(tab: ProfileTab, section: str) -> list[Widget]:
    """What section `section` (a pane id: acct-balance, acct-wallet, …) shows."""
    desk, client_id = tab.desk, tab.client_id
    if section == "acct-balance":
        kind, empty, history_id = StoredValueKind.ACCOUNT_MONEY, ACCOUNT_EMPTY, "account-history"
        return [LedgerHistory(desk, client_id, kind, empty_text=empty, id=history_id)]
    if section == "acct-wallet":
        kind, empty, history_id = StoredValueKind.WALLET_MONEY, WALLET_EMPTY, "wallet-history"
        return [LedgerHistory(desk, client_id, kind, empty_text=empty, id=history_id)]
    if section == "acct-addons":
        return [
            Vertical(
                Static(id="addons-body"),
                table("addons-products", PRODUCT_COLUMNS),
                UnitHistory(desk, client_id, empty_text=UNITS_EMPTY, id="addons-history"),
            )
        ]
    if section == "acct-prepaid":
        history = table("prepaid-history", PREPAID_HISTORY_COLUMNS)
        history.display = False
        return [
            Vertical(
                Static(id="prepaid-filter"),
                table("prepaid-table", PREPAID_COLUMNS, zebra_stripes=True),
                Static(id="prepaid-empty"),
                Static(id="prepaid-history-title"),
                history,
            )
        ]
    if section == "acct-memberships":
        return [MembershipsPane(tab, id="memberships-pane")]
    raise ValueError(f"no Account section {section!r}")
