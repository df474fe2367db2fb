"""The client profile's keys: one list for the footer, the command palette and keymaps.

A binding's tooltip is the action's full name (the palette's title, screens/palette.py)
where the footer's word is cut short for 80 columns.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from screens.profile_tabs.registry import TABS, tab_binding

# One footer entry for both tab keys, so every key of the profile fits 80 columns.
TAB_KEYS = Binding.Group("Tabs", compact=True)
# Book, sell and the balance keys work on every tab but are listed in the footer only on
# Overview (whose body lists them too): beside a tab's own keys they overflowed 80 columns.
OVERVIEW_ONLY_IN_FOOTER = frozenset(
    {
        "profile.adjust_wallet",
        "profile.adjust_account",
        "profile.pay_balance",
        "profile.book",
        "profile.sell",
    }
)


# Actions that move money: offered only once the header is read, never to a travel
# member here, and only to someone with the permission (profile_permissions.NEEDS).
BALANCE_ACTIONS = frozenset({"adjust", "pay_balance"})

PROFILE_BINDINGS: list[BindingType] = [
    Binding("escape", "back", "Back", id="profile.back"),
    Binding(
        "b",
        "adjust('wallet')",
        "Beauty Bank",
        id="profile.adjust_wallet",
        tooltip="Adjust Beauty Bank",
    ),
    Binding(
        "a",
        "adjust('account')",
        "Balance",
        id="profile.adjust_account",
        tooltip="Adjust account balance",
    ),
    Binding(
        "y",
        "pay_balance",
        "Pay bal.",
        id="profile.pay_balance",
        tooltip="Pay balance",
    ),
    Binding("k", "book", "Book", id="profile.book", tooltip="Book appointment"),
    Binding("s", "sell", "Sell", id="profile.sell", tooltip="Sell on a ticket"),
    # A Select plan's monthly choice; not in the footer (full at 80 columns): the palette
    # lists it by name. Capital C: the Contact History tab's own "c" logs a contact.
    Binding(
        "C",
        "choose_benefit",
        "Choose benefit",
        id="profile.choose_benefit",
        show=False,
        tooltip="Choose monthly benefit",
    ),
    # Managers ("merge clients"); not in the footer, which is full at 80 columns: the
    # palette lists it by name.
    Binding(
        "M",
        "merge",
        "Merge records",
        id="profile.merge",
        show=False,
        tooltip="Merge two client records",
    ),
    Binding(
        "left_square_bracket",
        "step_tab(-1)",
        "Previous tab",
        key_display="[",
        id="profile.prev_tab",
        group=TAB_KEYS,
    ),
    Binding(
        "right_square_bracket",
        "step_tab(1)",
        "Next tab",
        key_display="]",
        id="profile.next_tab",
        group=TAB_KEYS,
    ),
    *(tab_binding(spec) for spec in TABS),
]
